package io.blueorigin.cdn.httpcache.reply;

import io.blueorigin.cdn.httpcache.CacheDecision;
import io.blueorigin.cdn.httpcache.CachePolicy;
import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.Conditionals;
import io.blueorigin.cdn.httpcache.FieldLookup;
import io.blueorigin.cdn.httpcache.range.RangeDecision;
import io.blueorigin.cdn.httpcache.reply.Reply.Kind;
import io.blueorigin.cdn.httpcache.reply.Reply.Served;
import io.blueorigin.cdn.httpcache.reply.Reply.Source;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Decides what the client is sent, from what is stored ({@link #fromStore}) or after a fetch
 * ({@link #afterFetch}), as {@link CachePolicy#onRequest} decides whether to fetch. Pure: no clock (the
 * caller passes {@code now}), no I/O, no server types; tested as an RFC table ({@code ReplyPolicyTest}).
 *
 * <p>The rules, in the order they apply after a fetch:
 * <ol>
 *   <li>A 304 to a revalidation freshens the stored response (RFC 9111 §4.3.4): it is sent, {@code REVALIDATED},
 *       or a 304 if the client's own validators match it (§4.3.2).</li>
 *   <li>No response, or a 500/502/503/504 (§4.2.4 "disconnected"), while a stored response may be served stale
 *       ({@code stale-if-error}, RFC 5861, or the tier's grace): the stored response, {@code STALE}.</li>
 *   <li>No response otherwise: 503 (overloaded, circuit open: retry soon), 504 (timeouts), 502 (the rest).</li>
 *   <li>A response: sent as it is, {@code MISS} when cacheable else {@code PASS}; a 304 instead when it is a
 *       200 and the client's validators match it.</li>
 * </ol>
 */
public final class ReplyPolicy {
    private ReplyPolicy() {}

    /**
     * The reply for a request {@link CachePolicy#onRequest} answered from cache.
     *
     * @throws IllegalArgumentException for a decision that goes upstream (FETCH, REVALIDATE, PASS): no reply yet
     */
    public static Reply fromStore(CacheDecision decision) {
        return switch (decision.action()) {
            case SERVE_FRESH -> HIT;
            case SERVE_STALE -> new Reply(Kind.SEND, Source.STORED, Served.STALE, "max-stale", 0, false, null, null, null);
            case SERVE_STALE_AND_REVALIDATE -> STALE_WHILE_REVALIDATE;
            case RESPOND_NOT_MODIFIED -> decision.servesStale()
                    ? new Reply(Kind.NOT_MODIFIED, Source.STORED, Served.STALE, "stale-while-revalidate", 0, false, null, null, null)
                    : new Reply(Kind.NOT_MODIFIED, Source.STORED, Served.HIT, null, 0, false, null, null, null);
            case RESPOND_PRECONDITION_FAILED -> new Reply(Kind.PRECONDITION_FAILED, Source.NONE, Served.HIT, null, 0, false, null, null, null);
            case RESPOND_GATEWAY_TIMEOUT -> new Reply(Kind.ONLY_IF_CACHED, Source.NONE, Served.PASS, "only-if-cached", 0, false, null, null, null);
            case FETCH, REVALIDATE, PASS -> throw new IllegalArgumentException(decision.action() + " goes upstream: no reply yet");
        };
    }

    /**
     * The reply once a fetch gave {@code fetched}.
     *
     * @param request the client's request fields (its validators)
     * @param stale the stored response the fetch was for (to revalidate, or stale), or null
     * @param policy the site's policy (may a stale response stand in for a failure)
     */
    public static Reply afterFetch(Fetched fetched, FieldLookup request, @Nullable CachedResponse stale, CachePolicy policy,
            long nowMillis) {
        if (fetched instanceof Fetched.Validated v) {
            Kind kind = notModified(request, v.freshened()) ? Kind.NOT_MODIFIED : Kind.SEND;
            return new Reply(kind, Source.STORED, Served.REVALIDATED, null, 304, false, null, null, null);
        }
        if (fetched instanceof Fetched.Failure f) {
            if (stale != null && policy.mayServeStale(stale, CachePolicy.UpstreamFailure.UNREACHABLE, nowMillis)) {
                return new Reply(Kind.SEND, Source.STORED, Served.STALE, "stale-if-error", 0, false, null, null, null);
            }
            return new Reply(Kind.FAIL, Source.NONE, Served.MISS, f.error().value(), 0, false, f.error(), null, null);
        }
        Fetched.Response r = (Fetched.Response) fetched;
        int status = r.response().status();
        if (stale != null) {
            Optional<CachePolicy.UpstreamFailure> failure = CachePolicy.failureOf(status);
            if (failure.isPresent() && policy.mayServeStale(stale, failure.get(), nowMillis)) {
                return new Reply(Kind.SEND, Source.STORED, Served.STALE, "stale-if-error", status, false, null, null, null);
            }
        }
        Kind kind = notModified(request, r.response()) ? Kind.NOT_MODIFIED : Kind.SEND;
        return new Reply(kind, Source.FETCHED, r.cacheable() ? Served.MISS : Served.PASS, r.stored() ? null : r.reason(),
                status, r.stored(), null, null, null);
    }

    /**
     * {@code reply} narrowed by the request's {@code Range} (RFC 9110 §14.2; the conditionals came first, §13.2.2):
     * a 206 of one range or of several ({@code multipart/byteranges}), or a 416; unchanged for anything but a whole
     * representation sent, or when the ranges ask for the whole one ({@code FULL}).
     *
     * @param bodyRetained whether the body is kept whole while it is sent (stored, or being stored): a
     *     multipart's parts may read it out of order; a body passed through keeps only a window, so several ranges
     *     of it are answered whole (one range is a single forward read and is served)
     */
    public static Reply withRanges(Reply reply, RangeDecision ranges, boolean bodyRetained) {
        if (reply.kind() != Kind.SEND) {
            return reply;
        }
        Kind kind = switch (ranges.action()) {
            case FULL -> null;
            case PARTIAL -> Kind.PARTIAL;
            case MULTIPART -> bodyRetained ? Kind.MULTIPART : null;
            case UNSATISFIABLE -> Kind.UNSATISFIABLE;
        };
        return kind == null ? reply : new Reply(kind, reply.source(), reply.served(), reply.detail(), reply.fwdStatus(),
                reply.stored(), null, null, ranges);
    }

    /**
     * The reply for a representation combined from stored slices (docs/ranges.md, RFC 9111 §3.4): the whole 200 (or
     * the ranges of it, {@link #withRanges}), a {@code HIT} when the first slice it needed was stored, else a
     * {@code MISS} whose slice is being stored ({@code fwd-status} 206, the upstream's answer).
     */
    public static Reply sliced(boolean firstSliceStored) {
        return firstSliceStored ? HIT : new Reply(Kind.SEND, Source.STORED, Served.MISS, null, 206, true, null, null, null);
    }

    /** Whether a 200 matches the client's {@code If-None-Match}/{@code If-Modified-Since} (RFC 9111 §4.3.2). */
    private static boolean notModified(FieldLookup request, CachedResponse response) {
        return response.status() == 200 && Conditionals.evaluate(request, true, response.etag().orElse(null),
                response.validatorDateMillis()) == Conditionals.Outcome.NOT_MODIFIED;
    }

    private static final Reply HIT = new Reply(Kind.SEND, Source.STORED, Served.HIT, null, 0, false, null, null, null);
    private static final Reply STALE_WHILE_REVALIDATE =
            new Reply(Kind.SEND, Source.STORED, Served.STALE, "stale-while-revalidate", 0, false, null, null, null);
}
