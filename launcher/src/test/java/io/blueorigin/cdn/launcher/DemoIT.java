package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.runtime.Json;
import io.blueorigin.cdn.testkit.TestClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo topology in-process (ephemeral ports): every edge answers through the shield and the origin. */
class DemoIT {

    @Test
    void eachEdgeFetchesThroughTheShieldFromTheOrigin(@TempDir Path dataDir) throws Exception {
        try (Demo demo = Demo.start(new Demo.Spec(dataDir, "127.0.0.1", Demo.Ports.EPHEMERAL));
                TestClient client = new TestClient()) {
            assertThat(demo.edges()).extracting(e -> e.identity().name()).containsExactly("edge-nyc", "edge-lhr");
            String token = Files.readString(dataDir.resolve("admin.token")).trim();
            assertThat(demo.admin().bootstrapToken()).contains(token);
            assertThat(demo.describe()).contains("edge-nyc").contains("shield-iad").contains("shield-ord").contains(token);

            int n = 3;
            for (ProxyNode edge : demo.edges()) {
                String path = "/item/" + n++;
                ContentResponse response = client.get(URI.create(edge.uri() + path));
                assertThat(response.getStatus()).isEqualTo(200);
                assertThat(response.getContentAsString()).contains("\"name\":\"Item " + (n - 1) + "\"");
                assertThat(response.getHeaders().get("Via")).matches("1\\.1 shield-(iad|ord), 1\\.1 " + edge.identity().name());
                assertThat(demo.origin().stats().count(path)).isEqualTo(1);
                assertThat(client.get(URI.create(edge.managementUri() + "/healthz")).getStatus()).isEqualTo(200);
            }
            String stats = client.get(URI.create(demo.origin().uri() + "/_origin/stats")).getContentAsString();
            assertThat(stats).containsPattern("1\\.1 edge-nyc, 1\\.1 shield-(iad|ord)")
                    .containsPattern("1\\.1 edge-lhr, 1\\.1 shield-(iad|ord)");
            assertThat(client.get(URI.create(demo.admin().managementUri() + "/readyz")).getStatus()).isEqualTo(200);

            // edge-nyc serves HTTPS (HTTP/2) with the certificate the demo made; a client trusting that file gets the object
            URI https = demo.edges().get(0).httpsUri().orElseThrow();
            assertThat(demo.describe()).contains(https.toString()).contains(demo.certificateFile().toString());
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (var in = Files.newInputStream(demo.certificateFile())) {
                trust.setCertificateEntry("demo", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            javax.net.ssl.TrustManagerFactory trustManagers = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
            tls.init(null, trustManagers.getTrustManagers(), null);
            java.net.http.HttpResponse<String> overTls = java.net.http.HttpClient.newBuilder().sslContext(tls).build()
                    .send(java.net.http.HttpRequest.newBuilder(https.resolve("/item/3")).timeout(Duration.ofSeconds(30)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(overTls.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
            assertThat(overTls.headers().firstValue("X-Cache")).contains("HIT");

            // every edge and shield follows admin's log with a node token of its own, bound to its name
            List<String> bound = new java.util.ArrayList<>();
            try (java.sql.Connection c = demo.admin().database().dataSource().getConnection();
                    java.sql.ResultSet rs = c.createStatement().executeQuery(
                            "SELECT node_name FROM api_tokens WHERE 'node' = ANY(scopes) ORDER BY node_name")) {
                while (rs.next()) {
                    bound.add(rs.getString(1));
                }
            }
            assertThat(bound).containsExactly("edge-lhr", "edge-nyc", "shield-iad", "shield-ord");
            for (ProxyNode node : List.of(demo.edges().get(0), demo.edges().get(1))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> node.control().readiness().ready()
                        && node.control().local().lastApplied() >= 0 && !node.control().readiness().details().containsKey("error"));
            }

            // every edge and shield logs to <data-dir>/logs/<node>.access.log; one request id follows a
            // request through both tiers
            assertThat(demo.describe()).contains(dataDir.resolve("logs") + "/<node>.access.log");
            String edgeLine = logLine(dataDir.resolve("logs/edge-nyc.access.log"), "\"GET /item/3 HTTP/1.1\" 200 ");
            String[] fields = edgeLine.split(" ");
            assertThat(fields[fields.length - 4]).isEqualTo("MISS");
            assertThat(fields[fields.length - 3]).as("upstream ms of a miss").matches("[0-9]+");
            String requestId = fields[fields.length - 2];
            assertThat(requestId).matches("[0-9a-f]{16}");
            client.get(URI.create(demo.edges().get(0).uri() + "/item/3"));
            String[] hit = logLine(dataDir.resolve("logs/edge-nyc.access.log"), " HIT ").split(" ");
            assertThat(hit[hit.length - 3]).as("a hit did not wait for upstream").isEqualTo("-");
            await().atMost(Duration.ofSeconds(10)).until(() -> List.of("iad", "ord").stream()
                    .map(pop -> dataDir.resolve("logs/shield-" + pop + ".access.log"))
                    .anyMatch(log -> read(log).contains("\"GET /item/3 HTTP/1.1\" 200 ")
                            && read(log).contains(" " + requestId + " ")));
        }
    }

    /**
     * The demo's www site needs signed URLs under /private/; {@code blue-origin sign} gets one from admin, and every
     * edge holds (and keeps on disk) the key that verifies it.
     */
    @Test
    void signsAUrlForWwwPrivateThatTheEdgesCanVerify(@TempDir Path dataDir) throws Exception {
        try (Demo demo = Demo.start(new Demo.Spec(dataDir, "127.0.0.1", Demo.Ports.EPHEMERAL))) {
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            picocli.CommandLine cli = new picocli.CommandLine(new SignCommand());
            cli.setOut(new java.io.PrintWriter(out));
            cli.setErr(new java.io.PrintWriter(err));
            int exit = cli.execute("--admin-url", demo.admin().uri().toString(), "--token-file",
                    dataDir.resolve("admin.token").toString(), "--site", "www", "--path", "/private/report.pdf?v=2",
                    "--expires-in", "1h");
            assertThat(exit).as(err.toString()).isZero();
            String url = out.toString().strip();
            assertThat(url).matches("/private/report\\.pdf\\?v=2&exp=[0-9]+&kid=k[0-9]+&sig=[A-Za-z0-9_-]{43}");
            io.blueorigin.cdn.httpcache.RequestTarget target = io.blueorigin.cdn.httpcache.RequestTarget.parse(
                    url.substring(0, url.indexOf('?')), url.substring(url.indexOf('?') + 1));
            io.blueorigin.cdn.httpcache.signing.SigningPolicy policy = io.blueorigin.cdn.httpcache.site.Site.fromMap(
                    DemoSites.withSigning(DemoSites.definition("www", "www.test", URI.create("http://127.0.0.1:1")), "/private/"))
                    .signing();
            long now = java.time.Instant.now().getEpochSecond();
            for (ProxyNode edge : demo.edges()) {
                Path state = dataDir.resolve("cache").resolve(edge.identity().name())
                        .resolve(io.blueorigin.cdn.storage.StorageConfig.NODE_STATE_DIR);
                await().atMost(Duration.ofSeconds(20)).until(() -> io.blueorigin.cdn.httpcache.signing.SignatureCheck.verify(
                        policy, new io.blueorigin.cdn.proxy.control.SiteKeyrings(state, true).keyring("www"), target, now)
                        .outcome() == io.blueorigin.cdn.httpcache.signing.SignatureCheck.Outcome.OK);
            }
        }
    }

    @Test
    void theRouterSendsLondonToLhrAndTheUsToNycByHttpAndDnsAndAroundADrainedEdge(@TempDir Path dataDir) throws Exception {
        try (Demo demo = Demo.start(new Demo.Spec(dataDir, "127.0.0.1", Demo.Ports.EPHEMERAL));
                TestClient client = new TestClient()) {
            String london = "/api/v1/route?ip=81.2.69.160";
            String sanDiego = "/api/v1/route?ip=214.78.120.1";
            await().atMost(Duration.ofSeconds(20)).until(() -> routed(client, demo, london).equals("edge-lhr"));
            assertThat(routed(client, demo, sanDiego)).isEqualTo("edge-nyc");
            ContentResponse redirect = client.get(demo.router().uri().resolve("/route/item/1?x=1"));
            assertThat(redirect.getStatus()).isEqualTo(302);
            assertThat(redirect.getHeaders().get("Location")).as("127.0.0.1 cannot be located: the default POP, nyc")
                    .isEqualTo(demo.edges().get(0).uri() + "/item/1?x=1");

            org.xbill.DNS.SimpleResolver resolver = new org.xbill.DNS.SimpleResolver("127.0.0.1");
            resolver.setPort(demo.router().dnsPort().orElseThrow());
            resolver.setTimeout(Duration.ofSeconds(5));
            resolver.setEDNS(0, 1232, 0, List.of(new org.xbill.DNS.ClientSubnetOption(27,
                    java.net.InetAddress.getByName("81.2.69.160"))));
            org.xbill.DNS.Message answer = resolver.send(org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(
                    org.xbill.DNS.Name.fromString(Demo.DNS_HOSTNAME + "."), org.xbill.DNS.Type.A, org.xbill.DNS.DClass.IN)));
            String adminToken = Files.readString(dataDir.resolve("admin.token")).strip();
            String view = client.request(demo.admin().uri().resolve("/api/v1/routing")).headers(h -> h.put("Authorization",
                    "Bearer " + adminToken)).send().getContentAsString();
            assertThat(answer.getSection(org.xbill.DNS.Section.ANSWER)).as("%s\n%s", answer, view).singleElement()
                    .satisfies(r -> assertThat(r.rdataToString()).as("edge-lhr's DNS address").isEqualTo("127.0.0.2"))
                    .satisfies(r -> assertThat(r.getTTL()).isEqualTo(20));

            String token = Files.readString(dataDir.resolve("admin.token")).strip();
            ContentResponse drained = client.request(demo.admin().uri().resolve("/api/v1/nodes/edge-lhr/drain"))
                    .method("POST").headers(h -> h.put("Authorization", "Bearer " + token)).send();
            assertThat(drained.getStatus()).as(drained.getContentAsString()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> routed(client, demo, london).equals("edge-nyc"));

            // the router's metrics are those docs/metrics.md lists, with their types, and no others
            String metrics = client.get(URI.create(demo.router().managementUri() + "/metrics")).getContentAsString();
            java.util.Map<String, String> documented = new java.util.TreeMap<>();
            java.util.regex.Pattern row = java.util.regex.Pattern.compile("^\\| `(cdn_router_[a-z_]+)` \\| (counter|gauge) \\|");
            for (String line : Files.readAllLines(Path.of("..", "docs", "metrics.md"))) {
                java.util.regex.Matcher m = row.matcher(line);
                if (m.find()) {
                    documented.put(m.group(1), m.group(2));
                }
            }
            assertThat(documented).isNotEmpty();
            documented.forEach((name, type) -> assertThat(metrics).as("router exports %s", name).contains("# TYPE " + name + " " + type));
            assertThat(metrics.lines().filter(l -> l.startsWith("# TYPE cdn_")).map(l -> l.split(" ")[2]))
                    .as("nothing exported that docs/metrics.md does not list").allSatisfy(n -> assertThat(documented).containsKey(n));
        }
    }

    /** The node the router chooses for {@code pathAndQuery} ({@code /api/v1/route?ip=...}). */
    private static String routed(TestClient client, Demo demo, String pathAndQuery) throws Exception {
        ContentResponse r = client.get(demo.router().uri().resolve(pathAndQuery));
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        return Json.MAPPER.readTree(r.getContentAsString()).path("choice").path("node").asText("");
    }

    /** Waits for the (asynchronously written) line of {@code log} that contains {@code fragment}. */
    private static String logLine(Path log, String fragment) {
        return await().atMost(Duration.ofSeconds(10))
                .until(() -> read(log).lines().filter(l -> l.contains(fragment)).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aRestartOnTheSameDataDirectoryKeepsTheTokenAndTheDatabase(@TempDir Path dataDir) throws Exception {
        String first;
        try (Demo demo = Demo.start(new Demo.Spec(dataDir, "127.0.0.1", Demo.Ports.EPHEMERAL))) {
            first = demo.admin().bootstrapToken().orElseThrow();
        }
        try (Demo again = Demo.start(new Demo.Spec(dataDir, "127.0.0.1", Demo.Ports.EPHEMERAL));
                TestClient client = new TestClient()) {
            assertThat(again.admin().bootstrapToken()).isEmpty();
            assertThat(again.describe()).contains("created on the first start");
            // the restart declared its sites again with the token the first start left in admin.token (200: replaced),
            // now pointing at this run's origins
            JsonNode sites = sites(client, again, first);
            assertThat(sites.findValuesAsText("name")).containsExactly("img", "www");
            assertThat(sites.toString()).contains(again.imgOrigin().uri().toString());
        }
        assertThat(first).startsWith("bo_");
    }

    // ------------------------------------------------------------------------------------------ sites

    /** {@code GET /api/v1/sites}'s {@code sites}. */
    private static JsonNode sites(TestClient client, Demo demo, String token) throws Exception {
        ContentResponse response = TestClient.send(client.request(URI.create(demo.admin().uri() + "/api/v1/sites"))
                .headers(h -> h.put("Authorization", "Bearer " + token)));
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        return Json.MAPPER.readTree(response.getContentAsString()).path("sites");
    }

    /** Needs admin's /api/v1/sites only: the demo's two sites are in admin's table, each with its own origin. */
    @Test
    void theDemoDeclaresItsTwoSitesInAdminBeforeTheNodesStart(@TempDir Path dataDir) throws Exception {
        try (Demo demo = Demo.start(new Demo.Spec(dataDir, "127.0.0.1", Demo.Ports.EPHEMERAL));
                TestClient client = new TestClient()) {
            String token = demo.admin().bootstrapToken().orElseThrow();
            JsonNode sites = sites(client, demo, token);
            assertThat(sites.findValuesAsText("name")).containsExactly("img", "www");
            for (JsonNode site : sites) {
                String name = site.path("name").asText();
                assertThat(site.path("hosts").get(0).asText()).isEqualTo(Demo.SITE_HOSTS.get(name));
                URI origin = (name.equals("img") ? demo.imgOrigin() : demo.origin()).uri();
                assertThat(URI.create(site.path("origins").get(0).path("url").asText())).isEqualTo(origin);
            }
            assertThat(demo.origin().uri()).isNotEqualTo(demo.imgOrigin().uri());
            for (ProxyNode node : List.of(demo.edges().get(0), demo.edges().get(1), demo.shields().get(0), demo.shields().get(1))) {
                assertThat(node.config().cache().site()).as(node.identity().name() + "'s site for unclaimed hosts")
                        .isEqualTo(Demo.DEFAULT_SITE);
            }
            assertThat(demo.describe()).contains("origin-img").contains("img.demo.test").contains("www.demo.test");
            // the two origins answer differently
            String www = client.get(URI.create(demo.origin().uri() + "/item/1")).getContentAsString();
            String img = client.get(URI.create(demo.imgOrigin().uri() + "/item/1")).getContentAsString();
            assertThat(www).contains("\"site\":\"www\"");
            assertThat(img).contains("\"site\":\"img\"");
        }
    }

    /**
     * Needs the proxy side of sites (the Host selects the site, the shield fetches from the site's origin, purges
     * take a site): each site's object comes from its own origin, is cached under its own key, and a purge of one
     * site leaves the other's a hit; a host no site claims is served as www.
     */
    @Test
    void eachSiteHasItsOwnOriginObjectAndPurge(@TempDir Path dataDir) throws Exception {
        try (Demo demo = Demo.start(new Demo.Spec(dataDir, "127.0.0.1", Demo.Ports.EPHEMERAL));
                TestClient client = new TestClient()) {
            String token = demo.admin().bootstrapToken().orElseThrow();
            ProxyNode nyc = demo.edges().get(0);
            await().atMost(Duration.ofSeconds(20)).until(() -> nyc.control().readiness().ready());

            ContentResponse www = get(client, nyc, "www.demo.test", "/item/1");
            assertThat(www.getStatus()).isEqualTo(200);
            assertThat(www.getContentAsString()).contains("\"site\":\"www\"");
            assertThat(www.getHeaders().get("X-Cache")).isEqualTo("MISS");
            ContentResponse img = get(client, nyc, "img.demo.test", "/item/1");
            assertThat(img.getStatus()).isEqualTo(200);
            assertThat(img.getContentAsString()).contains("\"site\":\"img\"");
            assertThat(img.getHeaders().get("X-Cache")).as("another site, another key").isEqualTo("MISS");
            assertThat(demo.origin().stats().count("/item/1")).isEqualTo(1);
            assertThat(demo.imgOrigin().stats().count("/item/1")).isEqualTo(1);

            assertThat(get(client, nyc, "img.demo.test", "/item/1").getHeaders().get("X-Cache")).isEqualTo("HIT");
            assertThat(get(client, nyc, "IMG.demo.test:443", "/item/1").getHeaders().get("X-Cache"))
                    .as("host case and port do not matter").isEqualTo("HIT");
            ContentResponse unclaimed = get(client, nyc, nyc.uri().getAuthority(), "/item/1");
            assertThat(unclaimed.getContentAsString()).as("a host no site claims is www's").contains("\"site\":\"www\"");
            assertThat(unclaimed.getHeaders().get("X-Cache")).as("www's key: site + path").isEqualTo("HIT");

            ContentResponse purge = TestClient.send(client.request(URI.create(demo.admin().uri() + "/api/v1/purge"))
                    .method("POST").headers(h -> h.put("Authorization", "Bearer " + token))
                    .body(new StringRequestContent("application/json", "{\"urls\": [\"/item/1\"], \"site\": \"img\"}")));
            assertThat(purge.getStatus()).as(purge.getContentAsString()).isBetween(200, 202);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                    assertThat(get(client, nyc, "img.demo.test", "/item/1").getHeaders().get("X-Cache")).isEqualTo("MISS"));
            assertThat(demo.imgOrigin().stats().count("/item/1")).isEqualTo(2);
            ContentResponse wwwAgain = get(client, nyc, "www.demo.test", "/item/1");
            assertThat(wwwAgain.getHeaders().get("X-Cache")).as("the purge of img left www's object").isEqualTo("HIT");
            assertThat(demo.origin().stats().count("/item/1")).isEqualTo(1);
        }
    }

    private static ContentResponse get(TestClient client, ProxyNode edge, String host, String path) {
        return TestClient.send(client.request(URI.create(edge.uri() + path)).headers(h -> h.put("Host", host)));
    }
}
