package io.blueorigin.cdn.it.caching;

import static io.blueorigin.cdn.it.caching.CdnHarness.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CachePolicyConfig;
import io.blueorigin.cdn.proxy.CacheConfig;
import io.blueorigin.cdn.testkit.Reply;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CDN-Cache-Control and a configured targeted field (RFC 9213), and the tiers' TTL caps. */
class TargetedCacheControlIT {
    private static CdnHarness h;

    @BeforeAll
    static void start() {
        h = new CdnHarness(c -> c.withCache(withTargeted(c.cache())), c -> c.withCache(withTargeted(c.cache())));
    }

    private static CacheConfig withTargeted(CacheConfig cache) {
        CachePolicyConfig p = cache.policy();
        return cache.withPolicy(new CachePolicyConfig(p.ttlCapMillis(), p.heuristicFraction(), p.heuristicMaxMillis(),
                p.negativeTtlMillis(), p.errorTtlMillis(), p.maxStaleOnErrorMillis(), p.requestNoCache(), p.setCookie(),
                List.of("Acme-Cache-Control", "CDN-Cache-Control")));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void cdnCacheControlOverridesCacheControlForTheCdnAndIsNotSentToClients() {
        h.origin.on("/targeted/cdn", Reply.ok("t").withHeader("Cache-Control", "no-store")
                .withHeader("CDN-Cache-Control", "max-age=60").withHeader("Surrogate-Key", "t1 t2"));
        h.get("/targeted/cdn");
        ContentResponse hit = h.get("/targeted/cdn");
        assertThat(xCache(hit)).isEqualTo("HIT");
        assertThat(hit.getHeaders().get("Cache-Control")).isEqualTo("no-store");
        assertThat(hit.getHeaders().contains("CDN-Cache-Control")).isFalse();
        assertThat(hit.getHeaders().contains("Surrogate-Key")).isFalse();
        ContentResponse atShield = h.client.get(h.shield("/targeted/cdn"));
        assertThat(atShield.getHeaders().get("CDN-Cache-Control")).as("kept between tiers").isEqualTo("max-age=60");
        assertThat(h.origin.count("/targeted/cdn")).isEqualTo(1);
    }

    @Test
    void theConfiguredTargetedFieldWinsOverCdnCacheControl() {
        h.origin.on("/targeted/acme", Reply.ok("a").withHeader("Acme-Cache-Control", "no-store")
                .withHeader("CDN-Cache-Control", "max-age=60"));
        h.get("/targeted/acme");
        h.get("/targeted/acme");
        assertThat(h.origin.count("/targeted/acme")).isEqualTo(2);
    }

    @Test
    void anInvalidTargetedFieldFallsBackToCacheControl() {
        h.origin.on("/targeted/invalid", Reply.ok("i").withHeader("Cache-Control", "max-age=60")
                .withHeader("CDN-Cache-Control", "max-age=\"60\", Private"));
        h.get("/targeted/invalid");
        assertThat(xCache(h.get("/targeted/invalid"))).isEqualTo("HIT");
    }

    @Test
    void theEdgeCapClampsFreshnessAndTheEdgeRefillsFromTheShield() {
        h.origin.on("/targeted/cap", Reply.ok("c").withHeader("Cache-Control", "max-age=3600"));
        h.get("/targeted/cap");
        ContentResponse hit = h.get("/targeted/cap");
        assertThat(hit.getHeaders().get("Cache-Status")).endsWith("edge-nyc; hit; ttl=30");
        h.clock.advance(Duration.ofSeconds(31));
        ContentResponse refill = h.get("/targeted/cap");
        assertThat(refill.getHeaders().get("Cache-Status")).startsWith("shield-iad; hit; ttl=269");
        assertThat(h.origin.count("/targeted/cap")).isEqualTo(1);
    }
}
