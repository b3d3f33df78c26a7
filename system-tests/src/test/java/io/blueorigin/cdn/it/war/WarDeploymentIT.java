package io.blueorigin.cdn.it.war;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestOrigin;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the WAR form adds to the caching scenarios (which run over the WARs too: {@code CachingBasicsOverWarsIT}):
 * edge.war and shield.war in stock Jetty distributions set up as ops/jetty-base describes (client → edge.war →
 * shield.war → test origin), collapsing, pass-through via the role's servlet, the container's compliance
 * settings from setup.sh, the node's own management port, and a WAR deployed without its configuration.
 */
class WarDeploymentIT {
    @TempDir
    static Path dir;

    static TestOrigin origin;
    static WarTiers wars;
    static final TestClient client = new TestClient();

    @BeforeAll
    static void deploy() throws Exception {
        origin = TestOrigin.start();
        wars = WarTiers.start(origin.uri());
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        if (wars != null) {
            wars.close();
        }
        origin.close();
    }

    private static Reply cacheable(String body) {
        return Reply.ok(body).withHeader("Cache-Control", "public, max-age=60").withHeader("ETag", "\"" + body + "\"");
    }

    private static ContentResponse get(String path) {
        return client.get(wars.edge.uri(path));
    }

    @Test
    void encodedSlashesPassToTheOriginAndEncodedDotSegmentsAreRefused() {
        origin.on("/war/enc/a%2Fb", Reply.ok("enc").withHeader("Cache-Control", "max-age=60"));
        ContentResponse encoded = get("/war/enc/a%2Fb");
        assertThat(encoded.getStatus()).isEqualTo(200);
        assertThat(encoded.getContentAsString()).isEqualTo("enc");
        assertThat(origin.count("/war/enc/a%2Fb")).isEqualTo(1);
        assertThat(get("/war/enc/%2e%2e/secret").getStatus()).isEqualTo(400);
    }

    @Test
    void concurrentMissesForOneKeyReachTheOriginOnce() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        origin.on("/war/herd", cacheable("herd").heldUntil(release));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<ContentResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                answers.add(pool.submit(() -> get("/war/herd")));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> origin.count("/war/herd") >= 1);
            release.complete(null);
            for (Future<ContentResponse> answer : answers) {
                assertThat(answer.get().getContentAsString()).isEqualTo("herd");
            }
        } finally {
            release.complete(null);
            pool.shutdownNow();
        }
        assertThat(origin.count("/war/herd")).isEqualTo(1);
    }

    @Test
    void aPostGoesThroughTheRolesServletToTheOrigin() {
        origin.on("/war/post", Reply.ok("posted"));
        ContentResponse response = TestClient.send(client.request(wars.edge.uri("/war/post")).method("POST")
                .body(new StringRequestContent("text/plain", "payload", StandardCharsets.UTF_8)));
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("posted");
        assertThat(origin.last("/war/post").orElseThrow().method()).isEqualTo("POST");
        assertThat(origin.last("/war/post").orElseThrow().bodyAsString()).isEqualTo("payload");
    }

    @Test
    void theManagementPortServesMetricsAndTheCacheInspector() {
        origin.on("/war/inspect", cacheable("i"));
        assertThat(get("/war/inspect").getHeaders().get("Server")).as("no software version told to clients").isNull();
        ContentResponse metrics = client.get(URI.create("http://127.0.0.1:" + wars.edgeManagement + "/metrics"));
        assertThat(metrics.getStatus()).isEqualTo(200);
        assertThat(metrics.getContentAsString()).contains("cdn_requests_total{role=\"edge\",pop=\"nyc\"");
        ContentResponse inspect = client.get(URI.create("http://127.0.0.1:" + wars.edgeManagement
                + "/cache/inspect?url=/war/inspect"));
        assertThat(inspect.getStatus()).isEqualTo(200);
        assertThat(inspect.getContentAsString()).contains("/war/inspect");
    }

    @Test
    void aWarWithoutItsConfigurationFailsToDeployWithOneLineNamingIt() throws Exception {
        Path base = JettyHomeNode.createBase(dir.resolve("unconfigured-base"));
        Files.copy(Path.of(JettyHomeNode.required("shield.war")), base.resolve("webapps/shield.war"));
        try (JettyHomeNode unconfigured = JettyHomeNode.start(base)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> unconfigured.log().contains("shield.war: no configuration file"));
            assertThat(unconfigured.log()).contains("shield.war: no configuration file: set the context init-parameter "
                    + "blue-origin.config (ops/jetty-base/webapps/shield.xml) or the system property -Dblue-origin.config");
            // Jetty keeps running with the context unavailable: 503, never an answer from a half-started node
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> client.get(unconfigured.uri("/anything")).getStatus() == 503);
        }
    }
}
