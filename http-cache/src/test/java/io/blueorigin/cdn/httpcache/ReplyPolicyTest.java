package io.blueorigin.cdn.httpcache;

import static io.blueorigin.cdn.httpcache.Messages.NO_CAP;
import static io.blueorigin.cdn.httpcache.Messages.at;
import static io.blueorigin.cdn.httpcache.Messages.fields;
import static io.blueorigin.cdn.httpcache.Messages.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.httpcache.CacheDecision.Action;
import io.blueorigin.cdn.httpcache.CacheDecision.Fwd;
import io.blueorigin.cdn.httpcache.reply.Fetched;
import io.blueorigin.cdn.httpcache.reply.Reply;
import io.blueorigin.cdn.httpcache.reply.ReplyPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reply after a fetch (RFC 9111 §4.2.4, §4.3.2-4.3.4, RFC 5861 §4, RFC 9110 §15) through
 * {@link ReplyPolicy#afterFetch}. Each row: what the fetch gave ({@code 200 stored}, {@code 200 cacheable},
 * {@code 200 pass}, {@code validated}, or {@code failure <ERROR>}), the stored response it was for (received at
 * T with {@code Date: {0}}; {@code -} for none), the client's fields, and the reply at T + 100 s.
 */
class ReplyPolicyTest {
    private final CachePolicy policy = new CachePolicy(NO_CAP);
    private final CachePolicy noGrace = new CachePolicy(new CachePolicyConfig(Long.MAX_VALUE, 0.1, 86_400_000L, 10_000, 0,
            0, CachePolicyConfig.RequestNoCache.REVALIDATE, CachePolicyConfig.SetCookie.PASS, java.util.List.of()));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                   | fetched             | stored response (for revalidation)        | request fields                     | kind        | source  | served      | detail              | fwd-status
        §4.3.4 304 freshens the stored response         | validated           | `Cache-Control: max-age=60 | ETag: "a"`   | ``                                 | SEND        | STORED  | REVALIDATED |                     | 304
        §4.3.2 client's validator matches the freshened | validated           | `Cache-Control: max-age=60 | ETag: "a"`   | `If-None-Match: "a"`               | NOT_MODIFIED| STORED  | REVALIDATED |                     | 304
        §4.3.2 client's other validator: sent whole     | validated           | `Cache-Control: max-age=60 | ETag: "a"`   | `If-None-Match: "b"`               | SEND        | STORED  | REVALIDATED |                     | 304
        §4.2.4 unreachable: stale stands in (grace)     | failure FAILED      | `Cache-Control: max-age=60 | ETag: "a"`   | ``                                 | SEND        | STORED  | STALE       | stale-if-error      | 0
        §4.2.4 timeout: stale stands in                 | failure TIMEOUT     | `Cache-Control: max-age=60 | ETag: "a"`   | ``                                 | SEND        | STORED  | STALE       | stale-if-error      | 0
        §4.2.4 overloaded: stale stands in              | failure OVERLOADED  | `Cache-Control: max-age=60 | ETag: "a"`   | ``                                 | SEND        | STORED  | STALE       | stale-if-error      | 0
        §5.2.2.2 must-revalidate: no stale on error     | failure FAILED      | `Cache-Control: max-age=60, must-revalidate` | ``                              | FAIL        | NONE    | MISS        | upstream-failed     | 0
        §4.2.4 nothing stored: 502                      | failure FAILED      | -                                         | ``                                 | FAIL        | NONE    | MISS        | upstream-failed     | 0
        §15.6.5 nothing stored, timeout: 504            | failure TIMEOUT     | -                                         | ``                                 | FAIL        | NONE    | MISS        | upstream-timeout    | 0
        §15.6.4 queue full: 503                         | failure OVERLOADED  | -                                         | ``                                 | FAIL        | NONE    | MISS        | upstream-overloaded | 0
        §15.6.4 breaker open: 503                       | failure CIRCUIT_OPEN| -                                         | ``                                 | FAIL        | NONE    | MISS        | circuit-open        | 0
        collapse wait over: 504                         | failure COLLAPSE_TIMEOUT | -                                    | ``                                 | FAIL        | NONE    | MISS        | collapse-timeout    | 0
        §4.2.4 503 from upstream: stale stands in       | 503 pass            | `Cache-Control: max-age=60 | ETag: "a"`   | ``                                 | SEND        | STORED  | STALE       | stale-if-error      | 503
        §4.2.4 504 from upstream: stale stands in       | 504 pass            | `Cache-Control: max-age=60 | ETag: "a"`   | ``                                 | SEND        | STORED  | STALE       | stale-if-error      | 504
        §4.2.4 500: the origin's answer, grace not used | 500 pass            | `Cache-Control: max-age=60 | ETag: "a"`   | ``                                 | SEND        | FETCHED | PASS        | not stored          | 500
        RFC 5861 §4 500 within stale-if-error           | 500 pass            | `Cache-Control: max-age=60, stale-if-error=600` | ``                           | SEND        | STORED  | STALE       | stale-if-error      | 500
        §4.2.4 404 is an answer, not a failure          | 404 cacheable       | `Cache-Control: max-age=60 | ETag: "a"`   | ``                                 | SEND        | FETCHED | MISS        | not stored          | 404
        §4.2.4 503, must-revalidate: the 503 is sent    | 503 pass            | `Cache-Control: max-age=60, must-revalidate` | ``                              | SEND        | FETCHED | PASS        | not stored          | 503
        §3 a stored 200                                 | 200 stored          | -                                         | ``                                 | SEND        | FETCHED | MISS        |                     | 200
        §3 a 200 too large to store is still a MISS     | 200 cacheable       | -                                         | ``                                 | SEND        | FETCHED | MISS        | not stored          | 200
        §3 a private 200 passes                         | 200 pass            | -                                         | ``                                 | SEND        | FETCHED | PASS        | not stored          | 200
        §4.3.2 new 200 matching If-None-Match: 304      | 200 stored          | -                                         | `If-None-Match: "n"`               | NOT_MODIFIED| FETCHED | MISS        |                     | 200
        §4.3.2 new 200 matching If-Modified-Since: 304  | 200 stored          | -                                         | `If-Modified-Since: {-3600}`       | NOT_MODIFIED| FETCHED | MISS        |                     | 200
        §4.3.2 new 200 not matching: sent               | 200 stored          | -                                         | `If-None-Match: "x"`               | SEND        | FETCHED | MISS        |                     | 200
        §4.3.2 only a 200 becomes a 304                 | 404 cacheable       | -                                         | `If-None-Match: "n"`               | SEND        | FETCHED | MISS        | not stored          | 404
        """)
    void decidesTheReplyAfterAFetch(String section, String fetchedSpec, String storedSpec, String request, Reply.Kind kind,
            Reply.Source source, Reply.Served served, String detail, int fwdStatus) {
        CachedResponse stale = storedSpec.equals("-") ? null : stored(policy, 200, storedSpec);
        Reply reply = ReplyPolicy.afterFetch(fetched(fetchedSpec, stale), fields(request), stale, policy, at(100));
        assertThat(reply.kind()).as(section).isEqualTo(kind);
        assertThat(reply.source()).as(section).isEqualTo(source);
        assertThat(reply.served()).as(section).isEqualTo(served);
        assertThat(reply.detail()).as(section).isEqualTo(detail);
        assertThat(reply.fwdStatus()).as(section).isEqualTo(fwdStatus);
        assertThat(reply.stored()).as(section).isEqualTo(fetchedSpec.endsWith("stored"));
        if (kind == Reply.Kind.FAIL) {
            assertThat(reply.error()).as(section).isNotNull();
            assertThat(reply.error().status()).as(section).isBetween(502, 504);
        }
    }

    @Test
    void withoutGraceAndWithoutStaleIfErrorAFailureIsSent() {
        CachedResponse stale = stored(noGrace, 200, "Cache-Control: max-age=60");
        Reply reply = ReplyPolicy.afterFetch(new Fetched.Failure(Reply.UpstreamError.FAILED), fields(""), stale, noGrace, at(100));
        assertThat(reply.kind()).isEqualTo(Reply.Kind.FAIL);
        assertThat(reply.error().status()).isEqualTo(502);
        CachedResponse sie = stored(noGrace, 200, "Cache-Control: max-age=60, stale-if-error=300");
        assertThat(ReplyPolicy.afterFetch(new Fetched.Failure(Reply.UpstreamError.FAILED), fields(""), sie, noGrace, at(100))
                .served()).as("RFC 5861 §4 stale-if-error").isEqualTo(Reply.Served.STALE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        SERVE_FRESH                 | false | SEND                | HIT   |
        SERVE_STALE                 | false | SEND                | STALE | max-stale
        SERVE_STALE_AND_REVALIDATE  | true  | SEND                | STALE | stale-while-revalidate
        RESPOND_NOT_MODIFIED        | false | NOT_MODIFIED        | HIT   |
        RESPOND_NOT_MODIFIED        | true  | NOT_MODIFIED        | STALE | stale-while-revalidate
        RESPOND_PRECONDITION_FAILED | false | PRECONDITION_FAILED | HIT   |
        RESPOND_GATEWAY_TIMEOUT     | false | ONLY_IF_CACHED      | PASS  | only-if-cached
        """)
    void decidesTheReplyFromTheStore(Action action, boolean background, Reply.Kind kind, Reply.Served served, String detail) {
        Reply reply = ReplyPolicy.fromStore(new CacheDecision(action, Fwd.NONE, "test", background));
        assertThat(reply.kind()).isEqualTo(kind);
        assertThat(reply.served()).isEqualTo(served);
        assertThat(reply.detail()).isEqualTo(detail);
        assertThat(reply.fwdStatus()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = Action.class, names = {"FETCH", "REVALIDATE", "PASS"})
    void aDecisionThatGoesUpstreamHasNoReplyYet(Action action) {
        assertThatThrownBy(() -> ReplyPolicy.fromStore(new CacheDecision(action, Fwd.URI_MISS, "test", false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("goes upstream");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        §14.2 one range of a stored 200: 206                    | bytes=0-9      | true  | PARTIAL
        §14.6 two ranges of a stored 200: multipart 206         | bytes=0-1,5-6  | true  | MULTIPART
        §14.6 two ranges of a body passed through: the whole    | bytes=0-1,5-6  | false | SEND
        §14.2 one range of a body passed through: 206           | bytes=0-9      | false | PARTIAL
        §15.5.17 nothing satisfiable: 416                       | bytes=500-600  | true  | UNSATISFIABLE
        §14.2 an invalid Range: the whole                       | bytes=9-0      | true  | SEND
        """)
    void narrowsAWholeRepresentationByItsRanges(String section, String range, boolean retained, Reply.Kind kind) {
        CachedResponse r = stored(policy, 200, "Cache-Control: max-age=60 | ETag: \"a\"");
        var ranges = new io.blueorigin.cdn.httpcache.range.RangePolicy().decide("GET", java.util.List.of(range), java.util.List.of(),
                io.blueorigin.cdn.httpcache.range.Representation.of(r, 100));
        Reply reply = ReplyPolicy.withRanges(ReplyPolicy.fromStore(new CacheDecision(Action.SERVE_FRESH, Fwd.NONE, "t", false)),
                ranges, retained);
        assertThat(reply.kind()).as(section).isEqualTo(kind);
        assertThat(reply.served()).as(section).isEqualTo(Reply.Served.HIT);
        assertThat(reply.ranges() != null).as(section).isEqualTo(kind.isRanged());
    }

    @Test
    void onlyAWholeRepresentationSentIsNarrowed() {
        CachedResponse r = stored(policy, 200, "Cache-Control: max-age=60");
        var ranges = new io.blueorigin.cdn.httpcache.range.RangePolicy().decide("GET", java.util.List.of("bytes=0-1"),
                java.util.List.of(), io.blueorigin.cdn.httpcache.range.Representation.of(r, 100));
        Reply notModified = ReplyPolicy.fromStore(new CacheDecision(Action.RESPOND_NOT_MODIFIED, Fwd.NONE, "t", false));
        assertThat(ReplyPolicy.withRanges(notModified, ranges, true)).as("§13.2.2: a 304 comes before any range").isSameAs(notModified);
    }

    /** {@code "200 stored"}: a 200 with ETag "n" and Last-Modified a day before T, received at T + 100 s. */
    private Fetched fetched(String spec, CachedResponse stale) {
        String[] p = spec.split(" ");
        if (p[0].equals("validated")) {
            return new Fetched.Validated(stale);
        }
        if (p[0].equals("failure")) {
            return new Fetched.Failure(Reply.UpstreamError.valueOf(p[1]));
        }
        int status = Integer.parseInt(p[0]);
        CachedResponse r = policy.onResponse(Messages.get(""), status,
                fields("ETag: \"n\" | Last-Modified: {-86400} | Date: {100}"), at(100), at(100)).response();
        boolean stored = p[1].equals("stored");
        return new Fetched.Response(r, stored, stored || p[1].equals("cacheable"), stored ? "stored" : "not stored");
    }
}
