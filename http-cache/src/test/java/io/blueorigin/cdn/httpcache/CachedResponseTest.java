package io.blueorigin.cdn.httpcache;

import static io.blueorigin.cdn.httpcache.Messages.T;
import static io.blueorigin.cdn.httpcache.Messages.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9111 §4.2: fresh iff freshness_lifetime &gt; current_age. */
class CachedResponseTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # RFC 9111 §4.2 case                         | lifetime ms | initial age ms | now - response ms | ttl ms | fresh
        just received                                | 60000       | 0              | 0                 | 60000  | true
        one millisecond left                         | 60000       | 0              | 59999             | 1      | true
        age equals lifetime: stale                   | 60000       | 0              | 60000             | 0      | false
        past the lifetime                            | 60000       | 0              | 61000             | -1000  | false
        initial age counts                           | 60000       | 50000          | 5000              | 5000   | true
        initial age beyond the lifetime: stale       | 60000       | 70000          | 0                 | -10000 | false
        zero lifetime is stale at once               | 0           | 0              | 0                 | 0      | false
        clock went backwards: no resident time       | 60000       | 0              | -5000             | 60000  | true
        clock stepped back an hour: just stale       | 60000       | 0              | -3600000          | 0      | false
        stepped back, initial age beyond lifetime    | 60000       | 70000          | -3600000          | -10000 | false
        """)
    void ttlAndFreshness(String section, long lifetime, long initialAge, long sinceResponse, long ttl, boolean fresh) {
        CachedResponse r = response(lifetime, initialAge, -1, -1);
        assertThat(r.ttlMillis(T + sinceResponse)).as(section).isEqualTo(ttl);
        assertThat(r.isFresh(T + sinceResponse)).as(section).isEqualTo(fresh);
        long age = sinceResponse < -Age.CLOCK_SKEW_MILLIS ? Math.max(initialAge, lifetime) : initialAge + Math.max(0, sinceResponse);
        assertThat(r.currentAgeMillis(T + sinceResponse)).as(section).isEqualTo(age);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # RFC 9111 §4.3.2                                    | Last-Modified | Date | validator date
        Last-Modified when present                           | -60           | 0    | -60
        else Date                                            |               | 0    | 0
        neither                                              |               |      |
        """)
    void validatorDate(String section, Long lastModified, Long date, Long expected) {
        CachedResponse r = response(60_000, 0, lastModified == null ? -1 : at(lastModified), date == null ? -1 : at(date));
        assertThat(r.validatorDateMillis()).as(section).isEqualTo(expected == null ? -1 : at(expected));
    }

    @Test
    void copiesItsListsAndLooksUpFieldsCaseInsensitively() {
        List<Field> fields = new ArrayList<>(List.of(new Field("ETag", "\"a\""), new Field("X-A", "1"), new Field("x-a", "2")));
        CachedResponse r = new CachedResponse(200, fields, T, T, 0, 1000, 0, 0, false, false, false, Optional.empty(),
                -1, -1, List.of(), VaryKey.NONE, List.of(), -1);
        fields.clear();
        assertThat(r.fields()).hasSize(3);
        assertThat(r.lookup().values("X-A")).containsExactly("1", "2");
        assertThat(r.lookup().first("etag")).isEqualTo("\"a\"");
        assertThat(r.lookup().has("Missing")).isFalse();
    }

    @Test
    void withBodyLengthChangesOnlyTheLength() {
        CachedResponse r = response(60_000, 0, -1, -1);
        CachedResponse sized = r.withBodyLength(1234);
        assertThat(sized.contentLength()).isEqualTo(1234);
        assertThat(sized.withBodyLength(r.contentLength())).isEqualTo(r);
    }

    @Test
    void rejectsNulls() {
        assertThatThrownBy(() -> new CachedResponse(200, List.of(), T, T, 0, 0, 0, 0, false, false, false, null,
                -1, -1, List.of(), VaryKey.NONE, List.of(), -1)).isInstanceOf(NullPointerException.class).hasMessage("etag is null");
    }

    @Test
    void aSoftPurgeMakesItStaleNowAndNoEarlier() {
        CachedResponse r = response(60_000, 5_000, -1, -1);
        CachedResponse purged = r.markedStale(T + 10_000);
        assertThat(purged.isFresh(T + 10_000)).isFalse();
        assertThat(purged.ttlMillis(T + 10_000)).isZero();
        assertThat(purged.ttlMillis(T + 12_000)).as("stale windows count from the purge").isEqualTo(-2_000);
        assertThat(purged.freshnessLifetimeMillis()).isEqualTo(15_000);
        CachedResponse already = response(1_000, 0, -1, -1);
        assertThat(already.markedStale(T + 5_000)).as("already stale: unchanged").isSameAs(already);
    }

    static CachedResponse response(long lifetime, long initialAge, long lastModified, long date) {
        return new CachedResponse(200, List.of(), T, T, initialAge, lifetime, 0, 0, false, false, false, Optional.empty(),
                lastModified, date, List.of(), VaryKey.NONE, List.of(), -1);
    }
}
