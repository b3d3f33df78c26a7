package io.blueorigin.cdn.httpcache;

import static io.blueorigin.cdn.httpcache.Messages.NO_CAP;
import static io.blueorigin.cdn.httpcache.Messages.T;
import static io.blueorigin.cdn.httpcache.Messages.at;
import static io.blueorigin.cdn.httpcache.Messages.fields;
import static io.blueorigin.cdn.httpcache.Messages.get;
import static io.blueorigin.cdn.httpcache.Messages.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What {@link CachePolicy#onResponse} keeps of a response (RFC 9111 §3.1 and the facts later decisions need). */
class CachePolicyStoredFormTest {
    private final CachePolicy policy = new CachePolicy(NO_CAP);

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
        # RFC section                                  | field
        RFC 9110 §7.6.1 Connection                      | Connection
        RFC 9110 §7.6.1 Keep-Alive                      | Keep-Alive
        RFC 9110 §7.6.1 Proxy-Connection                | Proxy-Connection
        RFC 9110 §7.6.1 TE                              | TE
        RFC 9110 §7.6.1 Trailer                         | Trailer
        RFC 9110 §7.6.1 Transfer-Encoding               | Transfer-Encoding
        RFC 9110 §7.6.1 Upgrade                         | Upgrade
        RFC 9111 §3.1 Proxy-Authenticate                | Proxy-Authenticate
        RFC 9111 §3.1 Proxy-Authentication-Info         | Proxy-Authentication-Info
        RFC 9111 §3.1 Proxy-Authorization               | Proxy-Authorization
        RFC 9111 §5.1 Age is recomputed                 | Age
        RFC 9110 §5.1 names are case-insensitive        | transfer-ENCODING
        """)
    void doesNotStoreHopByHopFields(String section, String name) {
        StoreDecision d = policy.onResponse(get(""), 200, lines("Cache-Control: max-age=60", name + ": x", "X-Kept: 1"), T, T);
        assertThat(d.response().lookup().has(name)).as(section).isFalse();
        assertThat(d.response().lookup().first("X-Kept")).isEqualTo("1");
    }

    @Test
    void doesNotStoreFieldsNominatedByConnection() {
        // RFC 9110 §7.6.1: Connection's options name hop-by-hop fields
        StoreDecision d = policy.onResponse(get(""), 200,
                fields("Connection: X-Hop, close | connection: x-other | X-Hop: 1 | X-Other: 2 | Cache-Control: max-age=60 | X-End: 3"), T, T);
        assertThat(d.response().fields()).containsExactly(new Field("Cache-Control", "max-age=60"), new Field("X-End", "3"));
    }

    @Test
    void keepsEndToEndFieldsInOrderAsSent() {
        // RFC 9111 §3.1: "Caches MUST include all received response header fields — including unrecognized ones"
        StoreDecision d = policy.onResponse(get(""), 200,
                fields("Content-Type: text/html | X-B: 1 | Cache-Control: max-age=60 | X-A: 2 | X-B: 3"), T, T);
        assertThat(d.response().fields()).extracting(Field::name).containsExactly("Content-Type", "X-B", "Cache-Control", "X-A", "X-B");
    }

    @Test
    void recordsTheFactsOfTheResponse() {
        StoreDecision d = policy.onResponse(get("Accept-Encoding: gzip | Accept-Language: EN"), 200, fields(
                "Cache-Control: max-age=60, stale-while-revalidate=30, stale-if-error=600, proxy-revalidate | ETag: W/\"v1\""
                + " | Last-Modified: {-3600} | Date: {-2} | Age: 10 | Vary: accept-language, Accept-Encoding"
                + " | Content-Length: 1234 | Surrogate-Key: a b  a | Surrogate-Key: c"), at(-1), T);
        CachedResponse r = d.response();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.requestTimeMillis()).isEqualTo(at(-1));
        assertThat(r.responseTimeMillis()).isEqualTo(T);
        assertThat(r.correctedInitialAgeMillis()).as("§4.2.3 Age 10 + 1 s delay").isEqualTo(11_000);
        assertThat(r.freshnessLifetimeMillis()).isEqualTo(60_000);
        assertThat(r.staleWhileRevalidateMillis()).isEqualTo(30_000);
        assertThat(r.staleIfErrorMillis()).isEqualTo(600_000);
        assertThat(r.mustRevalidate()).as("§5.2.2.8 proxy-revalidate binds a shared cache").isTrue();
        assertThat(r.sharedMaxAge()).isFalse();
        assertThat(r.noCache()).isFalse();
        assertThat(r.etag()).contains(new EntityTag("v1", true));
        assertThat(r.lastModifiedMillis()).isEqualTo(at(-3600));
        assertThat(r.dateMillis()).isEqualTo(at(-2));
        assertThat(r.varyFields()).containsExactly("accept-encoding", "accept-language");
        assertThat(r.varyKey()).isEqualTo(VaryKey.of(List.of("accept-encoding", "accept-language"), fields("accept-language: en | accept-encoding: x-gzip")));
        assertThat(r.surrogateKeys()).containsExactly("a", "b", "c");
        assertThat(r.contentLength()).isEqualTo(1234);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                    | Cache-Control                            | must-revalidate | s-maxage | no-cache
        §5.2.2.2 must-revalidate                         | `max-age=60, must-revalidate`            | true            | false    | false
        §5.2.2.8 proxy-revalidate                        | `max-age=60, proxy-revalidate`           | true            | false    | false
        §5.2.2.10 s-maxage                               | `s-maxage=60`                            | false           | true     | false
        §5.2.2.10 invalid s-maxage still s-maxage        | `s-maxage=x`                             | false           | true     | false
        §5.2.2.4 no-cache                                | `max-age=60, no-cache`                   | false           | false    | true
        §5.2.2 none                                      | `max-age=60`                             | false           | false    | false
        """)
    void recordsRevalidationFlags(String section, String cacheControl, boolean mustRevalidate, boolean sharedMaxAge,
            boolean noCache) {
        CachedResponse r = policy.onResponse(get(""), 200, lines("Cache-Control: " + cacheControl, "Date: " + Messages.date(0)), T, T)
                .response();
        assertThat(r.mustRevalidate()).as(section).isEqualTo(mustRevalidate);
        assertThat(r.sharedMaxAge()).as(section).isEqualTo(sharedMaxAge);
        assertThat(r.noCache()).as(section).isEqualTo(noCache);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                  | response fields                               | initial age ms
        §5.1 Age                                       | `Age: 30`                                     | 30000
        §5.1 invalid Age ignored                       | `Age: soon`                                   | 0
        §5.1 negative Age ignored                      | `Age: -30`                                    | 0
        §5.1 first of a list                           | `Age: 30, 40`                                 | 30000
        §5.1 first of several lines                    | `Age: 30 | Age: 40`                           | 30000
        §5.1 huge Age is 2^31                          | `Age: 99999999999`                            | 2147483648000
        §4.2.3 conflicting Dates: no apparent age      | `Date: {-60} | Date: {-30}`                   | 0
        §4.2.3 repeated Date: apparent age             | `Date: {-6} | Date: {-6}`                     | 6000
        """)
    void readsAgeAndDate(String section, String response, long initialAge) {
        CachedResponse r = policy.onResponse(get(""), 200, fields("Cache-Control: max-age=60 | " + response), T, T).response();
        assertThat(r.correctedInitialAgeMillis()).as(section).isEqualTo(initialAge);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                               | Content-Length    | contentLength
        RFC 9110 §8.6 decimal                       | `1234`            | 1234
        RFC 9110 §8.6 zero                          | `0`               | 0
        RFC 9110 §8.6 larger than 2^31              | `10000000000`     | 10000000000
        RFC 9110 §8.6 larger than a long            | `99999999999999999999` | -1
        RFC 9110 §8.6 invalid                       | `12ab`            | -1
        RFC 9110 §8.6 negative                      | `-1`              | -1
        RFC 9110 §8.6 list is not a length          | `5, 5`            | -1
        RFC 9110 §8.6 absent                        |                   | -1
        """)
    void readsTheContentLength(String section, String value, long expected) {
        String spec = "Cache-Control: max-age=60" + (value == null ? "" : " | Content-Length: " + value);
        assertThat(policy.onResponse(get(""), 200, fields(spec), T, T).response().contentLength()).as(section).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # rule                                               | Surrogate-Key lines (‖)            | keys kept
        Surrogate-Key: separated by whitespace               | `a b\tc`                           | a b c
        Surrogate-Key: duplicates kept once, first order     | `b a b‖a c`                        | b a c
        Surrogate-Key: only whitespace                       | `  \t `                            | ``
        Surrogate-Key: the purge API's tags are kept         | `item-3 a/b:c;d~f`                 | item-3 a/b:c;d~f
        Surrogate-Key: a comma makes a key unnameable        | `a,b c`                            | c
        Surrogate-Key: non-ASCII makes a key unnameable      | `café c`                      | c
        """)
    void keepsTheSurrogateKeysThePurgeApiCanName(String rule, String lines, String expected) {
        List<String> fieldLines = new java.util.ArrayList<>();
        for (String line : lines.split("‖", -1)) {
            fieldLines.add("Surrogate-Key: " + line);
        }
        fieldLines.add("Cache-Control: max-age=60");
        StoreDecision d = policy.onResponse(get(""), 200, lines(fieldLines.toArray(new String[0])), T, T);
        assertThat(d.store()).as(rule).isTrue();
        assertThat(d.response().surrogateKeys()).as(rule)
                .isEqualTo(expected == null || expected.isEmpty() ? List.of() : List.of(expected.split(" ")));
    }

    @Test
    void aSurrogateKeyThePurgeApiCannotNameIsNotKept() {
        // the admin API takes tags of 1-256 visible ASCII characters: a longer key, or one with a control
        // character, could never be purged by tag
        String longest = "k".repeat(256);
        StoreDecision d = policy.onResponse(get(""), 200, lines("Cache-Control: max-age=60",
                "Surrogate-Key: " + longest + " " + longest + "k x a\u0000b c\u007fd e\u0001f"), T, T);
        assertThat(d.response().surrogateKeys()).containsExactly(longest, "x");
    }
}
