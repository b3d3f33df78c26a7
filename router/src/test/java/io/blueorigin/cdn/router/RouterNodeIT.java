package io.blueorigin.cdn.router;

import static io.blueorigin.cdn.router.StubAdmin.lhr;
import static io.blueorigin.cdn.router.StubAdmin.nyc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@link RouterNode} (Jetty, GeoIP2 City test database) following a {@link StubAdmin} over real HTTP:
 * redirects, the JSON decision, forwarding headers only from trusted peers, view changes, admin going away,
 * a restart from the view file, bad input and nothing to route to. The test connects from 127.0.0.1, so
 * without forwarding headers it is an unlocated client (the default POP, nyc).
 */
class RouterNodeIT {
    private static final String LONDON = "81.2.69.160";
    private static final String MILTON_WA = "216.160.83.56";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private StubAdmin admin;
    private final List<RouterNode> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void startAdmin() throws Exception {
        admin = new StubAdmin();
        admin.publish(lhr("healthy"), nyc("healthy"));
    }

    @AfterEach
    void stopAll() throws Exception {
        nodes.forEach(RouterNode::close);
        admin.close();
    }

    private RouterConfig config(String... urls) throws Exception {
        Path db = Path.of(RouterNodeIT.class.getResource("/geoip/GeoIP2-City-Test.mmdb").toURI());
        return RouterConfig.of(new NodeIdentity(Role.ROUTER, "router-test", "lhr"), ServerConfig.ephemeral(),
                java.util.Arrays.stream(urls).map(URI::create).toList(), StubAdmin.TOKEN, db).withDefaultPop("nyc")
                .withPollWait(Duration.ofSeconds(1));
    }

    private RouterNode start(RouterConfig config) {
        RouterNode node = RouterNode.start(config);
        nodes.add(node);
        return node;
    }

    private RouterNode startFollowing(RouterConfig config) {
        RouterNode node = start(config);
        await().atMost(Duration.ofSeconds(10)).until(() -> node.follower().view() != null
                && node.follower().view().version() == admin.version());
        return node;
    }

    private HttpResponse<String> get(RouterNode node, String target, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.uri() + target)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status line for a target java.net.http would refuse to send. */
    private static String rawStatusLine(RouterNode node, String target) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(node.uri().getHost(), node.uri().getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: router\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
    }

