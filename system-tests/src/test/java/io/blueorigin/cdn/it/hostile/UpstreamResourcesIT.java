package io.blueorigin.cdn.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.proxy.upstream.Upstream;
import io.blueorigin.cdn.testkit.AtRest;
import io.blueorigin.cdn.testkit.RawHttp;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestStack;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.Test;

/**
 * Upstream slots are a node's scarcest resource: pass-through requests (whose bodies and readers a client
 * controls) may hold only their share, each for a bounded time, and a request body must keep a minimum
 * pace. Each test leaves every gate at rest.
 */
class UpstreamResourcesIT {

    private static Upstream only(ProxyNode node) {
        return node.cache().upstreams().all().get(0);
    }

    @Test
    void passThroughRequestsCannotTakeTheSlotsKeptForCacheFills() {
        // 4 upstream slots per tier: pass-through may hold 2 (the default half), fills always find 2
        try (TestStack stack = TestStack.start(c -> c.edges("nyc").shields("iad")
                .edgeConfig(e -> e.withUpstream(e.upstream().withProtection(4, 8, 20, Duration.ofSeconds(5))))
                .shieldConfig(s -> s.withUpstream(s.upstream().withProtection(4, 8, 20, Duration.ofSeconds(5)))))) {
            CompletableFuture<Void> release = new CompletableFuture<>();
            stack.origin.on("/upload", Reply.status(201).withBody("stored").heldUntil(release));
            stack.origin.onPrefix("/fill/", r -> Reply.ok("fill " + r.path()).withHeader("Cache-Control", "max-age=60"));

            List<CompletableFuture<ContentResponse>> uploads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                uploads.add(new CompletableResponseListener(stack.client.request(stack.edge("nyc", "/upload")).method("POST")
                        .body(new StringRequestContent("part " + i)).timeout(60, java.util.concurrent.TimeUnit.SECONDS)).send());
            }
            ProxyNode edge = stack.cdn.edge("nyc");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(only(edge).gate().passInFlight()).isEqualTo(2);
                assertThat(only(edge).gate().queued()).isEqualTo(2);
                assertThat(stack.origin.count("/upload")).isEqualTo(2);
            });

            // four slow uploads are waiting; cache fills still go through, on the slots kept for them
            for (int i = 0; i < 6; i++) {
                ContentResponse fill = stack.client.get(stack.edge("nyc", "/fill/" + i));
                assertThat(fill.getStatus()).isEqualTo(200);
                assertThat(fill.getContentAsString()).isEqualTo("fill /fill/" + i);
            }
            assertThat(uploads).noneMatch(CompletableFuture::isDone);

            release.complete(null);
            for (CompletableFuture<ContentResponse> upload : uploads) {
                assertThat(upload.join().getStatus()).isEqualTo(201);
            }
            assertThat(stack.origin.count("/upload")).isEqualTo(4);
            AtRest.await(stack.cdn);
        }
    }

    @Test
    void aPassThroughExchangeIsBoundedByThePassTimeout() {
        try (TestStack stack = TestStack.start(c -> c.edges("nyc").shields("iad")
                .edgeConfig(e -> e.withUpstream(e.upstream().withPassLimits(2, Duration.ofMillis(500)))))) {
            stack.origin.on("/never", Reply.status(200).withBody("late").heldUntil(new CompletableFuture<>()));
            ContentResponse response = TestClient.send(stack.client.request(stack.edge("nyc", "/never")).method("POST")
                    .body(new StringRequestContent("x")).timeout(30, java.util.concurrent.TimeUnit.SECONDS));
            assertThat(response.getStatus()).isEqualTo(504);
            assertThat(response.getContentAsString()).contains("upstream-timeout").contains("request id")
                    .doesNotContain(stack.cdn.shield().uri().toString());
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(only(stack.cdn.edge("nyc")).gate().inFlight()).isZero());
        }
    }

    @Test
    void aRequestBodyTrickledSlowerThanTheMinimumRateIsCutWith408() throws Exception {
        try (TestStack stack = TestStack.start(c -> c.edges("nyc").shields("iad"))) {
            stack.origin.on("/slow-post", Reply.status(201).withBody("ok"));
            URI edge = stack.cdn.edge("nyc").uri();
            try (Socket socket = new Socket(edge.getHost(), edge.getPort())) {
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /slow-post HTTP/1.1\r\nHost: cdn.test\r\nContent-Length: 100000\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // a few bytes, then a trickle far below 1 KB/s: the node gives up, well before the 30 s idle timeout
                InputStream in = socket.getInputStream();
                String answer = null;
                for (int i = 0; i < 200 && answer == null; i++) {
                    try {
                        out.write('x');
                        out.flush();
                    } catch (java.io.IOException closed) {
                        break;
                    }
                    socket.setSoTimeout(100);
                    try {
                        byte[] buffer = new byte[4096];
                        int n = in.read(buffer);
                        answer = n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                    } catch (java.net.SocketTimeoutException notYet) {
                        // keep trickling
                    }
                }
                assertThat(answer).as("the node answered before 200 trickled bytes").isNotNull().startsWith("HTTP/1.1 408");
            }
            assertThat(stack.origin.requests("/slow-post")).allMatch(r -> r.body().length < 100_000);
            AtRest.await(stack.cdn);
        }
    }

    @Test
    void aFastRequestBodyPassesTheRateCheck() {
        try (TestStack stack = TestStack.start(c -> c.edges("nyc").shields("iad"))) {
            stack.origin.on("/fast-post", Reply.status(201).withBody("ok"));
            String body = "y".repeat(2_000_000);
            ContentResponse response = TestClient.send(stack.client.request(stack.edge("nyc", "/fast-post")).method("PUT")
                    .body(new StringRequestContent(body)));
            assertThat(response.getStatus()).isEqualTo(201);
            assertThat(stack.origin.last("/fast-post").orElseThrow().bodyAsString()).hasSize(2_000_000);
        }
    }

    @Test
    void theConnectionsOfOneClientAreLimited() throws Exception {
        try (TestStack stack = TestStack.start(c -> c.edges("nyc").shields("iad").edgeConfig(e -> e.withServer(
                e.server().withLimits(new io.blueorigin.cdn.runtime.ServerConfig.Limits(100, 3, Duration.ofSeconds(10), 1024,
                        8192, 16384, 1024)))))) {
            stack.origin.on("/c", Reply.ok("c"));
            URI edge = stack.cdn.edge("nyc").uri();
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(new Socket(edge.getHost(), edge.getPort()));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> stack.cdn.edge("nyc").connectionGuard().clients() == 1);
                RawHttp.Exchange fourth = RawHttp.send(edge, "GET /c HTTP/1.1\r\nHost: cdn.test\r\nConnection: close\r\n\r\n");
                assertThat(fourth.statuses()).as("closed without an answer").isEmpty();
                assertThat(fourth.closedByServer()).isTrue();
                assertThat(stack.cdn.edge("nyc").connectionGuard().refusedPerClient()).isEqualTo(1);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(stack.cdn.edge("nyc").connectionGuard().clients()).isZero();
                assertThat(stack.cdn.edge("nyc").connectionGuard().pendingDeadlines()).isZero();
            });
            assertThat(RawHttp.send(edge, "GET /c HTTP/1.1\r\nHost: cdn.test\r\nConnection: close\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void aConnectionThatTricklesItsHeadIsClosedAtTheHeaderDeadline() throws Exception {
        try (TestStack stack = TestStack.start(c -> c.edges("nyc").shields("iad").edgeConfig(e -> e.withServer(
                e.server().withLimits(new io.blueorigin.cdn.runtime.ServerConfig.Limits(100, 10, Duration.ofMillis(500), 1024,
                        8192, 16384, 1024)))))) {
            URI edge = stack.cdn.edge("nyc").uri();
            try (Socket socket = new Socket(edge.getHost(), edge.getPort())) {
                socket.setSoTimeout(200);
                OutputStream out = socket.getOutputStream();
                out.write("GET / HTTP/1.1\r\nHost: cdn.test\r\n".getBytes(StandardCharsets.US_ASCII));
                boolean closed = false;
                // one header byte every 200 ms keeps the 30 s idle timeout from ever firing; the deadline does
                for (int i = 0; i < 100 && !closed; i++) {
                    try {
                        out.write(("X-" + i + ": v\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        closed = socket.getInputStream().read() < 0;
                    } catch (java.net.SocketTimeoutException stillOpen) {
                        // next byte
                    } catch (java.io.IOException reset) {
                        closed = true;
                    }
                }
                assertThat(closed).as("closed long before 100 trickled lines (20 s)").isTrue();
            }
            assertThat(stack.cdn.edge("nyc").connectionGuard().headerTimeouts()).isEqualTo(1);
        }
    }
}
