package io.blueorigin.cdn.httpcache;

import static io.blueorigin.cdn.httpcache.Messages.NO_CAP;
import static io.blueorigin.cdn.httpcache.Messages.at;
import static io.blueorigin.cdn.httpcache.Messages.fields;
import static io.blueorigin.cdn.httpcache.Messages.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CachePolicyConfig.RequestNoCache;
import io.blueorigin.cdn.httpcache.CachePolicyConfig.SetCookie;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 9111 §4.2.1 freshness lifetime (and §4.2.2 heuristics, RFC 9213 targeted fields, the negative-caching
 * deviation), through {@link CachePolicy#onResponse}. The request is sent at T + request and answered at
 * T + response (seconds); the lifetime is in seconds.
 */
class CachePolicyFreshnessTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                         | status | response fields                                                      | request | response | lifetime s
        §4.2.1 max-age                                        | 200    | `Cache-Control: max-age=60 | Date: {0}`                              | 0       | 0        | 60
        §4.2.1 s-maxage beats max-age                         | 200    | `Cache-Control: max-age=60, s-maxage=120 | Date: {0}`                | 0       | 0        | 120
        §4.2.1 s-maxage beats a longer max-age                | 200    | `Cache-Control: max-age=600, s-maxage=10 | Date: {0}`                | 0       | 0        | 10
        §4.2.1 max-age beats Expires                          | 200    | `Cache-Control: max-age=60 | Expires: {3600} | Date: {0}`            | 0       | 0        | 60
        §4.2.1 s-maxage beats Expires                         | 200    | `Cache-Control: s-maxage=60 | Expires: {3600} | Date: {0}`           | 0       | 0        | 60
        §4.2.1 Expires minus Date                             | 200    | `Expires: {3600} | Date: {0}`                                        | 0       | 0        | 3600
        §4.2.1 Expires minus Date, not response time          | 200    | `Expires: {3600} | Date: {600}`                                      | 0       | 0        | 3000
        §4.2.1 Expires without Date: minus response time      | 200    | `Expires: {3600}`                                                    | 0       | 100      | 3500
        §4.2.1 Expires in the past                            | 200    | `Expires: {-60} | Date: {0} | ETag: "a"`                            | 0       | 0        | 0
        §4.2.1 Expires equal to Date                          | 200    | `Expires: {0} | Date: {0} | ETag: "a"`                              | 0       | 0        | 0
        §5.3 invalid Expires: already expired                 | 200    | `Expires: 0 | Date: {0} | ETag: "a" | Last-Modified: {-86400}`      | 0       | 0        | 0
        §5.3 Expires -1: already expired                      | 200    | `Expires: -1 | Date: {0} | ETag: "a"`                              | 0       | 0        | 0
        §5.3 Expires with two spaces: already expired         | 200    | `Expires: Sun,  06 Nov 2095 08:49:37 GMT | Date: {0} | ETag: "a"`  | 0       | 0        | 0
        §5.3 Expires with a doubled inner space: expired      | 200    | `Expires: Sun, 06 Nov  2095 08:49:37 GMT | Date: {0} | ETag: "a"`  | 0       | 0        | 0
        §5.3 a valid far Expires for contrast                 | 200    | `Expires: Sun, 06 Nov 2095 08:49:37 GMT | Date: Sun, 06 Nov 2095 08:48:37 GMT` | 0 | 0 | 60
        §4.2.1 two different Expires: stale                   | 200    | `Expires: {60} | Expires: {120} | Date: {0} | ETag: "a"`            | 0       | 0        | 0
        §4.2.1 the same Expires twice                         | 200    | `Expires: {60} | Expires: {60} | Date: {0}`                          | 0       | 0        | 60
        §4.2.1 invalid Date: Expires minus response time      | 200    | `Expires: {60} | Date: yesterday`                                    | 0       | 10       | 50
        §4.2.1 conflicting max-age: stale                     | 200    | `Cache-Control: max-age=60, max-age=120 | Date: {0} | ETag: "a"`    | 0       | 0        | 0
        §4.2.1 invalid max-age does not fall back to Expires  | 200    | `Cache-Control: max-age=x | Expires: {60} | Date: {0} | ETag: "a"` | 0       | 0        | 0
        §1.2.2 huge max-age is 2^31 seconds                   | 200    | `Cache-Control: max-age=99999999999 | Date: {0}`                     | 0       | 0        | 2147483648
        RFC 9213 §2.1 CDN-Cache-Control beats Cache-Control   | 200    | `CDN-Cache-Control: max-age=600 | Cache-Control: max-age=60 | Date: {0}` | 0   | 0        | 600
        RFC 9213 §2.1 targeted s-maxage                       | 200    | `CDN-Cache-Control: s-maxage=30 | Cache-Control: max-age=60 | Date: {0}` | 0   | 0        | 30
        RFC 9213 §2.1 targeted field: Expires ignored         | 200    | `CDN-Cache-Control: max-age=600 | Expires: {60} | Date: {0}`        | 0       | 0        | 600
        RFC 9213 §2.1 targeted without lifetime: no Expires   | 200    | `CDN-Cache-Control: public | Expires: {60} | Date: {0} | Last-Modified: {-86400}` | 0 | 0 | 8640
        RFC 9213 §2.1 targeted without lifetime: no CC either | 200    | `CDN-Cache-Control: public | Cache-Control: max-age=60 | Date: {0} | ETag: "a"` | 0 | 0 | 0
        RFC 9213 §2.2 invalid targeted: Cache-Control used    | 200    | `CDN-Cache-Control: MAX-AGE=600 | Cache-Control: max-age=60 | Date: {0}` | 0   | 0        | 60
        RFC 9213 §2.2 invalid targeted: Expires used          | 200    | `CDN-Cache-Control: max-age=600, | Expires: {60} | Date: {0}`       | 0       | 0        | 60
        RFC 9213 §2.2 empty targeted: Cache-Control used      | 200    | `CDN-Cache-Control: | Cache-Control: max-age=60 | Date: {0}`         | 0       | 0        | 60
        RFC 9213 §2.2 targeted lines form one dictionary      | 200    | `CDN-Cache-Control: public | CDN-Cache-Control: max-age=90 | Date: {0}` | 0    | 0        | 90
        §4.2.2 heuristic: 10% of Date - Last-Modified         | 200    | `Last-Modified: {-86400} | Date: {0}`                                | 0       | 0        | 8640
        §4.2.2 heuristic without Date uses response time      | 200    | `Last-Modified: {-86400}`                                            | 0       | 0        | 8640
        §4.2.2 heuristic capped by heuristic max (1 day)      | 200    | `Last-Modified: {-8640000} | Date: {0}`                              | 0       | 0        | 86400
        §4.2.2 Last-Modified after Date: 0                    | 200    | `Last-Modified: {60} | Date: {0}`                                    | 0       | 0        | 0
        §4.2.2 heuristic for 404 with Last-Modified           | 404    | `Last-Modified: {-86400} | Date: {0}`                                | 0       | 0        | 8640
        §4.2.2 heuristic for 301                              | 301    | `Last-Modified: {-86400} | Date: {0}`                                | 0       | 0        | 8640
        §4.2.2 public makes 201 heuristically cacheable       | 201    | `Cache-Control: public | Last-Modified: {-86400} | Date: {0}`       | 0       | 0        | 8640
        §4.2.2 no heuristic for 201                           | 201    | `Last-Modified: {-86400} | Date: {0}`                                | 0       | 0        | 0
        §4.2.2 invalid Last-Modified: no heuristic            | 200    | `Last-Modified: last week | Date: {0} | ETag: "a"`                  | 0       | 0        | 0
        §4.2.2 no heuristic with an explicit max-age          | 200    | `Cache-Control: max-age=5 | Last-Modified: {-86400} | Date: {0}`    | 0       | 0        | 5
        §4.2.2 ETag alone: no default TTL                     | 200    | `ETag: "a" | Date: {0}`                                              | 0       | 0        | 0
        deviation §4.2.1 404 without freshness: negative TTL  | 404    | `Date: {0}`                                                          | 0       | 0        | 10
        deviation §4.2.1 410 without freshness: negative TTL  | 410    | `Date: {0}`                                                          | 0       | 0        | 10
        deviation §4.2.1 404 with only an ETag: negative TTL  | 404    | `ETag: "a" | Date: {0}`                                              | 0       | 0        | 10
        §15.1 500 without freshness: not stored by default  | 500    | `Date: {0}`                                                          | 0       | 0        | 0
        §15.1 502 without freshness: not stored by default  | 502    | `Date: {0}`                                                          | 0       | 0        | 0
        §15.1 503 without freshness: not stored by default  | 503    | `Date: {0}`                                                          | 0       | 0        | 0
        §15.1 504 without freshness: not stored by default  | 504    | `Date: {0}`                                                          | 0       | 0        | 0
        deviation §4.2.1 501 is not an error TTL code         | 501    | `Date: {0}`                                                          | 0       | 0        | 0
        §4.2.1 404 with max-age: what it says                 | 404    | `Cache-Control: max-age=60 | Date: {0}`                              | 0       | 0        | 60
        §4.2.1 404 with max-age=0: no negative TTL            | 404    | `Cache-Control: max-age=0 | Date: {0}`                               | 0       | 0        | 0
        §4.2.1 503 with Expires in the past: no error TTL     | 503    | `Expires: {-1} | Date: {0}`                                          | 0       | 0        | 0
        §4.2.1 503 with invalid Expires: no error TTL         | 503    | `Expires: never | Date: {0}`                                         | 0       | 0        | 0
        """)
    void computesTheLifetime(String section, int status, String response, long requestOffset, long responseOffset,
            long lifetimeSeconds) {
        StoreDecision d = new CachePolicy(NO_CAP).onResponse(get(""), status, fields(response), at(requestOffset), at(responseOffset));
        assertThat(d.response().freshnessLifetimeMillis()).as(section + " (" + d.reason() + ")").isEqualTo(lifetimeSeconds * 1000);
    }

    /** Deviation §4.2: the tier's cap clamps, never extends, and counts from the corrected initial age. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # case                                                | cap s | status | response fields                                   | request | response | lifetime s
        cap shortens a longer max-age                         | 30    | 200    | `Cache-Control: max-age=3600 | Date: {0}`         | 0       | 0        | 30
        cap does not extend a shorter max-age                 | 30    | 200    | `Cache-Control: max-age=10 | Date: {0}`           | 0       | 0        | 10
        cap does not extend a zero lifetime                   | 30    | 200    | `Cache-Control: max-age=0 | Date: {0} | ETag: "a"` | 0      | 0        | 0
        cap counts from the Age received                      | 30    | 200    | `Cache-Control: max-age=3600 | Age: 100 | Date: {0}` | 0     | 0        | 130
        cap counts from the apparent age                      | 30    | 200    | `Cache-Control: max-age=60 | Date: {-8}`          | 0       | 0        | 38
        a Date 20 s behind is a wrong clock, not age          | 30    | 200    | `Cache-Control: max-age=60 | Date: {-20}`         | 0       | 0        | 30
        cap counts the response delay                         | 30    | 200    | `Cache-Control: max-age=3600`                     | -3      | 0        | 33
        cap above what remains: the RFC lifetime              | 30    | 200    | `Cache-Control: max-age=60 | Age: 50 | Date: {0}` | 0       | 0        | 60
        cap shortens the negative TTL                         | 5     | 404    | `Date: {0}`                                       | 0       | 0        | 5
        cap above the negative TTL                            | 30    | 404    | `Date: {0}`                                       | 0       | 0        | 10
        cap shortens a heuristic                              | 30    | 200    | `Last-Modified: {-86400} | Date: {0}`             | 0       | 0        | 30
        cap of zero                                           | 0     | 200    | `Cache-Control: max-age=60 | Age: 7 | Date: {0}`  | 0       | 0        | 7
        opt-in cache.error-ttl=1s: 503 for 1 s                | 30    | 503    | `Date: {0}`                                       | 0       | 0        | 1
        opt-in cache.error-ttl=1s: 502 for 1 s                | 30    | 502    | `Date: {0}`                                       | 0       | 0        | 1
        opt-in cache.error-ttl=1s: not 501                    | 30    | 501    | `Date: {0}`                                       | 0       | 0        | 0
        """)
    void capsTheLifetime(String section, long capSeconds, int status, String response, long requestOffset, long responseOffset,
            long lifetimeSeconds) {
        CachePolicy capped = new CachePolicy(new CachePolicyConfig(capSeconds * 1000, 0.1, 86_400_000L, 10_000, 1_000, 0,
                RequestNoCache.REVALIDATE, SetCookie.PASS, List.of("CDN-Cache-Control")));
        StoreDecision d = capped.onResponse(get(""), status, fields(response), at(requestOffset), at(responseOffset));
        assertThat(d.response().freshnessLifetimeMillis()).as(section).isEqualTo(lifetimeSeconds * 1000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC 9213 §2.1 target list, most specific first               | response fields                                                                           | lifetime s
        the first listed field that is present and valid                | `Blue-Origin-Cache-Control: max-age=5 | CDN-Cache-Control: max-age=50 | Cache-Control: max-age=500` | 5
        an invalid first field falls back to the next                   | `Blue-Origin-Cache-Control: max-age=5, | CDN-Cache-Control: max-age=50 | Cache-Control: max-age=500` | 50
        an absent first field falls back to the next                    | `CDN-Cache-Control: max-age=50 | Cache-Control: max-age=500`                               | 50
        no valid targeted field: Cache-Control                          | `Blue-Origin-Cache-Control: ?? | CDN-Cache-Control: X=1 | Cache-Control: max-age=500`       | 500
        """)
    void obeysTheTargetListInOrder(String section, String response, long lifetimeSeconds) {
        CachePolicy policy = new CachePolicy(new CachePolicyConfig(Long.MAX_VALUE, 0.1, 86_400_000L, 10_000, 1_000, 0,
                RequestNoCache.REVALIDATE, SetCookie.PASS, List.of("Blue-Origin-Cache-Control", "CDN-Cache-Control")));
        StoreDecision d = policy.onResponse(get(""), 200, fields(response + " | Date: {0}"), at(0), at(0));
        assertThat(d.response().freshnessLifetimeMillis()).as(section).isEqualTo(lifetimeSeconds * 1000);
    }
}