    private String location(RouterNode node, String target, String... headers) throws Exception {
        HttpResponse<String> response = get(node, target, headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        return response.headers().firstValue("Location").orElseThrow();
    }

    @Test
    void redirectsLondonToLhrAndTheUsToNycKeepingPathAndQuery() throws Exception {
        RouterNode node = startFollowing(config(admin.url()).withTrustedProxies(RouterConfig.trustedProxies(List.of("127.0.0.0/8"))));

        HttpResponse<String> london = get(node, "/route/img/a%20b.png?v=1&w=%2F", "X-Forwarded-For", LONDON);
        assertThat(london.statusCode()).isEqualTo(302);
        assertThat(london.headers().firstValue("Location")).hasValue("http://lhr.edge.test:8081/img/a%20b.png?v=1&w=%2F");
        assertThat(london.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(location(node, "/route/x", "X-Forwarded-For", MILTON_WA)).isEqualTo("http://nyc.edge.test/x");
        assertThat(location(node, "/route/x", "Forwarded", "for=\"" + LONDON + ":1234\"")).isEqualTo("http://lhr.edge.test:8081/x");
        assertThat(location(node, "/route", "X-Forwarded-For", LONDON)).isEqualTo("http://lhr.edge.test:8081/");
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(node.uri() + "/route/h?q"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("X-Forwarded-For", LONDON).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(302);
        assertThat(head.headers().firstValue("Location")).hasValue("http://lhr.edge.test:8081/h?q");
    }

    @Test
    void forwardingHeadersFromAnUntrustedPeerAreIgnored() throws Exception {
        RouterNode untrusting = startFollowing(config(admin.url()));

        // the peer 127.0.0.1 cannot be located: the default POP, whatever the spoofed fields say
        assertThat(location(untrusting, "/route/x", "X-Forwarded-For", LONDON)).isEqualTo("http://nyc.edge.test/x");
        assertThat(location(untrusting, "/route/x", "Forwarded", "for=" + LONDON)).isEqualTo("http://nyc.edge.test/x");
        JsonNode own = JSON.readTree(get(untrusting, "/api/v1/route", "X-Forwarded-For", LONDON).body());
        assertThat(own.get("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(own.get("located").asBoolean()).isFalse();
    }

    @Test
    void explainsTheDecisionAsJson() throws Exception {
        RouterNode node = startFollowing(config(admin.url()));

        HttpResponse<String> response = get(node, "/api/v1/route?ip=" + LONDON);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("ip").asText()).isEqualTo(LONDON);
        assertThat(body.get("located").asBoolean()).isTrue();
        assertThat(body.get("client").get("latitude").asDouble()).isBetween(51.0, 52.0);
        assertThat(body.get("choice").get("node").asText()).isEqualTo("edge-lhr");
        assertThat(body.get("choice").get("pop").asText()).isEqualTo("lhr");
        assertThat(body.get("choice").get("url").asText()).isEqualTo("http://lhr.edge.test:8081");
        assertThat(body.get("choice").get("distanceKm").asDouble()).isBetween(10.0, 40.0);
        assertThat(body.get("reason").asText()).isEqualTo("NEAREST");
        assertThat(body.get("alternates")).singleElement()
                .satisfies(a -> assertThat(a.get("node").asText()).isEqualTo("edge-nyc"))
                .satisfies(a -> assertThat(a.get("distanceKm").asDouble()).isGreaterThan(5000));
        assertThat(body.get("viewVersion").asLong()).isEqualTo(admin.version());

        JsonNode privateAddress = JSON.readTree(get(node, "/api/v1/route?ip=10.0.0.1").body());
        assertThat(privateAddress.get("located").asBoolean()).isFalse();
        assertThat(privateAddress.get("client").isNull()).isTrue();
        assertThat(privateAddress.get("choice").get("pop").asText()).isEqualTo("nyc");
        assertThat(privateAddress.get("choice").get("distanceKm").isNull()).isTrue();
        assertThat(privateAddress.get("reason").asText()).isEqualTo("NO_LOCATION_DEFAULT_POP");

        JsonNode ipv6 = JSON.readTree(get(node, "/api/v1/route?ip=2001:db8::1").body());
        assertThat(ipv6.get("ip").asText()).isEqualTo("2001:db8:0:0:0:0:0:1");
    }

    @Test
    void badInputIsA4xxNeverA5xx() throws Exception {
        RouterNode node = startFollowing(config(admin.url()));

        HttpResponse<String> malformed = get(node, "/api/v1/route?ip=81.2.69.999");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("ip : '81.2.69.999'");
        assertThat(get(node, "/api/v1/route?ip=localhost").statusCode()).isEqualTo(400);
        assertThat(get(node, "/api/v1/route?ip=1.2.3.4&ip=5.6.7.8").statusCode()).isEqualTo(400);
        assertThat(rawStatusLine(node, "/api/v1/route?ip=%ZZ")).contains(" 400 ");
        assertThat(rawStatusLine(node, "/api/v1/route?ip=%C0%AF")).contains(" 400 ");
        assertThat(get(node, "/api/v1/route?ip=" + "1".repeat(5000)).statusCode()).isEqualTo(400);
        assertThat(get(node, "/nothing").statusCode()).isEqualTo(404);
        assertThat(get(node, "/routex").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(node.uri() + "/route/x"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(get(node, "/route/a?b=%0d%0aSet-Cookie:%20x").headers().firstValue("Location"))
                .hasValue("http://nyc.edge.test/a?b=%0d%0aSet-Cookie:%20x");
    }

    @Test
    void followsViewChangesAndKeepsTheLastViewWhenAdminGoesAway() throws Exception {
        RouterNode node = startFollowing(config(admin.url()));
        assertThat(location(node, "/route/x", "X-Forwarded-For", LONDON)).startsWith("http://nyc"); // untrusted peer
        assertThat(JSON.readTree(get(node, "/api/v1/route?ip=" + LONDON).body()).get("choice").get("node").asText())
                .isEqualTo("edge-lhr");

        admin.publish(lhr("down"), nyc("healthy"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                JSON.readTree(get(node, "/api/v1/route?ip=" + LONDON).body()).get("choice").get("node").asText())
                .isEqualTo("edge-nyc"));

        admin.publish(lhr("healthy"), nyc("draining"));
        admin.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !node.follower().following());
        JsonNode lastView = JSON.readTree(get(node, "/api/v1/route?ip=" + MILTON_WA).body());
        assertThat(lastView.get("choice").get("node").asText()).isEqualTo("edge-lhr"); // nyc drained in the last view
        assertThat(lastView.get("viewVersion").asLong()).isEqualTo(3);
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(node.managementUri() + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"following\" : false").contains("routing goes on with the last view");
        String metrics = http.send(HttpRequest.newBuilder(URI.create(node.managementUri() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("cdn_router_view_version{role=\"router\",pop=\"lhr\",} 3.0")
                .contains("cdn_router_admin_reachable{role=\"router\",pop=\"lhr\",} 0.0")
                .contains("cdn_router_decisions_total{role=\"router\",pop=\"lhr\",reason=\"nearest\",}");
    }

    @Test
    void followsTheNextAdminReplicaWhenItsAdminGoesAway() throws Exception {
        // issue 17: routers, like edges, list every admin replica; the second replica has moved on (lhr down)
        try (StubAdmin second = new StubAdmin()) {
            second.publish(lhr("healthy"), nyc("healthy"));
            second.publish(lhr("down"), nyc("healthy"));
            RouterNode node = startFollowing(config(admin.url(), second.url()));
            assertThat(node.follower().view().version()).isEqualTo(1);

            admin.close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    JSON.readTree(get(node, "/api/v1/route?ip=" + LONDON).body()).get("choice").get("node").asText())
                    .isEqualTo("edge-nyc"));
            assertThat(node.follower().following()).isTrue();
            JsonNode ready = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(node.managementUri() + "/readyz"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body()).get("checks").get("routing-view");
            assertThat(ready.get("admin").asText()).isEqualTo(second.url() + "/api/v1/routing");
            assertThat(ready.get("adminReplicas").asInt()).isEqualTo(2);
            assertThat(ready.get("adminFailovers").asLong()).isPositive();
        }
    }

    @Test
    void aRestartWhileAdminIsDownRoutesWithTheSavedView() throws Exception {
        Path viewFile = dir.resolve("state/routing-view.json");
        RouterNode first = startFollowing(config(admin.url()).withViewFile(viewFile));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(viewFile));
        first.close();
        nodes.remove(first);
        String gone = admin.url();
        admin.close();

        RouterNode restarted = start(config(gone).withViewFile(viewFile));
        assertThat(restarted.follower().view()).isNotNull();
        assertThat(JSON.readTree(get(restarted, "/api/v1/route?ip=" + LONDON).body()).get("choice").get("node").asText())
                .isEqualTo("edge-lhr");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(restarted.managementUri() + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void withoutAViewTheRouterIsNotReadyAndAnswers503() throws Exception {
        String gone = admin.url();
        admin.close();
        RouterNode node = start(config(gone));

        HttpResponse<String> response = get(node, "/route/x");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(response.body()).contains("no routing view");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(node.managementUri() + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
    }

    @Test
    void noEdgeAvailableIs503WithRetryAfter() throws Exception {
        admin.publish(lhr("down"), nyc("draining"));
        RouterNode node = startFollowing(config(admin.url()));

        HttpResponse<String> response = get(node, "/route/x");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(response.body()).contains("every edge is down or draining");
        JsonNode body = JSON.readTree(get(node, "/api/v1/route?ip=" + LONDON).body());
        assertThat(body.get("choice").isNull()).isTrue();
        assertThat(body.get("reason").asText()).isEqualTo("NONE_AVAILABLE");
    }

    @Test
    void aRefusedTokenIsReportedInReadiness() throws Exception {
        RouterConfig wrong = new RouterConfig(config(admin.url()).identity(), ServerConfig.ephemeral(),
                List.of(URI.create(admin.url())), "bo_wrong", config(admin.url()).geoipDb(), "nyc", 50, 0.1, List.of(),
                Duration.ofSeconds(1), 0, "127.0.0.1", "cdn.demo.test", Duration.ofSeconds(20), null);
        RouterNode node = start(wrong);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(http.send(HttpRequest.newBuilder(
                URI.create(node.managementUri() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString()).body())
                .contains("refused the token (401)"));
        assertThat(node.follower().view()).isNull();
    }
}
