package io.blueorigin.cdn.httpcache.site;

import static io.blueorigin.cdn.httpcache.site.SiteTest.map;
import static io.blueorigin.cdn.httpcache.site.SiteTest.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.httpcache.site.SiteRateLimit.AppliesTo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code delivery.rateLimit} of a site definition: read strictly, refused naming the field, round-trips. */
class SiteRateLimitTest {

    private static Site withDelivery(Object delivery) {
        Map<String, Object> m = valid();
        m.put("delivery", delivery);
        return Site.fromMap(m);
    }

    @Test
    void readsAndRoundTrips() {
        Site site = withDelivery(map("rateLimit", map("rate", 600, "per", "1m", "burst", 40, "appliesTo", "misses")));
        assertThat(site.rateLimit()).isEqualTo(new SiteRateLimit(600, Duration.ofMinutes(1), 40, AppliesTo.MISSES));
        assertThat(site.toMap().get("delivery"))
                .isEqualTo(map("rateLimit", map("rate", 600, "per", "1m", "burst", 40, "appliesTo", "misses")));
        assertThat(Site.fromMap(site.toMap())).isEqualTo(site);
    }

    @Test
    void perLeftOutIsASecondAndAppliesToLeftOutKeepsTheNodesSetting() {
        Site site = withDelivery(map("rateLimit", map("rate", 5, "burst", 1)));
        assertThat(site.rateLimit()).isEqualTo(new SiteRateLimit(5, Duration.ofSeconds(1), 1, null));
        assertThat(Site.fromMap(site.toMap())).isEqualTo(site);
    }

    @Test
    void noRateLimitIsNoneAndWritesAnEmptyDelivery() {
        assertThat(withDelivery(map()).rateLimit()).isNull();
        assertThat(withDelivery(null).rateLimit()).isNull();
        assertThat(withDelivery(map("rateLimit", null)).rateLimit()).isNull();
        assertThat(withDelivery(map()).toMap().get("delivery")).isEqualTo(map());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(map("rate", 1), "delivery.rateLimit.burst"),
                Arguments.of(map("burst", 1), "delivery.rateLimit.rate"),
                Arguments.of(map("rate", 0, "burst", 1), "delivery.rateLimit.rate"),
                Arguments.of(map("rate", 1, "burst", 0), "delivery.rateLimit.burst"),
                Arguments.of(map("rate", 1, "burst", SiteRateLimit.MAX + 1), "delivery.rateLimit.burst"),
                Arguments.of(map("rate", 1.5, "burst", 2), "delivery.rateLimit.rate"),
                Arguments.of(map("rate", "10", "burst", 2), "delivery.rateLimit.rate"),
                Arguments.of(map("rate", 1, "per", "500ms", "burst", 2), "delivery.rateLimit.per"),
                Arguments.of(map("rate", 1, "per", "2d", "burst", 2), "delivery.rateLimit.per"),
                Arguments.of(map("rate", 1, "per", 60, "burst", 2), "delivery.rateLimit.per"),
                Arguments.of(map("rate", 1, "burst", 2, "appliesTo", "hits"), "delivery.rateLimit.appliesTo"),
                Arguments.of(map("rate", 1, "burst", 2, "window", "1s"), "delivery.rateLimit.window"),
                Arguments.of(List.of(), "delivery.rateLimit"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("invalid")
    void refusesNamingTheField(Object rateLimit, String field) {
        assertThatThrownBy(() -> withDelivery(map("rateLimit", rateLimit)))
                .isInstanceOfSatisfying(SiteException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).startsWith(field + ": ");
                });
    }

    @Test
    void anUnknownFieldNamesTheKnownOnes() {
        assertThatThrownBy(() -> withDelivery(map("rateLimit", map("rate", 1, "burst", 2, "window", "1s"))))
                .hasMessage("delivery.rateLimit.window: unknown field (known: appliesTo, burst, per, rate)");
    }
}
