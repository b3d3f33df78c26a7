package io.blueorigin.cdn.httpcache.site;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CachePolicyConfig;
import io.blueorigin.cdn.httpcache.CachePolicyConfig.RequestNoCache;
import io.blueorigin.cdn.httpcache.CachePolicyConfig.SetCookie;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A site's caching settings over the node's: only what the site sets changes; edge and shield caps apart. */
class SiteCachingTest {
    private final CachePolicyConfig base = new CachePolicyConfig(30_000, 0.2, 3_600_000, 10_000, 1_000, 86_400_000,
            RequestNoCache.REVALIDATE, SetCookie.STRIP, List.of("CDN-Cache-Control", "Blue-Cache-Control"));

    @Test
    void defaultsChangeNothing() {
        assertThat(SiteCaching.DEFAULTS.applyTo(base, false)).isEqualTo(base);
        assertThat(SiteCaching.DEFAULTS.applyTo(base, true)).isEqualTo(base);
    }

    @Test
    void edgeAndShieldCapsApart() {
        SiteCaching c = new SiteCaching(Duration.ofSeconds(5), Duration.ofMinutes(10), null, null, QueryPolicy.KEEP,
                CookiePolicy.PASS);
        assertThat(c.applyTo(base, false)).isEqualTo(base.withTtlCap(5_000));
        assertThat(c.applyTo(base, true)).isEqualTo(base.withTtlCap(600_000));
    }

    @Test
    void onlyTheEdgeCapSetLeavesTheShieldsAlone() {
        SiteCaching c = new SiteCaching(Duration.ZERO, null, null, null, QueryPolicy.KEEP, CookiePolicy.PASS);
        assertThat(c.applyTo(base, false).ttlCapMillis()).isZero();
        assertThat(c.applyTo(base, true)).isEqualTo(base);
    }

    @Test
    void onlyTheShieldCapSetLeavesTheEdgesAlone() {
        SiteCaching c = new SiteCaching(null, Duration.ofDays(365), null, null, QueryPolicy.KEEP, CookiePolicy.PASS);
        assertThat(c.applyTo(base, false)).isEqualTo(base);
        assertThat(c.applyTo(base, true).ttlCapMillis()).isEqualTo(365L * 86_400_000);
    }

    @Test
    void negativeTtlAndRequestNoCacheOverrideOnBothTiers() {
        SiteCaching c = new SiteCaching(null, null, Duration.ZERO, RequestNoCache.IGNORE,
                new QueryPolicy(QueryPolicy.Mode.DROP, List.of()), CookiePolicy.PASS);
        for (boolean shield : new boolean[] {false, true}) {
            CachePolicyConfig applied = c.applyTo(base, shield);
            assertThat(applied).isEqualTo(new CachePolicyConfig(30_000, 0.2, 3_600_000, 0, 1_000, 86_400_000,
                    RequestNoCache.IGNORE, SetCookie.STRIP, List.of("CDN-Cache-Control", "Blue-Cache-Control")));
        }
    }

    @Test
    void everythingSet() {
        SiteCaching c = new SiteCaching(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3),
                RequestNoCache.IGNORE, QueryPolicy.KEEP, CookiePolicy.PASS);
        CachePolicyConfig edge = c.applyTo(base, false);
        assertThat(edge.ttlCapMillis()).isEqualTo(1_000);
        assertThat(edge.negativeTtlMillis()).isEqualTo(3_000);
        assertThat(edge.requestNoCache()).isEqualTo(RequestNoCache.IGNORE);
        assertThat(edge.heuristicFraction()).isEqualTo(0.2);
        assertThat(edge.heuristicMaxMillis()).isEqualTo(3_600_000);
        assertThat(edge.errorTtlMillis()).isEqualTo(1_000);
        assertThat(edge.maxStaleOnErrorMillis()).isEqualTo(86_400_000);
        assertThat(edge.setCookie()).isEqualTo(SetCookie.STRIP);
        assertThat(edge.targetedFields()).containsExactly("CDN-Cache-Control", "Blue-Cache-Control");
        assertThat(c.applyTo(base, true).ttlCapMillis()).isEqualTo(2_000);
    }

    @Test
    void writesOnlyWhatIsSet() {
        assertThat(SiteCaching.DEFAULTS.toMap()).isEqualTo(SiteTest.map("query", SiteTest.map("mode", "keep"),
                "cookies", SiteTest.map("mode", "pass")));
        assertThat(SiteCaching.fromMap(SiteCaching.DEFAULTS.toMap(), "caching")).isEqualTo(SiteCaching.DEFAULTS);
        assertThat(SiteCaching.fromMap(null, "caching")).isEqualTo(SiteCaching.DEFAULTS);
    }
}
