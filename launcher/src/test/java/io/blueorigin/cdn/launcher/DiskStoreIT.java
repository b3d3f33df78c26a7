package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.origin.DemoOrigin;
import io.blueorigin.cdn.origin.OriginConfig;
import io.blueorigin.cdn.origin.StaticBody;
import io.blueorigin.cdn.runtime.ServerConfig;
import io.blueorigin.cdn.testkit.TestClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk tier in real node processes: restarts (clean and SIGKILL), crashes mid-write, 1 GiB at -Xmx256m. */
class DiskStoreIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private DemoOrigin origin;
    private final TestClient client = new TestClient();
    @TempDir
    Path dir;

    @BeforeEach
    void startOrigin() {
        origin = DemoOrigin.start(OriginConfig.defaults(ServerConfig.ephemeral()).withDelay(Duration.ZERO));
    }

    @AfterEach
    void stop() {
        client.close();
        origin.close();
    }

    private NodeProcess edge(Path store, String... jvmArgs) throws Exception {
        return NodeProcess.start(List.of(jvmArgs), "edge", "--host", "127.0.0.1", "--port", "0", "--management-port", "0",
                "--pop", "disk", "--upstream", origin.uri().toString(), "--set", "store.disk.path=" + store,
                "--set", "store.disk.max-size=4GB", "--set", "store.max-object-size=2GB",
                "--set", "store.heap.max-object-size=64KB", "--set", "store.heap.max-size=16MB");
    }

    private ContentResponse get(NodeProcess node, String path) {
        return client.get(URI.create(node.uri() + path));
    }

    @Test
    void objectsCachedBeforeASigkillAreHitsAfterTheRestartWithoutAskingTheOrigin() throws Exception {
        Path store = java.nio.file.Files.createDirectories(dir.resolve("edge"));
        List<String> paths = List.of("/item/1", "/article/2", "/static/1k", "/static/300k", "/static/3m");
        try (NodeProcess edge = edge(store)) {
            for (String p : paths) {
                get(edge, p);
                assertThat(get(edge, p).getHeaders().get("X-Cache")).as(p).isEqualTo("HIT");
            }
            edge.kill();
        }
        origin.stats().reset();
        try (NodeProcess restarted = edge(store)) {
            for (String p : paths) {
                ContentResponse r = get(restarted, p);
                assertThat(r.getHeaders().get("X-Cache")).as(p).isEqualTo("HIT");
                if (p.startsWith("/static/")) {
                    assertThat(r.getContent()).as(p).satisfies(bytes -> assertStaticBody(bytes, 0));
                }
            }
            assertThat(origin.stats().total()).isZero();
        }
    }

    @Test
    void aSigkillInTheMiddleOfWritesNeverLeavesACorruptObjectToServe() throws Exception {
        Path store = java.nio.file.Files.createDirectories(dir.resolve("crash"));
        List<String> paths = new ArrayList<>();
        for (int i = 1; i <= 24; i++) {
            paths.add("/static/" + (i * 700 + 13) + "k");
        }
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try (NodeProcess edge = edge(store)) {
            List<Future<?>> inFlight = new ArrayList<>();
            for (String p : paths) {
                inFlight.add(clients.submit(() -> drain(URI.create(edge.uri() + p))));
            }
            // let some objects complete and others be half-written, then kill the process
            inFlight.get(2).get(30, TimeUnit.SECONDS);
            edge.kill();
        } finally {
            clients.shutdownNow();
        }
        try (NodeProcess restarted = edge(store)) {
            int hits = 0;
            for (String p : paths) {
                ContentResponse r = get(restarted, p);
                assertThat(r.getStatus()).as(p).isEqualTo(200);
                long size = Long.parseLong(p.substring("/static/".length(), p.length() - 1)) * 1024;
                assertThat((long) r.getContent().length).as(p).isEqualTo(size);
                assertStaticBody(r.getContent(), 0);
                hits += "HIT".equals(r.getHeaders().get("X-Cache")) ? 1 : 0;
            }
            assertThat(hits).as("objects completed before the kill are served from disk").isPositive();
        }
    }

    @Test
    void aOneGibObjectStreamsThroughShieldAndEdgeAt256MbHeapTwiceIdentical() throws Exception {
        Path shieldStore = java.nio.file.Files.createDirectories(dir.resolve("shield"));
        Path edgeStore = java.nio.file.Files.createDirectories(dir.resolve("edge"));
        try (NodeProcess shield = NodeProcess.start(List.of("-Xmx256m"), "shield", "--host", "127.0.0.1", "--port", "0",
                "--management-port", "0", "--upstream", origin.uri().toString(), "--set", "store.disk.path=" + shieldStore,
                "--set", "store.disk.max-size=4GB", "--set", "store.max-object-size=2GB");
                NodeProcess edge = NodeProcess.start(List.of("-Xmx256m"), "edge", "--host", "127.0.0.1", "--port", "0",
                        "--management-port", "0", "--upstream", shield.uri().toString(), "--set", "store.disk.path=" + edgeStore,
                        "--set", "store.disk.max-size=4GB", "--set", "store.max-object-size=2GB")) {
            URI big = URI.create(edge.uri() + "/static/1g");
            assertThat(drain(big)).isEqualTo(1L << 30);
            assertThat(drain(big)).isEqualTo(1L << 30);
            assertThat(shield.isAlive()).isTrue();
            assertThat(edge.isAlive()).isTrue();
            assertThat(origin.stats().count("/static/1g")).as("the second pass came from cache").isEqualTo(1);
        }
    }

    /** Streams a /static body, checking every byte against the pattern; returns its length. */
    private static long drain(URI uri) {
        try {
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            long position = 0;
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = response.body()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] != StaticBody.byteAt(position + i)) {
                            throw new AssertionError(uri + ": byte " + (position + i) + " differs");
                        }
                    }
                    position += n;
                }
            }
            return position;
        } catch (java.io.IOException e) {
            return -1; // the node was killed mid-stream
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void assertStaticBody(byte[] bytes, long from) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != StaticBody.byteAt(from + i)) {
                throw new AssertionError("byte " + (from + i) + " differs");
            }
        }
    }
}
