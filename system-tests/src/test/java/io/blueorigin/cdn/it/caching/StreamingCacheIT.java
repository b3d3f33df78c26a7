package io.blueorigin.cdn.it.caching;

import static io.blueorigin.cdn.it.caching.CdnHarness.xCache;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.proxy.CacheConfig;
import io.blueorigin.cdn.storage.StorageConfig;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import java.util.Arrays;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bodies: objects above the size limit pass through, truncated bodies are never stored, no blind retries. */
class StreamingCacheIT {
    private static CdnHarness h;

    @BeforeAll
    static void start() {
        h = new CdnHarness(c -> c.withCache(small(c.cache())), c -> c.withCache(small(c.cache())));
    }

    private static CacheConfig small(CacheConfig cache) {
        return cache.withStorage(new StorageConfig(16 << 20, 64 * 1024, java.util.Optional.empty(), 0, 64 * 1024, 16 * 1024));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    @Test
    void anObjectAboveTheSizeLimitStreamsThroughIntactAndUnstored() {
        byte[] big = bytes(200 * 1024);
        h.origin.on("/stream/big", Reply.ok("").withBody(big).withHeader("Cache-Control", "max-age=60"));
        ContentResponse first = h.get("/stream/big");
        assertThat(first.getContent()).isEqualTo(big);
        assertThat(first.getHeaders().get("Cache-Status")).contains("detail=\"larger than store.max-object-size\"");
        ContentResponse second = h.get("/stream/big");
        assertThat(second.getContent()).isEqualTo(big);
        assertThat(xCache(second)).isEqualTo("MISS");
        assertThat(h.origin.count("/stream/big")).isEqualTo(2);
    }

    @Test
    void aBodyThatFailsBeforeItsFirstByteGetsAClear502() {
        h.origin.on("/stream/empty-cut", Reply.ok("").withBody(bytes(1)).withHeader("Cache-Control", "max-age=60")
                .withFailure(Reply.Failure.ABORT_MID_BODY));
        ContentResponse r = h.get("/stream/empty-cut");
        assertThat(r.getStatus()).isEqualTo(502);
        assertThat(r.getContentAsString()).contains("upstream response failed before any of its body arrived");
        assertThat(r.getHeaders().get("Blue-Origin-Error")).isEqualTo("upstream-failed");
    }

    @Test
    void aMultiChunkObjectIsStoredAndServedByteForByte() {
        byte[] body = bytes(50 * 1024 + 7);
        h.origin.on("/stream/chunks", Reply.ok("").withBody(body).withHeader("Cache-Control", "max-age=60"));
        assertThat(h.get("/stream/chunks").getContent()).isEqualTo(body);
        ContentResponse hit = h.get("/stream/chunks");
        assertThat(xCache(hit)).isEqualTo("HIT");
        assertThat(hit.getContent()).isEqualTo(body);
        assertThat(hit.getHeaders().get("Content-Length")).isEqualTo(Integer.toString(body.length));
    }

    @org.junit.jupiter.api.RepeatedTest(200) // the race it guards against lost 8 of 300 before the fix
    void aBodyCutShortUpstreamIsNeverStored(org.junit.jupiter.api.RepetitionInfo info) {
        byte[] body = bytes(40 * 1024);
        String cut = "/stream/cut" + info.getCurrentRepetition();
        h.origin.onSequence(cut,
                Reply.ok("").withBody(body).withHeader("Cache-Control", "max-age=60").withFailure(Reply.Failure.ABORT_MID_BODY),
                Reply.ok("").withBody(body).withHeader("Cache-Control", "max-age=60"));
        assertThatThrownBy(() -> h.get(cut)).as("the client sees the truncation, not a short 200").isNotNull();
        ContentResponse next = h.get(cut);
        assertThat(next.getContent()).isEqualTo(body);
        assertThat(xCache(next)).isEqualTo("MISS");
        assertThat(xCache(h.get(cut))).isEqualTo("HIT");
    }

    @Test
    void aFailedPostIsNotRetried() {
        h.origin.on("/stream/post", Reply.failure(Reply.Failure.CLOSE));
        ContentResponse r = TestClient.send(h.request("/stream/post").method("POST").body(new StringRequestContent("once")));
        assertThat(r.getStatus()).isEqualTo(502);
        assertThat(h.origin.count("/stream/post")).isEqualTo(1);
    }

    @Test
    void expect100ContinueIsRelayed() {
        h.origin.on("/stream/continue", request -> Reply.ok("got " + request.body().length));
        byte[] upload = new byte[10_000];
        Arrays.fill(upload, (byte) 'x');
        ContentResponse r = TestClient.send(h.request("/stream/continue").method("PUT")
                .headers(x -> x.put("Expect", "100-continue"))
                .body(new org.eclipse.jetty.client.BytesRequestContent(upload)));
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getContentAsString()).isEqualTo("got 10000");
    }
}
