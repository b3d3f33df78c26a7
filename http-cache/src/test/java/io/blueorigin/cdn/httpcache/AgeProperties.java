package io.blueorigin.cdn.httpcache;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** RFC 9111 §4.2.3 invariants over realistic epoch-millisecond times (1970 to about 2109). */
class AgeProperties {
    private static final long YEAR_2109 = 4_400_000_000_000L;

    @Property
    void correctedInitialAgeIsNeverNegativeNorBelowItsParts(@ForAll @LongRange(min = -10, max = 1L << 33) long ageSeconds,
            @ForAll @LongRange(min = -1, max = YEAR_2109) long date, @ForAll @LongRange(min = 0, max = YEAR_2109) long request,
            @ForAll @LongRange(min = 0, max = YEAR_2109) long response) {
        long initial = Age.correctedInitialAge(ageSeconds, date, request, response);
        assertThat(initial).isNotNegative();
        if (date >= 0 && response - date <= Age.CLOCK_SKEW_MILLIS) {
            assertThat(initial).as("apparent_age").isGreaterThanOrEqualTo(response - date);
        }
        assertThat(initial).as("corrected_age_value").isGreaterThanOrEqualTo(Math.min(Math.max(0, ageSeconds), DeltaSeconds.MAX) * 1000);
        assertThat(initial).as("response_delay").isGreaterThanOrEqualTo(response - request);
    }

    @Property
    void currentAgeIsNeverNegativeAndNeverDecreases(@ForAll @LongRange(min = -10, max = 1L << 33) long ageSeconds,
            @ForAll @LongRange(min = -1, max = YEAR_2109) long date, @ForAll @LongRange(min = 0, max = YEAR_2109) long request,
            @ForAll @LongRange(min = 0, max = YEAR_2109) long response, @ForAll @LongRange(min = 0, max = YEAR_2109) long now,
            @ForAll @LongRange(min = 0, max = YEAR_2109) long later) {
        long initial = Age.correctedInitialAge(ageSeconds, date, request, response);
        long earlier = Math.min(now, later);
        long laterNow = Math.max(now, later);
        long a = Age.currentAge(initial, response, earlier);
        long b = Age.currentAge(initial, response, laterNow);
        assertThat(a).isNotNegative().isGreaterThanOrEqualTo(initial);
        assertThat(b).isGreaterThanOrEqualTo(a);
        assertThat(Age.headerSeconds(b)).isBetween(0L, DeltaSeconds.MAX);
    }
}
