package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.admin.AdminConfigs;
import io.blueorigin.cdn.admin.AdminNode;
import io.blueorigin.cdn.config.ConfigValues;
import io.blueorigin.cdn.edge.EdgeNode;
import io.blueorigin.cdn.origin.DemoOrigin;
import io.blueorigin.cdn.proxy.ProxyConfigs;
import io.blueorigin.cdn.router.RouterNode;
import io.blueorigin.cdn.runtime.Node;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestDatabase;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file in ops/examples/ starts a node, and the nodes form the fleet the examples describe: origin.yaml
 * behind shield.yaml behind edge.yaml, both following admin.yaml, router.yaml following admin, edge-sites.yaml
 * standalone; each answers /healthz and a request goes edge -> shield -> origin.
 *
 * <p>The shield and the edge run as an operator runs them ({@code blue-origin <role> --config FILE}, the token
 * in CDN_CONTROL_TOKEN), each in its own JVM with the heap its example's heap tier needs (at most half the
 * JVM heap). The others start in this JVM from the same file through the same loading (ConfigValues, then
 * NodeConfigs), which keeps the test short on two cores. Only what a test machine cannot take as written is
 * overridden: addresses and ports (loopback, ephemeral), paths (a temporary directory), the other nodes'
 * URLs (their ephemeral ports), the database (embedded PostgreSQL) and the router's DNS port (53 needs root;
 * 0 runs no DNS server).
 */
class ExampleConfigsIT {
    private static final Path EXAMPLES = Path.of("..", "ops", "examples");
    private static final Pattern SECRET = Pattern.compile("\"secret\"\\s*:\\s*\"([^\"]+)\"");
    /** The demo's GeoIP test database (MaxMind's test data, Apache-2.0). */
    private static final Path GEOIP = Path.of("src", "main", "resources", "demo", "geoip", "GeoIP2-City-Test.mmdb");
    /** What every node is given on top of its file: loopback, ephemeral ports. */
    private static final Map<String, String> LOOPBACK = Map.of("server.host", "127.0.0.1", "server.port", "0",
            "management.port", "0");

    @TempDir
    Path dir;

    /** Nodes started in this JVM, closed at the end whatever happens. */
    private final List<Node> inProcess = new CopyOnWriteArrayList<>();
    /** Nodes started in a JVM of their own, stopped (SIGTERM) at the end whatever happens. */
    private final List<NodeProcess> processes = new CopyOnWriteArrayList<>();

