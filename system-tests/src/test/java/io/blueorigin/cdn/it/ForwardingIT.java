package io.blueorigin.cdn.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.RecordedRequest;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestCluster;
import io.blueorigin.cdn.testkit.TestOrigin;
import io.blueorigin.cdn.testkit.TestStack;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Edge and shield forward every request unchanged, add Via and X-Request-ID, and strip hop-by-hop fields. */
class ForwardingIT {
    private static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.start(c -> c.edges("nyc"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @BeforeEach
    void clear() {
        stack.origin.clearRecords();
    }

    private static URI edge(String pathAndQuery) {
        return URI.create(stack.cdn.edge("nyc").uri() + pathAndQuery);
    }

    @Test
    void aGetGoesEdgeThenShieldThenOriginAndTheResponseShowsBothTiers() {
        stack.origin.on("/a", Reply.ok("hello").withHeader("Cache-Control", "max-age=60").withHeader("X-Custom", "1"));
        ContentResponse response = stack.client.get(edge("/a"));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("hello");
        assertThat(response.getHeaders().get("X-Custom")).isEqualTo("1");
        assertThat(response.getHeaders().get("Via")).isEqualTo("1.1 shield-iad, 1.1 edge-nyc");
        RecordedRequest atOrigin = stack.origin.last("/a").orElseThrow();
        assertThat(atOrigin.header("Via")).hasValue("1.1 edge-nyc, 1.1 shield-iad");
        String requestId = response.getHeaders().get("X-Request-ID");
        assertThat(requestId).matches("[0-9a-f]{16}");
        assertThat(atOrigin.header("X-Request-ID")).hasValue(requestId);
    }

    @Test
    void aClientRequestIdIsKeptAndAHostileOneReplaced() {
        stack.origin.on("/id", Reply.ok("x"));
        ContentResponse kept = TestClient.send(stack.client.request(edge("/id")).headers(h -> h.put("X-Request-ID", "abc-123")));
        assertThat(kept.getHeaders().get("X-Request-ID")).isEqualTo("abc-123");
        assertThat(stack.origin.last("/id").orElseThrow().header("X-Request-ID")).hasValue("abc-123");

        ContentResponse replaced = TestClient.send(stack.client.request(edge("/id"))
                .headers(h -> h.put("X-Request-ID", "x\"<script>" + "y".repeat(200))));
        assertThat(replaced.getHeaders().get("X-Request-ID")).matches("[0-9a-f]{16}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE", "OPTIONS", "BREW"})
    void everyMethodIsForwardedWithPathQueryHeadersAndBodyUnchanged(String method) {
        stack.origin.on("/m/a%2Fb", Reply.status(201).withBody("done"));
        ContentResponse response = TestClient.send(stack.client.request(edge("/m/a%2Fb?x=1&y=%20z"))
                .method(method)
                .headers(h -> h.put("X-Trace", "t1").add("X-Multi", "a").add("X-Multi", "b"))
                .body(new StringRequestContent("text/plain", "payload-" + method, StandardCharsets.UTF_8)));

        assertThat(response.getStatus()).isEqualTo(201);
        RecordedRequest atOrigin = stack.origin.last("/m/a%2Fb").orElseThrow();
        assertThat(atOrigin.method()).isEqualTo(method);
        assertThat(atOrigin.query()).hasValue("x=1&y=%20z");
        assertThat(atOrigin.header("X-Trace")).hasValue("t1");
        assertThat(String.join(",", atOrigin.headers("X-Multi"))).isEqualTo("a,b");
        assertThat(atOrigin.bodyAsString()).isEqualTo("payload-" + method);
    }

    @Test
    void hopByHopFieldsAreStrippedBothWays() {
        stack.origin.on("/hop", Reply.ok("x").withHeader("Connection", "X-Upstream-Secret").withHeader("X-Upstream-Secret", "s")
                .withHeader("Keep-Alive", "timeout=5"));
        ContentResponse response = TestClient.send(stack.client.request(edge("/hop"))
                .headers(h -> h.put("Connection", "X-Client-Secret").put("X-Client-Secret", "c").put("TE", "trailers")));

        RecordedRequest atOrigin = stack.origin.last("/hop").orElseThrow();
        assertThat(atOrigin.headerNames()).doesNotContain("x-client-secret", "te");
        assertThat(response.getHeaders().contains("X-Upstream-Secret")).isFalse();
        assertThat(response.getHeaders().contains("Keep-Alive")).isFalse();
    }

    @Test
    void anUnreachableUpstreamIsAClear502NamingTheNodeButNotTheUpstream() throws Exception {
        int deadPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        URI dead = URI.create("http://127.0.0.1:" + deadPort);
        try (TestCluster alone = TestCluster.builder(dead).shields().edges("sfo").start()) {
            ContentResponse response = stack.client.get(URI.create(alone.edge("sfo").uri() + "/x"));
            assertThat(response.getStatus()).isEqualTo(502);
            assertThat(response.getContentAsString()).contains("edge-sfo").contains("upstream-unreachable")
                    .contains("request id " + response.getHeaders().get("X-Request-ID"))
                    .doesNotContain(dead.toString()).doesNotContain(Integer.toString(deadPort)).doesNotContain("Exception");
            assertThat(response.getHeaders().get("Content-Type")).startsWith("text/plain");
        }
    }

    @Test
    void anUpstreamThatStopsAnsweringIsA504AfterTheReadTimeout() {
        stack.origin.on("/hang", Reply.failure(Reply.Failure.HANG));
        try (TestCluster impatient = TestCluster.builder(stack.origin.uri()).shields().edges("sfo")
                .edgeConfig(c -> c.withUpstream(c.upstream().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300))))
                .start()) {
            ContentResponse response = stack.client.get(URI.create(impatient.edge("sfo").uri() + "/hang"));
            assertThat(response.getStatus()).isEqualTo(504);
        }
    }

    @Test
    void anUpstreamThatClosesTheConnectionIsA502() {
        stack.origin.on("/close", Reply.failure(Reply.Failure.CLOSE));
        assertThat(stack.client.get(edge("/close")).getStatus()).isEqualTo(502);
    }
}
