package io.blueorigin.cdn.it.caching;

import static io.blueorigin.cdn.it.caching.CdnHarness.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.Reply;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** 404/410 without freshness information are cached briefly, 5xx only if they say so; explicit directives always win. */
class NegativeCachingIT extends HarnessPerClass {
    @Test
    void a404IsCachedForTheNegativeTtl() {
        h.origin.on("/neg/missing", Reply.status(404).withBody("nope"));
        h.get("/neg/missing");
        assertThat(h.get("/neg/missing").getStatus()).isEqualTo(404);
        assertThat(xCache(h.get("/neg/missing"))).isEqualTo("HIT");
        assertThat(h.origin.count("/neg/missing")).isEqualTo(1);
        h.clock.advance(Duration.ofSeconds(11));
        h.get("/neg/missing");
        assertThat(h.origin.count("/neg/missing")).isEqualTo(2);
    }

    /** RFC 9110 §15.1: 5xx are not heuristically cacheable; caching them is opt-in ({@code cache.error-ttl}). */
    @Test
    void a503WithoutFreshnessIsNotStoredByDefault() {
        h.origin.on("/neg/unavailable", Reply.status(503).withBody("busy"));
        assertThat(h.get("/neg/unavailable").getStatus()).isEqualTo(503);
        assertThat(xCache(h.get("/neg/unavailable"))).isEqualTo("PASS");
        assertThat(h.origin.count("/neg/unavailable")).isEqualTo(2);
    }

    @Test
    void a503WithExplicitFreshnessIsStored() {
        h.origin.on("/neg/unavailable-60", Reply.status(503).withHeader("Cache-Control", "max-age=60").withBody("busy"));
        h.get("/neg/unavailable-60");
        assertThat(xCache(h.get("/neg/unavailable-60"))).isEqualTo("HIT");
        assertThat(h.origin.count("/neg/unavailable-60")).isEqualTo(1);
    }

    @Test
    void aNoStoreErrorIsNotCached() {
        h.origin.on("/neg/nostore", Reply.status(404).withHeader("Cache-Control", "no-store"));
        h.get("/neg/nostore");
        h.get("/neg/nostore");
        assertThat(h.origin.count("/neg/nostore")).isEqualTo(2);
    }
}
