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
 * edge.war and shield.war, each in a stock Jetty 12.1 distribution started as a separate JVM the way
 * ops/jetty-base describes (a base made by start.jar, the WAR and ops/jetty-base's context file in
 * {@code webapps/}): client → edge.war → shield.war → test origin. The launcher's caching scenarios that need no
 * clock of their own run here against the WARs: the same request path (ProxyCore) in both forms.
 */
class WarDeploymentIT {
    private static final Path REPO = repositoryRoot();

    @TempDir
    static Path dir;

    static TestOrigin origin;
    static JettyHomeNode shield;
    static JettyHomeNode edge;
    static int edgeManagement;
    static final TestClient client = new TestClient();

    @BeforeAll
    static void deploy() throws Exception {
        origin = TestOrigin.start();
        int shieldManagement = JettyHomeNode.freePort();
        shield = JettyHomeNode.start(base("shield", """
                node:
                  pop: iad
                management:
                  port: %d
                upstream:
                  url: %s
                store:
                  heap:
                    max-size: 32MB
                """.formatted(shieldManagement, origin.uri())));
        edgeManagement = JettyHomeNode.freePort();
        edge = JettyHomeNode.start(base("edge", """
                node:
                  pop: nyc
                management:
                  port: %d
                upstream:
                  url: http://127.0.0.1:%d
                store:
                  heap:
                    max-size: 32MB
                """.formatted(edgeManagement, shield.port)));
        shield.awaitReady(URI.create("http://127.0.0.1:" + shieldManagement + "/readyz"));
        edge.awaitReady(URI.create("http://127.0.0.1:" + edgeManagement + "/readyz"));
    }

    private static Path base(String role, String yaml) throws Exception {
        return base(dir, role, yaml);
    }

    /**
     * A jetty base in {@code dir} for {@code role}.war with a config written here, made by ops/jetty-base/setup.sh as
     * an operator runs it (its context file from ops/jetty-base/webapps, the container's compliance settings).
     */
    static Path base(Path dir, String role, String yaml) throws Exception {
        Path config = Files.writeString(dir.resolve(role + ".yaml"), yaml);
        Path base = dir.resolve(role + "-base");
        Process setup = new ProcessBuilder("bash", REPO.resolve("ops/jetty-base/setup.sh").toString(),
                "--jetty-home", JettyHomeNode.HOME.toString(), "--war", JettyHomeNode.required(role + ".war"),
                "--config", config.toString(), role, base.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(role + "-setup.log").toFile()).start();
        assertThat(setup.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(setup.exitValue()).as(Files.readString(dir.resolve(role + "-setup.log"))).isZero();
        assertThat(Files.readString(base.resolve("webapps/" + role + ".xml"))).contains(config.toString());
        return base;
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        if (edge != null) {
            edge.close();
        }
        if (shield != null) {
            shield.close();
        }
        origin.close();
    }

    private static Reply cacheable(String body) {
        return Reply.ok(body).withHeader("Cache-Control", "public, max-age=60").withHeader("ETag", "\"" + body + "\"");
    }

    private static ContentResponse get(String path) {
        return client.get(edge.uri(path));
    }

    @Test
    void missThenHitWithCacheStatusPerTier() {
        origin.on("/war/a", cacheable("a"));
        ContentResponse first = get("/war/a");
        assertThat(first.getContentAsString()).isEqualTo("a");
        assertThat(first.getHeaders().get("X-Cache")).isEqualTo("MISS");
        assertThat(first.getHeaders().get("Cache-Status"))
                .isEqualTo("shield-iad; fwd=uri-miss; fwd-status=200; stored, edge-nyc; fwd=uri-miss; fwd-status=200; stored");
        ContentResponse second = get("/war/a");
        assertThat(second.getContentAsString()).isEqualTo("a");
        assertThat(second.getHeaders().get("X-Cache")).isEqualTo("HIT");
        assertThat(second.getHeaders().get("Via")).isEqualTo("1.1 shield-iad, 1.1 edge-nyc");
        assertThat(second.getHeaders().get("Server")).as("no software version told to clients").isNull();
        assertThat(client.get(shield.uri("/war/a")).getHeaders().get("X-Cache")).isEqualTo("HIT");
        assertThat(origin.count("/war/a")).isEqualTo(1);
    }

    @Test
    void headIsAnsweredFromTheCachedGet() {
        origin.on("/war/head", cacheable("0123456789"));
        get("/war/head");
        ContentResponse head = TestClient.send(client.request(edge.uri("/war/head")).method("HEAD"));
        assertThat(head.getStatus()).isEqualTo(200);
        assertThat(head.getHeaders().get("X-Cache")).isEqualTo("HIT");
        assertThat(head.getHeaders().get("Content-Length")).isEqualTo("10");
        assertThat(origin.count("/war/head")).isEqualTo(1);
    }

    @Test
    void privateNoStoreAndSetCookieAreNotStored() {
        origin.on("/war/private", Reply.ok("x").withHeader("Cache-Control", "private, max-age=60"));
        origin.on("/war/nostore", Reply.ok("x").withHeader("Cache-Control", "no-store, max-age=60"));
        origin.on("/war/cookie", Reply.ok("x").withHeader("Cache-Control", "max-age=60").withHeader("Set-Cookie", "s=1"));
        for (String path : List.of("/war/private", "/war/nostore", "/war/cookie")) {
            get(path);
            assertThat(get(path).getHeaders().get("X-Cache")).as(path).isEqualTo("PASS");
            assertThat(origin.count(path)).as(path).isEqualTo(2);
        }
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
        ContentResponse response = TestClient.send(client.request(edge.uri("/war/post")).method("POST")
                .body(new StringRequestContent("text/plain", "payload", StandardCharsets.UTF_8)));
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("posted");
        assertThat(origin.last("/war/post").orElseThrow().method()).isEqualTo("POST");
        assertThat(origin.last("/war/post").orElseThrow().bodyAsString()).isEqualTo("payload");
    }

    @Test
    void theManagementPortServesMetricsAndTheCacheInspector() {
        origin.on("/war/inspect", cacheable("i"));
        get("/war/inspect");
        ContentResponse metrics = client.get(URI.create("http://127.0.0.1:" + edgeManagement + "/metrics"));
        assertThat(metrics.getStatus()).isEqualTo(200);
        assertThat(metrics.getContentAsString()).contains("cdn_requests_total{role=\"edge\",pop=\"nyc\"");
        ContentResponse inspect = client.get(URI.create("http://127.0.0.1:" + edgeManagement
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
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> client.get(unconfigured.uri("/anything")).getStatus() == 503
                            || client.get(unconfigured.uri("/anything")).getStatus() == 404);
        }
    }

    static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("ops/jetty-base"))) {
                return d;
            }
        }
        throw new IllegalStateException("no ops/jetty-base above " + Path.of("").toAbsolutePath());
    }
}
