package io.blueorigin.cdn.httpcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** RFC 9111 §4.2: a stored response is fresh iff freshness_lifetime &gt; current_age, and stays stale once stale. */
class CachedResponseProperties {
    private static final long YEAR_2109 = 4_400_000_000_000L;
    private static final long MAX_LIFETIME = DeltaSeconds.MAX * 1000;

    @Property
    void freshIffLifetimeExceedsCurrentAge(@ForAll @LongRange(min = 0, max = MAX_LIFETIME) long lifetime,
            @ForAll @LongRange(min = 0, max = MAX_LIFETIME) long initialAge,
            @ForAll @LongRange(min = 0, max = YEAR_2109) long response, @ForAll @LongRange(min = 0, max = YEAR_2109) long now) {
        CachedResponse r = response(lifetime, initialAge, response);
        long currentAge = r.currentAgeMillis(now);
        assertThat(r.isFresh(now)).isEqualTo(lifetime > currentAge);
        assertThat(r.ttlMillis(now)).isEqualTo(lifetime - currentAge);
    }

    @Property
    void onceStaleStaysStale(@ForAll @LongRange(min = 0, max = MAX_LIFETIME) long lifetime,
            @ForAll @LongRange(min = 0, max = MAX_LIFETIME) long initialAge, @ForAll @LongRange(min = 0, max = YEAR_2109) long response,
            @ForAll @LongRange(min = 0, max = YEAR_2109) long now, @ForAll @LongRange(min = 0, max = YEAR_2109) long later) {
        CachedResponse r = response(lifetime, initialAge, response);
        // a response received in the clock's future has no measurable age until the clock gets there (Age)
        Assume.that(!Age.receivedInTheFuture(response, Math.min(now, later)));
        if (!r.isFresh(Math.min(now, later))) {
            assertThat(r.isFresh(Math.max(now, later))).isFalse();
        }
        assertThat(r.ttlMillis(Math.max(now, later))).isLessThanOrEqualTo(r.ttlMillis(Math.min(now, later)));
    }

    private static CachedResponse response(long lifetime, long initialAge, long responseTime) {
        return new CachedResponse(200, List.of(), responseTime, responseTime, initialAge, lifetime, 0, 0, false, false, false,
                Optional.empty(), -1, -1, List.of(), VaryKey.NONE, List.of(), -1);
    }
}
