package io.blueorigin.cdn.httpcache;

import static io.blueorigin.cdn.httpcache.Messages.at;
import static io.blueorigin.cdn.httpcache.Messages.stored;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CachePolicy.UpstreamFailure;
import io.blueorigin.cdn.httpcache.CachePolicyConfig.RequestNoCache;
import io.blueorigin.cdn.httpcache.CachePolicyConfig.SetCookie;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 9111 §4.2.4 and RFC 5861 §4 serving stale on error, through {@link CachePolicy#mayServeStale}, with
 * {@code cache.max-stale-on-error} = 300 s. Stored at T with {@code Date: {0}}; staleness in seconds.
 */
class CachePolicyStaleOnErrorTest {
    private final CachePolicy policy = new CachePolicy(new CachePolicyConfig(Long.MAX_VALUE, 0.1, 86_400_000L, 10_000, 1_000,
            300_000, RequestNoCache.REVALIDATE, SetCookie.PASS, List.of("CDN-Cache-Control")));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                              | Cache-Control                                     | failure        | staleness | serve stale
        deviation §4.2.4 disconnected: grace                       | `max-age=60`                                      | UNREACHABLE    | 100       | true
        deviation §4.2.4 disconnected: end of grace                | `max-age=60`                                      | UNREACHABLE    | 300       | true
        deviation §4.2.4 disconnected: past the grace              | `max-age=60`                                      | UNREACHABLE    | 301       | false
        deviation §4.2.4 gateway error counts as disconnected      | `max-age=60`                                      | GATEWAY_ERROR  | 100       | true
        §4.2.4 origin error: no stale without stale-if-error       | `max-age=60`                                      | SERVER_ERROR   | 1         | false
        §4.2.4 still fresh: always usable                          | `max-age=60`                                      | SERVER_ERROR   | -10       | true
        RFC 5861 §4 stale-if-error on an origin error              | `max-age=60, stale-if-error=600`                  | SERVER_ERROR   | 600       | true
        RFC 5861 §4 past stale-if-error                            | `max-age=60, stale-if-error=600`                  | SERVER_ERROR   | 601       | false
        RFC 5861 §4 longer stale-if-error beats the grace          | `max-age=60, stale-if-error=600`                  | UNREACHABLE    | 500       | true
        RFC 5861 §4 longer grace beats stale-if-error              | `max-age=60, stale-if-error=100`                  | GATEWAY_ERROR  | 200       | true
        §5.2.2.10 s-maxage: no implicit grace                      | `s-maxage=60`                                     | UNREACHABLE    | 100       | false
        §5.2.2.10 s-maxage with explicit stale-if-error            | `s-maxage=60, stale-if-error=600`                 | UNREACHABLE    | 500       | true
        §5.2.2.10 s-maxage, stale-if-error only, not the grace     | `s-maxage=60, stale-if-error=50`                  | GATEWAY_ERROR  | 100       | false
        §5.2.2.2 must-revalidate forbids                           | `max-age=60, must-revalidate`                     | UNREACHABLE    | 1         | false
        §5.2.2.2 must-revalidate beats stale-if-error              | `max-age=60, must-revalidate, stale-if-error=600` | SERVER_ERROR   | 1         | false
        §5.2.2.8 proxy-revalidate forbids                          | `max-age=60, proxy-revalidate`                    | UNREACHABLE    | 1         | false
        §5.2.2.4 no-cache forbids                                  | `max-age=60, no-cache, stale-if-error=600`        | UNREACHABLE    | 1         | false
        """)
    void decides(String section, String cacheControl, UpstreamFailure failure, long staleness, boolean expected) {
        CachedResponse r = stored(policy, 200, "Cache-Control: " + cacheControl);
        long now = at(60 + staleness);
        assertThat(policy.mayServeStale(r, failure, now)).as(section).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
        # RFC 9110 §15.6 status                    | status | failure
        502 Bad Gateway                            | 502    | GATEWAY_ERROR
        503 Service Unavailable                    | 503    | GATEWAY_ERROR
        504 Gateway Timeout                        | 504    | GATEWAY_ERROR
        500 Internal Server Error                  | 500    | SERVER_ERROR
        501 Not Implemented                        | 501    | SERVER_ERROR
        505 HTTP Version Not Supported             | 505    | SERVER_ERROR
        599 unknown 5xx                            | 599    | SERVER_ERROR
        200 OK is no failure                       | 200    |
        304 Not Modified is no failure             | 304    |
        404 Not Found is no failure                | 404    |
        499 is no failure                          | 499    |
        """)
    void classifiesUpstreamStatuses(String section, int status, UpstreamFailure expected) {
        assertThat(CachePolicy.failureOf(status)).as(section).isEqualTo(Optional.ofNullable(expected));
    }
}
