package io.blueorigin.cdn.httpcache;

import static io.blueorigin.cdn.httpcache.Messages.NO_CAP;
import static io.blueorigin.cdn.httpcache.Messages.T;
import static io.blueorigin.cdn.httpcache.Messages.at;
import static io.blueorigin.cdn.httpcache.Messages.fields;
import static io.blueorigin.cdn.httpcache.Messages.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CachePolicyConfig.RequestNoCache;
import io.blueorigin.cdn.httpcache.CachePolicyConfig.SetCookie;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9111 §4.3.4 freshening a stored response with a 304, through {@link CachePolicy#freshen}. */
class CachePolicyFreshenTest {
    private final CachePolicy policy = new CachePolicy(NO_CAP);

    private CachedResponse stored(String etag) {
        String spec = "Cache-Control: max-age=60 | Content-Type: text/plain | Content-Length: 5 | X-Old: 1 | Date: {0}"
                + " | Vary: Accept-Language" + (etag.isEmpty() ? "" : " | ETag: " + etag);
        return policy.onResponse(get("Accept-Language: en"), 200, fields(spec), T, T).response().withBodyLength(5);
    }

    private Optional<CachedResponse> freshen(CachedResponse stored, String notModified) {
        return policy.freshen(stored, get("Accept-Language: fr"), fields(notModified), at(100), at(101));
    }

    @Test
    void replacesFieldsAndRecomputesFreshness() {
        CachedResponse stored = stored("\"v1\"");
        CachedResponse r = freshen(stored, "Cache-Control: max-age=120 | ETag: \"v1\" | X-Old: 2 | X-New: 3 | Date: {101}")
                .orElseThrow();
        // §4.3.4: fields in the 304 replace those stored; the others stay
        assertThat(r.lookup().values("X-Old")).containsExactly("2");
        assertThat(r.lookup().first("X-New")).isEqualTo("3");
        assertThat(r.lookup().first("Content-Type")).isEqualTo("text/plain");
        assertThat(r.lookup().values("Cache-Control")).containsExactly("max-age=120");
        // freshness and age from the merged fields and the new exchange
        assertThat(r.freshnessLifetimeMillis()).isEqualTo(120_000);
        assertThat(r.requestTimeMillis()).isEqualTo(at(100));
        assertThat(r.responseTimeMillis()).isEqualTo(at(101));
        assertThat(r.correctedInitialAgeMillis()).isEqualTo(1_000);
        assertThat(r.dateMillis()).isEqualTo(at(101));
        assertThat(r.isFresh(at(200))).isTrue();
        assertThat(r.isFresh(at(221))).isFalse();
        // what identifies the variant and its body does not change
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.varyKey()).isEqualTo(stored.varyKey());
        assertThat(r.varyFields()).isEqualTo(stored.varyFields());
        assertThat(r.contentLength()).isEqualTo(5);
        assertThat(r.etag()).contains(new EntityTag("v1", false));
    }

    @Test
    void keepsTheStoredContentLength() {
        // §4.3.4 (and RFC 9110 §15.4.5): a 304's Content-Length describes no body; it does not replace the stored one
        CachedResponse r = freshen(stored("\"v1\""), "Content-Length: 0 | ETag: \"v1\"").orElseThrow();
        assertThat(r.lookup().values("Content-Length")).containsExactly("5");
        assertThat(r.contentLength()).isEqualTo(5);
    }

    @Test
    void keepsStoredDirectivesWhenThe304HasNone() {
        CachedResponse r = freshen(stored("\"v1\""), "ETag: \"v1\" | Date: {101}").orElseThrow();
        assertThat(r.freshnessLifetimeMillis()).isEqualTo(60_000);
        assertThat(r.isFresh(at(150))).isTrue();
    }

    @Test
    void appliesNewRevalidationDirectives() {
        CachedResponse r = freshen(stored("\"v1\""),
                "Cache-Control: max-age=30, must-revalidate, stale-if-error=5 | ETag: \"v1\"").orElseThrow();
        assertThat(r.mustRevalidate()).isTrue();
        assertThat(r.staleIfErrorMillis()).isEqualTo(5_000);
        assertThat(r.freshnessLifetimeMillis()).isEqualTo(30_000);
    }

    @Test
    void doesNotStoreHopByHopFieldsOfThe304() {
        // RFC 9110 §7.6.1, RFC 9111 §3.1: neither listed hop-by-hop fields nor those Connection nominates
        CachedResponse r = freshen(stored("\"v1\""),
                "Connection: X-Hop | X-Hop: 1 | Keep-Alive: timeout=5 | Age: 50 | ETag: \"v1\" | X-End: 2 | Date: {101}")
                .orElseThrow();
        assertThat(r.lookup().has("X-Hop")).isFalse();
        assertThat(r.lookup().has("Connection")).isFalse();
        assertThat(r.lookup().has("Keep-Alive")).isFalse();
        assertThat(r.lookup().has("Age")).isFalse();
        assertThat(r.lookup().first("X-End")).isEqualTo("2");
        assertThat(r.correctedInitialAgeMillis()).as("§4.2.3 the 304's Age counts").isEqualTo(51_000);
    }

    @Test
    void keepsTheStoredDateWhenThe304HasNone() {
        // §4.3.4 replaces only the fields the 304 carries: the stored Date stays (RFC 9110 §6.6.1 has origin servers
        // with a clock send Date on a 304). An apparent age of 101 s from it is beyond the skew allowance (Age): it
        // counts as 0, and the freshened response is as old as the exchange that validated it
        CachedResponse r = freshen(stored("\"v1\""), "ETag: \"v1\"").orElseThrow();
        assertThat(r.dateMillis()).isEqualTo(at(0));
        assertThat(r.correctedInitialAgeMillis()).isEqualTo(1_000);
        assertThat(r.isFresh(at(101))).isTrue();
    }

    @Test
    void neverStoresASetCookieFromThe304() {
        // Deviation §3 (cache.set-cookie): a stored response is shared, so one client's cookie must not join it
        CachedResponse r = freshen(stored("\"v1\""), "Set-Cookie: session=secret | ETag: \"v1\"").orElseThrow();
        assertThat(r.lookup().has("Set-Cookie")).isFalse();

        CachePolicy strip = new CachePolicy(new CachePolicyConfig(Long.MAX_VALUE, 0.1, 86_400_000L, 10_000, 1_000, 0,
                RequestNoCache.REVALIDATE, SetCookie.STRIP, List.of()));
        CachedResponse s = strip.freshen(stored("\"v1\""), get(""), fields("Set-Cookie: a=1 | ETag: \"v1\""), at(100), at(100))
                .orElseThrow();
        assertThat(s.lookup().has("Set-Cookie")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC 9111 §4.3.4 selecting the stored response to update     | stored ETag | 304 ETag  | updated
        same strong validator                                         | `"v1"`      | `"v1"`    | true
        different strong validator                                    | `"v1"`      | `"v2"`    | false
        strong 304 validator, weak stored one                         | `W/"v1"`    | `"v1"`    | false
        strong 304 validator, none stored                             | ``          | `"v1"`    | false
        weak 304 validator matching a strong stored one               | `"v1"`      | `W/"v1"`  | true
        weak 304 validator matching a weak stored one                 | `W/"v1"`    | `W/"v1"`  | true
        weak 304 validator that differs                               | `W/"v1"`    | `W/"v2"`  | false
        no validator in the 304                                       | `"v1"`      | ``        | true
        no validator in either                                        | ``          | ``        | true
        invalid ETag in the 304 is no validator                       | `"v1"`      | `v2`      | true
        """)
    void selectsOnlyAMatchingStoredResponse(String section, String storedTag, String notModifiedTag, boolean updated) {
        String spec = "Cache-Control: max-age=120" + (notModifiedTag.isEmpty() ? "" : " | ETag: " + notModifiedTag);
        assertThat(freshen(stored(storedTag), spec).isPresent()).as(section).isEqualTo(updated);
    }

    @Test
    void a304WithMoreSurrogateKeysThanKeptDoesNotFreshen() {
        // the merged response could not be stored (a purge by a key left out would miss it): fetch anew
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i <= SurrogateKeys.MAX_KEYS; i++) {
            keys.append("k").append(i).append(' ');
        }
        assertThat(freshen(stored("\"v1\""), "ETag: \"v1\" | Surrogate-Key: " + keys)).isEmpty();
        assertThat(freshen(stored("\"v1\""), "ETag: \"v1\" | Surrogate-Key: a b")).get()
                .extracting(CachedResponse::surrogateKeys).isEqualTo(List.of("a", "b"));
    }
}
