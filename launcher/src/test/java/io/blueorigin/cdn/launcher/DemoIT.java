package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.testkit.TestClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.client.ContentResponse;
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
    void aRestartOnTheSameDataDirectoryKeepsTheTokenAndTheDatabase(@TempDir Path dataDir) {
        String first;
        try (Demo demo = Demo.start(new Demo.Spec(dataDir, "127.0.0.1", Demo.Ports.EPHEMERAL))) {
            first = demo.admin().bootstrapToken().orElseThrow();
        }
        try (Demo again = Demo.start(new Demo.Spec(dataDir, "127.0.0.1", Demo.Ports.EPHEMERAL))) {
            assertThat(again.admin().bootstrapToken()).isEmpty();
            assertThat(again.describe()).contains("created on the first start");
        }
        assertThat(first).startsWith("bo_");
    }
}