    @Test
    void everyExampleConfigStartsANodeAndTheyServeTogether() throws Exception {
        Map<String, URI> traffic = new TreeMap<>();
        Map<String, URI> management = new TreeMap<>();
        try (TestClient client = new TestClient()) {
            Path tokenFile = dir.resolve("admin.token");
            Node admin = startHere(Role.ADMIN, "admin.yaml", Map.of("CDN_DB_PASSWORD", "unused (trust)"),
                    "db.url", TestDatabase.fresh(), "db.user", "postgres", "admin.bootstrap-token-file", tokenFile.toString());
            Node origin = startHere(Role.ORIGIN, "origin.yaml", Map.of());
            URI adminUri = admin.uri();
            String bootstrap = Files.readString(tokenFile).strip();
            String shieldToken = token(client, adminUri, bootstrap,
                    "{\"name\": \"shield-iad\", \"scopes\": [\"node\"], \"node\": \"shield-iad\"}");
            String edgeToken = token(client, adminUri, bootstrap,
                    "{\"name\": \"edge-nyc\", \"scopes\": [\"node\"], \"node\": \"edge-nyc\"}");
            String routerToken = token(client, adminUri, bootstrap, "{\"name\": \"router-1\", \"scopes\": [\"read\"]}");

            CompletableFuture<NodeProcess> shield = CompletableFuture.supplyAsync(() -> startProcess("-Xmx2200m",
                    shieldToken, "shield", "shield.yaml", "--upstream", origin.uri().toString(),
                    "--set", "control.admin-url=" + adminUri, "--set", "store.disk.path=" + mkdir("shield-iad"),
                    "--access-log", dir.resolve("shield-iad.access.log").toString()));
            Node sites = startHere(Role.EDGE, "edge-sites.yaml", Map.of(), "upstream.url", origin.uri().toString());
            Node router = startHere(Role.ROUTER, "router.yaml", Map.of("CDN_ROUTING_TOKEN", routerToken),
                    "routing.admin-url", adminUri.toString(), "routing.geoip-db", GEOIP.toString(),
                    "routing.dns-port", "0", "routing.view-file", dir.resolve("routing-view.json").toString());
            NodeProcess shieldNode = shield.join();
            NodeProcess edge = startProcess("-Xmx1200m", edgeToken, "edge", "edge.yaml",
                    "--upstream", shieldNode.uri().toString(), "--set", "control.admin-url=" + adminUri,
                    "--set", "store.disk.path=" + mkdir("edge-nyc"), "--access-log", dir.resolve("edge-nyc.access.log").toString());

            Map<String, Object> byFile = Map.of("admin.yaml", admin, "origin.yaml", origin, "edge-sites.yaml", sites,
                    "router.yaml", router, "shield.yaml", shieldNode, "edge.yaml", edge);
            try (Stream<Path> files = Files.list(EXAMPLES)) {
                assertThat(byFile.keySet()).as("every file in ops/examples/ is started here")
                        .containsExactlyInAnyOrderElementsOf(files.map(f -> f.getFileName().toString()).toList());
            }
            Map<String, String> names = Map.of("origin.yaml", "origin-local", "admin.yaml", "admin-local",
                    "shield.yaml", "shield-iad", "edge.yaml", "edge-nyc", "edge-sites.yaml", "edge-fra", "router.yaml", "router-1");
            byFile.forEach((file, node) -> {
                URI health = (node instanceof Node n ? n.managementUri() : ((NodeProcess) node).managementUri()).resolve("/healthz");
                ContentResponse answer = client.get(health);
                assertThat(answer.getStatus()).as("%s /healthz", file).isEqualTo(200);
                assertThat(answer.getContentAsString()).as("%s /healthz", file).contains(names.get(file));
            });

            // as the examples describe the fleet: edge-nyc -> shield-iad -> origin, both registered with admin
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ContentResponse item = client.get(edge.uri().resolve("/item/1"));
                assertThat(item.getStatus()).isEqualTo(200);
                assertThat(item.getHeaders().get("Via")).contains("shield-iad").contains("edge-nyc");
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.get(adminUri.resolve("/api/v1/nodes"),
                    "Authorization", "Bearer " + bootstrap).getContentAsString()).contains("\"edge-nyc\"").contains("\"shield-iad\""));
            assertThat(Files.readString(dir.resolve("edge-nyc.access.log"))).as("the edge's access log").contains("/item/1");
        } finally {
            // SIGTERM to every process at once (each drains for up to server.stop-timeout), then this JVM's nodes
            CompletableFuture.allOf(processes.stream().map(p -> CompletableFuture.runAsync(p::close))
                    .toArray(CompletableFuture[]::new)).join();
            inProcess.forEach(Node::close);
        }
    }

    /**
     * A node of {@code role} from {@code ops/examples/<file>} in this JVM, loaded as {@code blue-origin} loads it,
     * on loopback and ephemeral ports, with {@code overrides} (key, value, ...) as {@code --set} would give them.
     */
    private Node startHere(Role role, String file, Map<String, String> environment, String... overrides) {
        Map<String, String> flags = new LinkedHashMap<>(LOOPBACK);
        for (int i = 0; i < overrides.length; i += 2) {
            flags.put(overrides[i], overrides[i + 1]);
        }
        ConfigValues values = ConfigValues.load(role, Optional.of(EXAMPLES.resolve(file)), flags, Map.of(), environment);
        Node node = switch (role) {
            case ADMIN -> AdminNode.start(AdminConfigs.admin(values));
            case ORIGIN -> DemoOrigin.start(RoleConfigs.origin(values));
            case ROUTER -> RouterNode.start(RoleConfigs.router(values));
            case EDGE -> EdgeNode.start(ProxyConfigs.proxy(values));
            case SHIELD -> throw new IllegalArgumentException("the shield example runs in its own JVM");
        };
        inProcess.add(node);
        return node;
    }

    /**
     * {@code blue-origin <command> --config ops/examples/<file>} in its own JVM ({@code -Xmx} as given), its
     * token in CDN_CONTROL_TOKEN, on loopback and ephemeral ports, with {@code overrides} (flags) after them.
     */
    private NodeProcess startProcess(String heap, String token, String command, String file, String... overrides) {
        List<String> args = new ArrayList<>(List.of(command, "--config", EXAMPLES.resolve(file).toString(),
                "--host", "127.0.0.1", "--port", "0", "--management-port", "0"));
        args.addAll(List.of(overrides));
        try {
            NodeProcess node = NodeProcess.start(List.of(heap), Map.of("CDN_CONTROL_TOKEN", token), args);
            processes.add(node);
            return node;
        } catch (Exception e) {
            throw new AssertionError(file + " did not start", e);
        }
    }

    private String mkdir(String name) {
        try {
            return Files.createDirectories(dir.resolve(name)).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A new token's secret, from admin's POST /api/v1/tokens. */
    private static String token(TestClient client, URI admin, String bootstrap, String json) throws Exception {
        ContentResponse created = client.jetty().POST(admin.resolve("/api/v1/tokens"))
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + bootstrap))
                .body(new StringRequestContent("application/json", json))
                .send();
        assertThat(created.getStatus()).as(created.getContentAsString()).isEqualTo(201);
        Matcher secret = SECRET.matcher(created.getContentAsString());
        assertThat(secret.find()).isTrue();
        return secret.group(1);
    }
}
