package io.blueorigin.cdn.httpcache;

import static io.blueorigin.cdn.httpcache.Messages.NO_CAP;
import static io.blueorigin.cdn.httpcache.Messages.T;
import static io.blueorigin.cdn.httpcache.Messages.fields;
import static io.blueorigin.cdn.httpcache.Messages.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CachePolicyConfig.SetCookie;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9111 §3 storing responses, through {@link CachePolicy#onResponse}. Every response has {@code Date: {0}}. */
class CachePolicyResponseTest {
    private final CachePolicy policy = new CachePolicy(NO_CAP);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                       | method | request fields                 | status | response fields                                   | store | reason
        §3 max-age                                          | GET    | ``                             | 200    | `Cache-Control: max-age=60`                       | true  | stored
        §3 Expires                                          | GET    | ``                             | 200    | `Expires: {60}`                                   | true  | stored
        §3 s-maxage                                         | GET    | ``                             | 200    | `Cache-Control: s-maxage=60`                      | true  | stored
        §3 public with Last-Modified (heuristic)            | GET    | ``                             | 200    | `Cache-Control: public | Last-Modified: {-3600}`  | true  | stored
        §3 heuristically cacheable with Last-Modified       | GET    | ``                             | 200    | `Last-Modified: {-3600}`                          | true  | stored
        §3 heuristically cacheable with an ETag             | GET    | ``                             | 200    | `ETag: "a"`                                       | true  | stored
        §3 no freshness, no validator: no default TTL       | GET    | ``                             | 200    | ``                                                | false | no freshness information
        §3 public alone gives nothing to reuse              | GET    | ``                             | 200    | `Cache-Control: public`                           | false | no freshness information
        §3 201 is not heuristically cacheable               | GET    | ``                             | 201    | `Last-Modified: {-3600}`                          | false | no freshness information
        §3 201 with max-age                                 | GET    | ``                             | 201    | `Cache-Control: max-age=60`                       | true  | stored
        §3 201 public with Last-Modified                    | GET    | ``                             | 201    | `Cache-Control: public | Last-Modified: {-3600}`  | true  | stored
        §3 302 without freshness                            | GET    | ``                             | 302    | `Location: /b`                                    | false | no freshness information
        §3 301 heuristically cacheable                      | GET    | ``                             | 301    | `Last-Modified: {-3600}`                          | true  | stored
        §3 POST responses are not stored                    | POST   | ``                             | 200    | `Cache-Control: max-age=60`                       | false | method POST
        §3 HEAD responses are not stored here               | HEAD   | ``                             | 200    | `Cache-Control: max-age=60`                       | false | method HEAD
        §3 unknown method                                   | PURGE  | ``                             | 200    | `Cache-Control: max-age=60`                       | false | method PURGE
        §3 interim status                                   | GET    | ``                             | 103    | `Cache-Control: max-age=60`                       | false | interim status
        §3 206 not stored (no range support)                | GET    | ``                             | 206    | `Cache-Control: max-age=60`                       | false | status 206
        §3 304 not stored                                   | GET    | ``                             | 304    | `Cache-Control: max-age=60`                       | false | status 304
        §5.2.2.3 must-understand, unknown status            | GET    | ``                             | 299    | `Cache-Control: must-understand, max-age=60`      | false | must-understand, status 299
        §5.2.2.3 must-understand, understood status         | GET    | ``                             | 200    | `Cache-Control: must-understand, max-age=60`      | true  | stored
        §5.2.2.3 must-understand overrides no-store         | GET    | ``                             | 200    | `Cache-Control: must-understand, no-store, max-age=60` | true | stored
        §5.2.2.3 must-understand, no-store, unknown status  | GET    | ``                             | 299    | `Cache-Control: must-understand, no-store, max-age=60` | false | must-understand, status 299
        §3 unknown status without must-understand           | GET    | ``                             | 299    | `Cache-Control: max-age=60`                       | true  | stored
        §5.2.2.5 no-store                                   | GET    | ``                             | 200    | `Cache-Control: no-store, max-age=60`             | false | no-store
        §5.2.2.5 no-store on its own line                   | GET    | ``                             | 200    | `Cache-Control: max-age=60 | Cache-Control: no-store` | false | no-store
        §5.2.1.5 client no-store                            | GET    | `Cache-Control: no-store`      | 200    | `Cache-Control: max-age=60`                       | false | client no-store
        §5.2.2.7 private                                    | GET    | ``                             | 200    | `Cache-Control: private, max-age=60`              | false | private
        §5.2.2.7 qualified private as unqualified           | GET    | ``                             | 200    | `Cache-Control: private="Set-Cookie", max-age=60` | false | private
        §3.5 Authorization                                  | GET    | `Authorization: Basic eA==`    | 200    | `Cache-Control: max-age=60`                       | false | Authorization
        §3.5 Authorization with public                      | GET    | `Authorization: Basic eA==`    | 200    | `Cache-Control: public, max-age=60`               | true  | stored
        §3.5 Authorization with s-maxage                    | GET    | `Authorization: Basic eA==`    | 200    | `Cache-Control: s-maxage=60`                      | true  | stored
        §3.5 Authorization with must-revalidate             | GET    | `Authorization: Basic eA==`    | 200    | `Cache-Control: must-revalidate, max-age=60`      | true  | stored
        §3.5 proxy-revalidate does not allow Authorization  | GET    | `Authorization: Basic eA==`    | 200    | `Cache-Control: proxy-revalidate, max-age=60`     | false | Authorization
        §3.5 Authorization, private beats public            | GET    | `Authorization: Basic eA==`    | 200    | `Cache-Control: public, private, max-age=60`      | false | private
        §4.1 Vary: *                                        | GET    | ``                             | 200    | `Cache-Control: max-age=60 | Vary: *`             | false | Vary: *
        §4.1 Vary with * among names                        | GET    | ``                             | 200    | `Cache-Control: max-age=60 | Vary: Accept, *`     | false | Vary: *
        §4.1 Vary with names                                | GET    | ``                             | 200    | `Cache-Control: max-age=60 | Vary: Accept`        | true  | stored
        deviation §3 Set-Cookie passes by default           | GET    | ``                             | 200    | `Cache-Control: max-age=60 | Set-Cookie: a=1`     | false | Set-Cookie
        §4.2.1 max-age=0 and no validator                   | GET    | ``                             | 200    | `Cache-Control: max-age=0`                        | false | zero lifetime and no validator
        §4.2.1 max-age=0 with an ETag                       | GET    | ``                             | 200    | `Cache-Control: max-age=0 | ETag: "a"`            | true  | stored
        §4.2.1 max-age=0 with Last-Modified                 | GET    | ``                             | 200    | `Cache-Control: max-age=0 | Last-Modified: {-60}` | true  | stored
        RFC 5861 §3 max-age=0 with stale-while-revalidate   | GET    | ``                             | 200    | `Cache-Control: max-age=0, stale-while-revalidate=30` | true | stored
        RFC 5861 §4 max-age=0 with stale-if-error           | GET    | ``                             | 200    | `Cache-Control: max-age=0, stale-if-error=60`     | true  | stored
        §5.3 invalid Expires, no validator                  | GET    | ``                             | 200    | `Expires: 0`                                      | false | zero lifetime and no validator
        §5.3 invalid Expires with an ETag                   | GET    | ``                             | 200    | `Expires: 0 | ETag: "a"`                          | true  | stored
        §4.2.1 invalid max-age, no validator                | GET    | ``                             | 200    | `Cache-Control: max-age=soon`                     | false | zero lifetime and no validator
        deviation §4.2.1 404 without freshness              | GET    | ``                             | 404    | ``                                                | true  | stored
        deviation §4.2.1 410 without freshness              | GET    | ``                             | 410    | ``                                                | true  | stored
        §15.1 500 w/o freshness not stored               | GET    | ``                             | 500    | ``                                                | false | no freshness information
        §15.1 503 w/o freshness not stored               | GET    | ``                             | 503    | ``                                                | false | no freshness information
        §4.2.1 404 with max-age=0 gets no negative TTL      | GET    | ``                             | 404    | `Cache-Control: max-age=0`                        | false | zero lifetime and no validator
        §5.2.2.7 private 404 not stored                     | GET    | ``                             | 404    | `Cache-Control: private`                          | false | private
        §3 403 without freshness                            | GET    | ``                             | 403    | ``                                                | false | no freshness information
        RFC 9213 §2.1 CDN-Cache-Control gives freshness     | GET    | ``                             | 200    | `CDN-Cache-Control: max-age=60`                   | true  | stored
        RFC 9213 §2.1 CDN-Cache-Control: no-store wins      | GET    | ``                             | 200    | `CDN-Cache-Control: no-store | Cache-Control: max-age=60` | false | no-store
        RFC 9213 §2.1 targeted field replaces Cache-Control | GET    | ``                             | 200    | `CDN-Cache-Control: max-age=60 | Cache-Control: no-store` | true | stored
        RFC 9213 §2.1 targeted field replaces private       | GET    | ``                             | 200    | `CDN-Cache-Control: max-age=60 | Cache-Control: private` | true | stored
        RFC 9213 §2.2 invalid targeted field is ignored     | GET    | ``                             | 200    | `CDN-Cache-Control: max-age=60, | Cache-Control: no-store` | false | no-store
        """)
    void decidesStorability(String section, String method, String requestFields, int status, String response,
            boolean store, String reason) {
        String spec = response.isBlank() ? "Date: {0}" : response + " | Date: {0}";
        StoreDecision d = policy.onResponse(request(method, requestFields), status, fields(spec), T, T);
        assertThat(d.reason()).as(section).isEqualTo(reason);
        assertThat(d.store()).as(section).isEqualTo(store);
    }

    @Test
    void negativeCachingCanBeTurnedOff() {
        CachePolicy none = new CachePolicy(new CachePolicyConfig(Long.MAX_VALUE, 0.1, 86_400_000L, 0, 0, 0,
                CachePolicyConfig.RequestNoCache.REVALIDATE, SetCookie.PASS, List.of()));
        assertThat(none.onResponse(request("GET", ""), 404, fields("Date: {0}"), T, T).reason()).isEqualTo("no freshness information");
        assertThat(none.onResponse(request("GET", ""), 503, fields("Date: {0}"), T, T).reason()).isEqualTo("no freshness information");
    }

    @Test
    void setCookieStripStoresWithoutTheCookie() {
        // Deviation §3: cache.set-cookie=strip keeps the response, minus its Set-Cookie fields
        CachePolicy strip = new CachePolicy(new CachePolicyConfig(Long.MAX_VALUE, 0.1, 86_400_000L, 10_000, 1_000, 0,
                CachePolicyConfig.RequestNoCache.REVALIDATE, SetCookie.STRIP, List.of("CDN-Cache-Control")));
        StoreDecision d = strip.onResponse(request("GET", ""), 200,
                fields("Cache-Control: max-age=60 | Set-Cookie: a=1 | X-A: 1 | set-cookie: b=2"), T, T);
        assertThat(d.store()).isTrue();
        assertThat(d.response().fields()).containsExactly(new Field("Cache-Control", "max-age=60"), new Field("X-A", "1"));
    }

    @Test
    void describesTheResponseEvenWhenNotStoring() {
        // StoreDecision: the response is computed either way (the proxy sends its Age)
        StoreDecision d = policy.onResponse(request("POST", ""), 200, fields("Cache-Control: max-age=60 | Age: 5"), T, T);
        assertThat(d.store()).isFalse();
        assertThat(d.response().freshnessLifetimeMillis()).isEqualTo(60_000);
        assertThat(d.response().correctedInitialAgeMillis()).isEqualTo(5_000);
    }

    @Test
    void aResponseWithMoreSurrogateKeysThanKeptIsNotStored() {
        // stored with some keys dropped, a purge by a dropped key would miss it: not stored at all
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            keys.append("key-").append(i).append(' ');
        }
        StoreDecision d = policy.onResponse(request("GET", ""), 200,
                Messages.lines("Cache-Control: max-age=60", "Date: " + Messages.date(0), "Surrogate-Key: " + keys), T, T);
        assertThat(d.store()).isFalse();
        assertThat(d.reason()).isEqualTo("more than 512 Surrogate-Key keys");
        assertThat(d.response().surrogateKeys()).isEmpty();
        // 512 distinct keys (repeated any number of times) are fine
        StringBuilder most = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            most.append("key-").append(i % 512).append(' ');
        }
        StoreDecision kept = policy.onResponse(request("GET", ""), 200,
                Messages.lines("Cache-Control: max-age=60", "Date: " + Messages.date(0), "Surrogate-Key: " + most), T, T);
        assertThat(kept.store()).isTrue();
        assertThat(kept.response().surrogateKeys()).hasSize(512);
    }

    @Test
    void aVariantWhoseKeyIsTooLongIsNotStored() {
        // §4.1, VaryKey.MAX_LENGTH: a secondary key of more than 4,096 characters is neither stored nor matched
        String huge = "en-" + "x".repeat(5000);
        StoreDecision d = policy.onResponse(request("GET", "Accept-Language: " + huge), 200,
                fields("Cache-Control: max-age=60 | Vary: Accept-Language | Date: {0}"), T, T);
        assertThat(d.store()).isFalse();
        assertThat(d.reason()).isEqualTo("Vary key over 4096 characters");
        // the same response to an ordinary request is stored
        assertThat(policy.onResponse(request("GET", "Accept-Language: en"), 200,
                fields("Cache-Control: max-age=60 | Vary: Accept-Language | Date: {0}"), T, T).store()).isTrue();
    }
}
