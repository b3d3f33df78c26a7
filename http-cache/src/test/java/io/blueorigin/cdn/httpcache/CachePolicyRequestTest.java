package io.blueorigin.cdn.httpcache;

import static io.blueorigin.cdn.httpcache.Messages.NO_CAP;
import static io.blueorigin.cdn.httpcache.Messages.at;
import static io.blueorigin.cdn.httpcache.Messages.get;
import static io.blueorigin.cdn.httpcache.Messages.request;
import static io.blueorigin.cdn.httpcache.Messages.stored;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CacheDecision.Action;
import io.blueorigin.cdn.httpcache.CacheDecision.Fwd;
import io.blueorigin.cdn.httpcache.CachePolicyConfig.RequestNoCache;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 9111 §4 (constructing responses from caches) through {@link CachePolicy#onRequest}. Each row stores
 * a 200 received at T with {@code Date: {0}}, then asks at T + age seconds.
 */
class CachePolicyRequestTest {
    private final CachePolicy policy = new CachePolicy(NO_CAP);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                        | stored response fields                                    | request fields                              | age | action                       | fwd
        §4.2 fresh                                           | `Cache-Control: max-age=60`                               | ``                                          | 10  | SERVE_FRESH                  | NONE
        §4.2 fresh just before expiry                        | `Cache-Control: max-age=60`                               | ``                                          | 59  | SERVE_FRESH                  | NONE
        §4.2 age equals lifetime: stale                      | `Cache-Control: max-age=60`                               | ``                                          | 60  | REVALIDATE                   | STALE
        §4.2 stale                                           | `Cache-Control: max-age=60`                               | ``                                          | 600 | REVALIDATE                   | STALE
        §4.2.2 heuristic freshness                           | `Last-Modified: {-86400}`                                 | ``                                          | 600 | SERVE_FRESH                  | NONE
        §4.2.1 stored stale at once (ETag only)              | `ETag: "a"`                                               | ``                                          | 0   | REVALIDATE                   | STALE
        §5.2.2.4 response no-cache, fresh                    | `Cache-Control: no-cache, max-age=60`                     | ``                                          | 10  | REVALIDATE                   | STALE
        §5.2.2.4 qualified no-cache as unqualified           | `Cache-Control: no-cache="X-A", max-age=60`               | ``                                          | 10  | REVALIDATE                   | STALE
        §5.2.1.4 client no-cache                             | `Cache-Control: max-age=60`                               | `Cache-Control: no-cache`                   | 10  | REVALIDATE                   | REQUEST
        §5.4 Pragma: no-cache                                | `Cache-Control: max-age=60`                               | `Pragma: no-cache`                          | 10  | REVALIDATE                   | REQUEST
        §5.4 Pragma ignored with Cache-Control               | `Cache-Control: max-age=60`                               | `Pragma: no-cache | Cache-Control: max-stale=1` | 10  | SERVE_FRESH              | NONE
        §5.2.1.1 client max-age=0                            | `Cache-Control: max-age=60`                               | `Cache-Control: max-age=0`                  | 10  | REVALIDATE                   | REQUEST
        §5.2.1.1 client max-age above the age                | `Cache-Control: max-age=60`                               | `Cache-Control: max-age=30`                 | 10  | SERVE_FRESH                  | NONE
        §5.2.1.1 client max-age equal to the age             | `Cache-Control: max-age=60`                               | `Cache-Control: max-age=10`                 | 10  | SERVE_FRESH                  | NONE
        §5.2.1.1 client max-age below the age                | `Cache-Control: max-age=60`                               | `Cache-Control: max-age=5`                  | 10  | REVALIDATE                   | REQUEST
        §5.2.1.3 min-fresh satisfied                         | `Cache-Control: max-age=60`                               | `Cache-Control: min-fresh=50`               | 10  | SERVE_FRESH                  | NONE
        §5.2.1.3 min-fresh not satisfied                     | `Cache-Control: max-age=60`                               | `Cache-Control: min-fresh=51`               | 10  | REVALIDATE                   | REQUEST
        §5.2.1.2 max-stale covers the staleness              | `Cache-Control: max-age=60`                               | `Cache-Control: max-stale=30`               | 70  | SERVE_STALE                  | NONE
        §5.2.1.2 max-stale exactly the staleness             | `Cache-Control: max-age=60`                               | `Cache-Control: max-stale=10`               | 70  | SERVE_STALE                  | NONE
        §5.2.1.2 max-stale too small                         | `Cache-Control: max-age=60`                               | `Cache-Control: max-stale=5`                | 70  | REVALIDATE                   | STALE
        §5.2.1.2 max-stale without a value: any staleness    | `Cache-Control: max-age=60`                               | `Cache-Control: max-stale`                  | 99999 | SERVE_STALE                | NONE
        §5.2.1.2 max-stale with client max-age satisfied     | `Cache-Control: max-age=60`                               | `Cache-Control: max-stale=30, max-age=80`   | 70  | SERVE_STALE                  | NONE
        §5.2.1.1 max-stale, but older than client max-age    | `Cache-Control: max-age=60`                               | `Cache-Control: max-stale=30, max-age=65`   | 70  | REVALIDATE                   | STALE
        §5.2.2.2 must-revalidate blocks max-stale            | `Cache-Control: max-age=60, must-revalidate`              | `Cache-Control: max-stale`                  | 70  | REVALIDATE                   | STALE
        §5.2.2.8 proxy-revalidate blocks max-stale           | `Cache-Control: max-age=60, proxy-revalidate`             | `Cache-Control: max-stale`                  | 70  | REVALIDATE                   | STALE
        §5.2.2.10 s-maxage blocks max-stale                  | `Cache-Control: s-maxage=60`                              | `Cache-Control: max-stale`                  | 70  | REVALIDATE                   | STALE
        §5.2.2.4 no-cache response blocks max-stale          | `Cache-Control: max-age=60, no-cache`                     | `Cache-Control: max-stale`                  | 70  | REVALIDATE                   | STALE
        RFC 5861 §3 within stale-while-revalidate            | `Cache-Control: max-age=60, stale-while-revalidate=30`    | ``                                          | 70  | SERVE_STALE_AND_REVALIDATE   | NONE
        RFC 5861 §3 at the end of stale-while-revalidate     | `Cache-Control: max-age=60, stale-while-revalidate=30`    | ``                                          | 90  | SERVE_STALE_AND_REVALIDATE   | NONE
        RFC 5861 §3 past stale-while-revalidate              | `Cache-Control: max-age=60, stale-while-revalidate=30`    | ``                                          | 91  | REVALIDATE                   | STALE
        RFC 5861 §3 fresh: no revalidation yet               | `Cache-Control: max-age=60, stale-while-revalidate=30`    | ``                                          | 10  | SERVE_FRESH                  | NONE
        §5.2.2.2 must-revalidate blocks swr                  | `Cache-Control: max-age=60, stale-while-revalidate=30, must-revalidate` | ``                             | 70  | REVALIDATE                   | STALE
        §5.2.2.8 proxy-revalidate blocks swr                 | `Cache-Control: max-age=60, stale-while-revalidate=30, proxy-revalidate` | ``                            | 70  | REVALIDATE                   | STALE
        §5.2.2.10 s-maxage allows an explicit swr (deviation)| `Cache-Control: s-maxage=60, stale-while-revalidate=30`   | ``                                          | 70  | SERVE_STALE_AND_REVALIDATE   | NONE
        §5.2.1.1 client max-age=0 wants no stale swr         | `Cache-Control: max-age=60, stale-while-revalidate=30`    | `Cache-Control: max-age=0`                  | 70  | REVALIDATE                   | STALE
        §5.2.1.1 any client max-age wants no stale swr       | `Cache-Control: max-age=60, stale-while-revalidate=30`    | `Cache-Control: max-age=3600`               | 70  | REVALIDATE                   | STALE
        §5.2.1.3 client min-fresh wants no stale swr         | `Cache-Control: max-age=60, stale-while-revalidate=30`    | `Cache-Control: min-fresh=1`                | 70  | REVALIDATE                   | STALE
        §5.2.1.2 client max-stale bounds swr                 | `Cache-Control: max-age=60, stale-while-revalidate=30`    | `Cache-Control: max-stale=5`                | 70  | REVALIDATE                   | STALE
        §5.2.1.2 swr where max-stale is blocked by s-maxage  | `Cache-Control: s-maxage=60, stale-while-revalidate=30`   | `Cache-Control: max-stale=20`               | 70  | SERVE_STALE_AND_REVALIDATE   | NONE
        §5.2.1.7 only-if-cached, fresh                       | `Cache-Control: max-age=60`                               | `Cache-Control: only-if-cached`             | 10  | SERVE_FRESH                  | NONE
        §5.2.1.7 only-if-cached, stale: 504                  | `Cache-Control: max-age=60`                               | `Cache-Control: only-if-cached`             | 70  | RESPOND_GATEWAY_TIMEOUT      | STALE
        §5.2.1.7 only-if-cached with max-stale               | `Cache-Control: max-age=60`                               | `Cache-Control: only-if-cached, max-stale`  | 70  | SERVE_STALE                  | NONE
        §5.2.1.7 only-if-cached within swr                   | `Cache-Control: max-age=60, stale-while-revalidate=30`    | `Cache-Control: only-if-cached`             | 70  | SERVE_STALE_AND_REVALIDATE   | NONE
        §5.2.1.7 only-if-cached and no-cache: 504            | `Cache-Control: max-age=60`                               | `Cache-Control: only-if-cached, no-cache`   | 10  | RESPOND_GATEWAY_TIMEOUT      | REQUEST
        §5.2.1.7 only-if-cached, no-cache response: 504      | `Cache-Control: max-age=60, no-cache`                     | `Cache-Control: only-if-cached`             | 10  | RESPOND_GATEWAY_TIMEOUT      | STALE
        §5.2.1.7 only-if-cached, client max-age: 504         | `Cache-Control: max-age=60`                               | `Cache-Control: only-if-cached, max-age=1`  | 10  | RESPOND_GATEWAY_TIMEOUT      | REQUEST
        §4.3.2 If-None-Match matches: 304                    | `Cache-Control: max-age=60 | ETag: "v1"`                  | `If-None-Match: "v1"`                       | 10  | RESPOND_NOT_MODIFIED         | NONE
        §4.3.2 If-None-Match weak match: 304                 | `Cache-Control: max-age=60 | ETag: "v1"`                  | `If-None-Match: W/"v1"`                     | 10  | RESPOND_NOT_MODIFIED         | NONE
        §4.3.2 If-None-Match other tag: 200                  | `Cache-Control: max-age=60 | ETag: "v1"`                  | `If-None-Match: "v2"`                       | 10  | SERVE_FRESH                  | NONE
        §4.3.2 If-Modified-Since not before LM: 304          | `Cache-Control: max-age=60 | Last-Modified: {-3600}`      | `If-Modified-Since: {-3600}`                | 10  | RESPOND_NOT_MODIFIED         | NONE
        §4.3.2 If-Modified-Since before LM: 200              | `Cache-Control: max-age=60 | Last-Modified: {-3600}`      | `If-Modified-Since: {-3601}`                | 10  | SERVE_FRESH                  | NONE
        §4.3.2 If-Modified-Since against Date without LM     | `Cache-Control: max-age=60`                               | `If-Modified-Since: {0}`                    | 10  | RESPOND_NOT_MODIFIED         | NONE
        §4.3.2 If-Modified-Since invalid: 200                | `Cache-Control: max-age=60 | Last-Modified: {-3600}`      | `If-Modified-Since: garbage`                | 10  | SERVE_FRESH                  | NONE
        §4.3.2 If-Match fails: 412                           | `Cache-Control: max-age=60 | ETag: "v1"`                  | `If-Match: "v2"`                            | 10  | RESPOND_PRECONDITION_FAILED  | NONE
        §4.3.2 If-Match passes                               | `Cache-Control: max-age=60 | ETag: "v1"`                  | `If-Match: "v1"`                            | 10  | SERVE_FRESH                  | NONE
        §4.3.2 If-Unmodified-Since before LM: 412            | `Cache-Control: max-age=60 | Last-Modified: {-3600}`      | `If-Unmodified-Since: {-7200}`              | 10  | RESPOND_PRECONDITION_FAILED  | NONE
        §4.3.2 If-Unmodified-Since has no Date fallback      | `Cache-Control: max-age=60`                               | `If-Unmodified-Since: {-60}`                | 10  | SERVE_FRESH                  | NONE
        §4.3.2 If-None-Match on a swr response: 304          | `Cache-Control: max-age=60, stale-while-revalidate=30 | ETag: "v1"` | `If-None-Match: "v1"`              | 70  | RESPOND_NOT_MODIFIED         | NONE
        §4.3.2 If-None-Match on a max-stale response: 304    | `Cache-Control: max-age=60 | ETag: "v1"`                  | `If-None-Match: "v1" | Cache-Control: max-stale` | 70 | RESPOND_NOT_MODIFIED      | NONE
        §4.3.2 stale: the client's validators go upstream    | `Cache-Control: max-age=60 | ETag: "v1"`                  | `If-None-Match: "v1"`                       | 70  | REVALIDATE                   | STALE
        §4.3.2 client no-cache beats its own If-None-Match   | `Cache-Control: max-age=60 | ETag: "v1"`                  | `If-None-Match: "v1" | Cache-Control: no-cache` | 10 | REVALIDATE                | REQUEST
        """)
    void decides(String section, String response, String requestFields, long age, Action action, Fwd fwd) {
        CachedResponse stored = stored(policy, 200, response);
        CacheDecision d = policy.onRequest(get(requestFields), stored, false, at(age));
        assertThat(d.action()).as(section + " (" + d.reason() + ")").isEqualTo(action);
        assertThat(d.fwd()).as(section + " fwd").isEqualTo(fwd);
        assertThat(d.reason()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                      | stored response fields                                              | request fields                                   | age | action                       | background | serves stale
        §4.2 fresh                                         | `Cache-Control: max-age=60 | ETag: "v1"`                            | ``                                               | 10  | SERVE_FRESH                  | false      | false
        §4.3.2 fresh, answered 304                         | `Cache-Control: max-age=60 | ETag: "v1"`                            | `If-None-Match: "v1"`                            | 10  | RESPOND_NOT_MODIFIED         | false      | false
        RFC 5861 §3 within swr                             | `Cache-Control: max-age=60, stale-while-revalidate=30 | ETag: "v1"` | ``                                               | 70  | SERVE_STALE_AND_REVALIDATE   | true       | true
        RFC 5861 §3 within swr, answered 304: still revalidates | `Cache-Control: max-age=60, stale-while-revalidate=30 | ETag: "v1"` | `If-None-Match: "v1"`                     | 70  | RESPOND_NOT_MODIFIED         | true       | true
        RFC 5861 §3 within swr, answered 412: still revalidates | `Cache-Control: max-age=60, stale-while-revalidate=30 | ETag: "v1"` | `If-Match: "v2"`                          | 70  | RESPOND_PRECONDITION_FAILED  | true       | true
        §5.2.1.2 max-stale: stale, no background work      | `Cache-Control: max-age=60 | ETag: "v1"`                            | `Cache-Control: max-stale`                       | 70  | SERVE_STALE                  | false      | true
        §4.2 stale: revalidated in the foreground          | `Cache-Control: max-age=60 | ETag: "v1"`                            | ``                                               | 70  | REVALIDATE                   | false      | false
        """)
    void marksStaleServingAndBackgroundRevalidation(String section, String response, String requestFields, long age, Action action,
            boolean background, boolean servesStale) {
        CacheDecision d = policy.onRequest(get(requestFields), stored(policy, 200, response), false, at(age));
        assertThat(d.action()).as(section).isEqualTo(action);
        assertThat(d.revalidateInBackground()).as(section + " background").isEqualTo(background);
        assertThat(d.servesStale()).as(section + " serves stale").isEqualTo(servesStale);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
        # RFC section                                   | method
        RFC 9110 §9.3.3 POST is not served from cache   | POST
        RFC 9110 §9.3.4 PUT                             | PUT
        RFC 9110 §9.3.5 DELETE                          | DELETE
        RFC 9110 §9.3.6 CONNECT                         | CONNECT
        RFC 9110 §9.3.7 OPTIONS                         | OPTIONS
        RFC 9110 §9.3.8 TRACE                           | TRACE
        RFC 5789 PATCH                                  | PATCH
        RFC 9111 §4 unknown method                      | PURGE
        RFC 9110 §9.1 methods are case-sensitive        | get
        """)
    void passesMethodsItDoesNotServe(String section, String method) {
        CachedResponse stored = stored(policy, 200, "Cache-Control: max-age=60");
        CacheDecision d = policy.onRequest(request(method, ""), stored, false, at(10));
        assertThat(d.action()).as(section).isEqualTo(Action.PASS);
        assertThat(d.fwd()).isEqualTo(Fwd.METHOD);
        assertThat(d.reason()).contains(method);
    }

    @Test
    void servesHeadFromAStoredGet() {
        // RFC 9111 §4: "the request method associated with the stored response allows it to be used"
        CachedResponse stored = stored(policy, 200, "Cache-Control: max-age=60");
        assertThat(policy.onRequest(request("HEAD", ""), stored, false, at(10)).action()).isEqualTo(Action.SERVE_FRESH);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                    | request fields                  | other variants | action                  | fwd
        RFC 9211 §2.2 nothing stored for the URI         | ``                              | false | FETCH                   | URI_MISS
        RFC 9211 §2.2 variants stored, none matching     | ``                              | true  | FETCH                   | VARY_MISS
        RFC 9111 §5.2.1.7 only-if-cached, nothing stored | `Cache-Control: only-if-cached` | false | RESPOND_GATEWAY_TIMEOUT | URI_MISS
        RFC 9111 §5.2.1.7 only-if-cached, vary miss      | `Cache-Control: only-if-cached` | true  | RESPOND_GATEWAY_TIMEOUT | VARY_MISS
        RFC 9111 §5.2.1.4 client no-cache on a miss      | `Cache-Control: no-cache`       | false | FETCH                   | URI_MISS
        """)
    void fetchesOnAMiss(String section, String requestFields, boolean otherVariants, Action action, Fwd fwd) {
        CacheDecision d = policy.onRequest(get(requestFields), null, otherVariants, at(0));
        assertThat(d.action()).as(section).isEqualTo(action);
        assertThat(d.fwd()).as(section).isEqualTo(fwd);
    }

    /** Deviation §5.2.1.4: with {@code cache.request-no-cache=ignore} the client cannot force a reload. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                     | stored response fields                                  | request fields                                 | age | action
        §5.2.1.4 client no-cache ignored                  | `Cache-Control: max-age=60`                             | `Cache-Control: no-cache`                      | 10  | SERVE_FRESH
        §5.4 Pragma: no-cache ignored                     | `Cache-Control: max-age=60`                             | `Pragma: no-cache`                             | 10  | SERVE_FRESH
        §5.2.1.1 client max-age=0 ignored                 | `Cache-Control: max-age=60`                             | `Cache-Control: max-age=0`                     | 10  | SERVE_FRESH
        §5.2.1.3 client min-fresh ignored                 | `Cache-Control: max-age=60`                             | `Cache-Control: min-fresh=55`                  | 10  | SERVE_FRESH
        §5.2.1.1 client max-age=0 ignored within swr      | `Cache-Control: max-age=60, stale-while-revalidate=30`  | `Cache-Control: max-age=0`                     | 70  | SERVE_STALE_AND_REVALIDATE
        §5.2.2.4 response no-cache still revalidates      | `Cache-Control: max-age=60, no-cache`                   | ``                                             | 10  | REVALIDATE
        §4.2 stale still revalidates                      | `Cache-Control: max-age=60`                             | `Cache-Control: no-cache`                      | 70  | REVALIDATE
        §5.2.1.2 max-stale still honoured                 | `Cache-Control: max-age=60`                             | `Cache-Control: max-stale=30, no-cache`        | 70  | SERVE_STALE
        §5.2.1.7 only-if-cached still honoured            | `Cache-Control: max-age=60`                             | `Cache-Control: only-if-cached, no-cache`      | 70  | RESPOND_GATEWAY_TIMEOUT
        §4.3.2 conditionals still answered                | `Cache-Control: max-age=60 | ETag: "v1"`                | `Cache-Control: no-cache | If-None-Match: "v1"` | 10 | RESPOND_NOT_MODIFIED
        """)
    void ignoresClientReloadsWhenConfigured(String section, String response, String requestFields, long age, Action action) {
        CachePolicy ignoring = new CachePolicy(new CachePolicyConfig(Long.MAX_VALUE, 0.1, 86_400_000L, 10_000, 1_000,
                86_400_000L, RequestNoCache.IGNORE, CachePolicyConfig.SetCookie.PASS, List.of("CDN-Cache-Control")));
        CachedResponse stored = stored(ignoring, 200, response);
        assertThat(ignoring.onRequest(get(requestFields), stored, false, at(age)).action()).as(section).isEqualTo(action);
    }

    @Test
    void answersConditionalsOnlyFor200() {
        // RFC 9110 §13.2.1: preconditions apply where the response would be 2xx; a negatively cached 404 is sent as is
        CachedResponse notFound = stored(policy, 404, "ETag: \"v1\"");
        CacheDecision d = policy.onRequest(get("If-None-Match: *"), notFound, false, at(1));
        assertThat(d.action()).isEqualTo(Action.SERVE_FRESH);
    }

    @Test
    void theTtlCapShortensFreshnessForClients() {
        // Deviation §4.2: an edge serves an object at most ttlCap after receipt without revalidation
        CachePolicy edge = new CachePolicy(CachePolicyConfig.edgeDefaults());
        CachedResponse stored = stored(edge, 200, "Cache-Control: max-age=3600");
        assertThat(edge.onRequest(get(""), stored, false, at(29)).action()).isEqualTo(Action.SERVE_FRESH);
        assertThat(edge.onRequest(get(""), stored, false, at(30)).action()).isEqualTo(Action.REVALIDATE);
    }
}
