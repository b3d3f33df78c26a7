package io.blueorigin.cdn.it.war;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blueorigin.cdn.testkit.FreePort;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestDatabase;
import io.blueorigin.cdn.testkit.TestOrigin;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * admin.war on a real PostgreSQL and edge.war following it, each in a stock Jetty distribution (separate JVMs):
 * the WAR admin migrates, writes its bootstrap token, serves the API and the console; the WAR edge registers
 * with the container's URL and applies a purge from admin's log.
 */
class AdminWarIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TestOrigin origin;
    static JettyHomeNode admin;
    static JettyHomeNode edge;
    static int adminManagement;
    static String token;
    static final TestClient client = new TestClient();

    @BeforeAll
    static void deploy() throws Exception {
        origin = TestOrigin.start();
        adminManagement = FreePort.take();
        Path tokenFile = dir.resolve("admin.token");
        admin = JettyHomeNode.start(WarTiers.base(dir, "admin", """
                node:
                  pop: local
                  name: admin-war
                management:
                  port: %d
                db:
                  url: %s
                  user: postgres
                admin:
                  bootstrap-token-file: %s
                """.formatted(adminManagement, TestDatabase.fresh(), tokenFile)));
        admin.awaitReady(URI.create("http://127.0.0.1:" + adminManagement + "/readyz"));
        token = Files.readString(tokenFile).trim();

        ContentResponse created = api("POST", "/api/v1/tokens",
                "{\"name\": \"edge-nyc-war\", \"scopes\": [\"node\"], \"node\": \"edge-nyc\"}");
        assertThat(created.getStatus()).as(created.getContentAsString()).isEqualTo(201);
        String nodeToken = JSON.readTree(created.getContentAsString()).get("secret").asText();
        int edgeManagement = FreePort.take();
        edge = JettyHomeNode.start(WarTiers.base(dir, "edge", """
                node:
                  pop: nyc
                management:
                  port: %d
                upstream:
                  url: %s
                control:
                  admin-url: http://127.0.0.1:%d
                  token: %s
                  heartbeat-interval: 1s
                store:
                  heap:
                    max-size: 32MB
                """.formatted(edgeManagement, origin.uri(), admin.port, nodeToken)));
        edge.awaitReady(URI.create("http://127.0.0.1:" + edgeManagement + "/readyz"));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        if (edge != null) {
            edge.close();
        }
        if (admin != null) {
            admin.close();
        }
        origin.close();
    }

    private static ContentResponse api(String method, String path, String body) {
        var request = client.request(admin.uri(path)).method(method).headers(h -> h.put("Authorization", "Bearer " + token));
        if (body != null) {
            request.body(new StringRequestContent("application/json", body, StandardCharsets.UTF_8));
        }
        return TestClient.send(request);
    }

    @Test
    void theWarAdminServesTheApiTheConsoleAndItsMetrics() {
        assertThat(api("GET", "/api/v1/nodes", null).getStatus()).isEqualTo(200);
        assertThat(client.get(admin.uri("/api/v1/nodes")).getStatus()).as("without a token").isEqualTo(401);
        ContentResponse login = client.get(admin.uri("/console/login"));
        assertThat(login.getStatus()).isEqualTo(200);
        assertThat(login.getContentAsString()).contains("Log in");
        assertThat(client.get(admin.uri("/console/static/uPlot.min.css")).getStatus()).as("the webjar, read by the webapp class loader").isEqualTo(200);
        ContentResponse metrics = client.get(URI.create("http://127.0.0.1:" + adminManagement + "/metrics"));
        assertThat(metrics.getContentAsString()).contains("cdn_admin_api_requests_total");
    }

    @Test
    void theWarEdgeRegistersWithTheContainersPortAndAppliesAPurge() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode nodes = JSON.readTree(api("GET", "/api/v1/nodes", null).getContentAsString());
            for (JsonNode node : nodes.path("nodes")) {
                if (node.path("name").asText().equals("edge-nyc")) {
                    return node.toString().contains(":" + edge.port);
                }
            }
            return false;
        });
        origin.on("/admin-war/a", Reply.ok("a").withHeader("Cache-Control", "max-age=600"));
        client.get(edge.uri("/admin-war/a"));
        assertThat(client.get(edge.uri("/admin-war/a")).getHeaders().get("X-Cache")).isEqualTo("HIT");
        ContentResponse purge = api("POST", "/api/v1/purge", "{\"urls\": [\"/admin-war/a\"]}");
        assertThat(purge.getStatus()).as(purge.getContentAsString()).isIn(200, 201, 202);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "MISS".equals(client.get(edge.uri("/admin-war/a")).getHeaders().get("X-Cache")));
        assertThat(origin.count("/admin-war/a")).isEqualTo(2);
    }
}
