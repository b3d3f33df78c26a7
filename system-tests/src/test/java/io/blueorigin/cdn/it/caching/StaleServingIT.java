package io.blueorigin.cdn.it.caching;

import static io.blueorigin.cdn.it.caching.CdnHarness.xCache;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.testkit.Reply;
import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;

/** stale-while-revalidate and stale-if-error (RFC 5861), and serving stale when disconnected (RFC 9111 §4.2.4). */
class StaleServingIT extends HarnessPerClass {
    @Test
    void staleWhileRevalidateServesStaleOnceAndRefreshesInTheBackgroundOncePerKey() {
        h.origin.onSequence("/stale/swr",
                Reply.ok("v1").withHeader("Cache-Control", "max-age=10, stale-while-revalidate=30").withHeader("ETag", "\"1\""),
                Reply.ok("v2").withHeader("Cache-Control", "max-age=10, stale-while-revalidate=30").withHeader("ETag", "\"2\"")
                        .withDelay(Duration.ofMillis(200)));
        h.get("/stale/swr");
        h.clock.advance(Duration.ofSeconds(12));

        ContentResponse stale = h.get("/stale/swr");
        assertThat(stale.getContentAsString()).isEqualTo("v1");
        assertThat(xCache(stale)).isEqualTo("STALE");
        assertThat(stale.getHeaders().get("Cache-Status")).contains("edge-nyc; hit; ttl=-2; detail=stale-while-revalidate");
        for (int i = 0; i < 5; i++) {
            assertThat(h.get("/stale/swr").getContentAsString()).isEqualTo("v1");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(h.get("/stale/swr").getContentAsString()).isEqualTo("v2"));
        assertThat(xCache(h.get("/stale/swr"))).isEqualTo("HIT");
        assertThat(h.origin.count("/stale/swr")).as("one background revalidation per key").isEqualTo(2);
    }

    @Test
    void staleIfErrorServesStaleWhenTheOriginFails() {
        h.origin.onSequence("/stale/sie",
                Reply.ok("good").withHeader("Cache-Control", "max-age=10, stale-if-error=60"),
                Reply.status(500).withBody("boom"));
        h.get("/stale/sie");
        h.clock.advance(Duration.ofSeconds(15));
        ContentResponse stale = h.get("/stale/sie");
        assertThat(stale.getStatus()).isEqualTo(200);
        assertThat(stale.getContentAsString()).isEqualTo("good");
        // the shield, nearest the origin, stands in; the edge received a (stale, Age 15) 200 from it
        assertThat(stale.getHeaders().get("Cache-Status"))
                .startsWith("shield-iad; fwd=stale; fwd-status=500; ttl=-5; detail=stale-if-error, edge-nyc; fwd=stale");
        ContentResponse atShield = h.client.get(h.shield("/stale/sie"));
        assertThat(xCache(atShield)).isEqualTo("STALE");
    }

    @Test
    void theEdgeServesStaleWhenItsShieldIsDown() {
        try (CdnHarness twoTier = new CdnHarness()) {
            twoTier.origin.on("/stale/edge", Reply.ok("edge-copy").withHeader("Cache-Control", "max-age=10"));
            twoTier.get("/stale/edge");
            twoTier.cdn.shield().close();
            twoTier.clock.advance(Duration.ofSeconds(60));
            ContentResponse stale = twoTier.get("/stale/edge");
            assertThat(stale.getStatus()).isEqualTo(200);
            assertThat(stale.getContentAsString()).isEqualTo("edge-copy");
            assertThat(xCache(stale)).isEqualTo("STALE");
            assertThat(stale.getHeaders().get("Cache-Status")).endsWith("edge-nyc; fwd=stale; ttl=-50; detail=stale-if-error");
        }
    }

    @Test
    void aServerErrorWithoutStaleIfErrorReachesTheClient() {
        h.origin.onSequence("/stale/nosie",
                Reply.ok("good").withHeader("Cache-Control", "max-age=10"),
                Reply.status(500).withBody("boom"));
        h.get("/stale/nosie");
        h.clock.advance(Duration.ofSeconds(15));
        ContentResponse error = h.get("/stale/nosie");
        assertThat(error.getStatus()).isEqualTo(500);
        assertThat(error.getContentAsString()).isEqualTo("boom");
    }

    @Test
    void mustRevalidateForbidsServingStaleOnError() {
        h.origin.onSequence("/stale/must",
                Reply.ok("good").withHeader("Cache-Control", "max-age=10, must-revalidate, stale-if-error=60"),
                Reply.failure(Reply.Failure.CLOSE));
        h.get("/stale/must");
        h.clock.advance(Duration.ofSeconds(15));
        assertThat(h.get("/stale/must").getStatus()).isEqualTo(502);
    }

    @Test
    void everyCachedObjectIsServedWhenTheOriginIsDown() throws Exception {
        try (CdnHarness down = new CdnHarness()) {
            down.origin.on("/stale/down", Reply.ok("kept").withHeader("Cache-Control", "max-age=10"));
            down.get("/stale/down");
            down.origin.close();
            down.clock.advance(Duration.ofMinutes(10));
            ContentResponse stale = down.get("/stale/down");
            assertThat(stale.getStatus()).isEqualTo(200);
            assertThat(stale.getContentAsString()).isEqualTo("kept");
            assertThat(stale.getHeaders().get("Cache-Status")).startsWith("shield-iad; fwd=stale; ttl=-590; detail=stale-if-error");
            assertThat(down.get("/stale/never-cached").getStatus()).isEqualTo(502);
        }
    }
}
