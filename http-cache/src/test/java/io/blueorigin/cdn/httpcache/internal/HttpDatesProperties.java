package io.blueorigin.cdn.httpcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** RFC 9110 §5.6.7: what is formatted parses back to the second, in all three forms. */
class HttpDatesProperties {
    /** 9999-12-31T23:59:59.999Z, the last instant with a four-digit year. */
    private static final long LAST_FOUR_DIGIT_YEAR = 253_402_300_799_999L;
    private static final DateTimeFormatter RFC_850 =
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Property
    void formatThenParseRoundTripsToTheSecond(@ForAll @LongRange(min = 0, max = LAST_FOUR_DIGIT_YEAR) long millis) {
        String formatted = HttpDates.format(millis);
        assertThat(formatted).hasSize(29).endsWith(" GMT");
        assertThat(HttpDates.parse(formatted)).hasValue(Math.floorDiv(millis, 1000) * 1000);
    }

    @Property
    void obsoleteFormsParseToTheSameInstant(@ForAll @LongRange(min = 0, max = 3_155_759_999_999L) long millis) {
        // RFC 850 two-digit years: 1970-2069 with this package's fixed pivot
        Instant instant = Instant.ofEpochMilli(millis);
        long second = Math.floorDiv(millis, 1000) * 1000;
        assertThat(HttpDates.parse(RFC_850.format(instant))).hasValue(second);
        assertThat(HttpDates.parse(ASCTIME.format(instant))).hasValue(second);
    }

    @Property(tries = 10_000)
    void wordsSplitLikeTheRegexItReplaces(@ForAll("trimmed") String s) {
        // HttpDates splits at each single space (a run of them leaves an empty word, which no date part accepts)
        assertThat(HttpDates.words(s)).containsExactly(s.split(" ", -1));
    }

    @Provide
    Arbitrary<String> trimmed() {
        return Arbitraries.strings().withChars(" a1:,-\t").ofMaxLength(40).map(String::trim);
    }
}
