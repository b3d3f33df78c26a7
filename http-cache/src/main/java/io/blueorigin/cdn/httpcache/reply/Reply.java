package io.blueorigin.cdn.httpcache.reply;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.range.RangeDecision;
import org.jspecify.annotations.Nullable;

/**
 * What to send the client, decided by {@link ReplyPolicy}: the reply half of the cache's decisions, as
 * {@link io.blueorigin.cdn.httpcache.CacheDecision} is the request half. The proxy's client exchange only
 * carries it out ({@code deliver(reply)}); it makes no choice of its own about status, {@code X-Cache} or the
 * {@code Cache-Status} parameters.
 *
 * @param kind what is sent
 * @param source which representation is sent (or whose metadata a 304 carries)
 * @param served the {@code X-Cache} value: what this tier did
 * @param detail {@code Cache-Status}'s {@code detail} (e.g. {@code stale-if-error}, the store's reason), or null
 * @param fwdStatus {@code Cache-Status}'s {@code fwd-status} (the upstream's status), 0 when none
 * @param stored {@code Cache-Status}'s {@code stored}: the fetched response is being stored
 * @param error why no response could be had ({@link Kind#FAIL} only), else null
 * @param refusal why the request is refused before the cache is asked ({@link Kind#REFUSED} only), else null
 * @param ranges the ranges sent ({@link Kind#PARTIAL}, {@link Kind#MULTIPART}, {@link Kind#UNSATISFIABLE}), else null
 */
public record Reply(Kind kind, Source source, Served served, @Nullable String detail, int fwdStatus, boolean stored,
        @Nullable UpstreamError error, @Nullable Refusal refusal, @Nullable RangeDecision ranges) {

    public Reply {
        requireNonNull(kind, "kind is null");
        requireNonNull(source, "source is null");
        requireNonNull(served, "served is null");
        if ((kind == Kind.FAIL) != (error != null)) {
            throw new IllegalArgumentException("an error goes with FAIL and only with it: " + kind + ", " + error);
        }
        if ((kind == Kind.REFUSED) != (refusal != null)) {
            throw new IllegalArgumentException("a refusal goes with REFUSED and only with it: " + kind + ", " + refusal);
        }
        if (kind.isRanged() != (ranges != null)) {
            throw new IllegalArgumentException("ranges go with a ranged reply and only with it: " + kind);
        }
        if (kind.sendsRepresentation() && source == Source.NONE) {
            throw new IllegalArgumentException(kind + " needs a representation");
        }
    }

    /** The closed set of replies (ranges, encodings, signatures and rate limits add theirs here). */
    public enum Kind {
        /** The representation, whole, with its own status. */
        SEND(true),
        /** 304: the representation's metadata, no body (RFC 9110 §15.4.5). */
        NOT_MODIFIED(true),
        /** 206 with one range of the representation and {@code Content-Range} (RFC 9110 §15.3.7.1). */
        PARTIAL(true),
        /** 206 {@code multipart/byteranges} with several ranges (RFC 9110 §14.6, §15.3.7.2). */
        MULTIPART(true),
        /** 416 {@code Content-Range: bytes *}{@code /len}: no range satisfiable (RFC 9110 §15.5.17). */
        UNSATISFIABLE(true),
        /** 412: {@code If-Match}/{@code If-Unmodified-Since} failed against the stored response. */
        PRECONDITION_FAILED(false),
        /** 504: {@code only-if-cached} and nothing usable stored (RFC 9111 §5.2.1.7). */
        ONLY_IF_CACHED(false),
        /** 502/503/504: no response and nothing stale to stand in ({@link Reply#error()} says why). */
        FAIL(false),
        /** 4xx before the cache: a signature or a rate limit says no ({@link Reply#refusal()} says which). */
        REFUSED(false);

        private final boolean sendsRepresentation;

        Kind(boolean sendsRepresentation) {
            this.sendsRepresentation = sendsRepresentation;
        }

        /** Whether the reply is about a representation (its fields, its body or part of it, or its length). */
        public boolean sendsRepresentation() {
            return sendsRepresentation;
        }

        /** Whether a {@code Range} decided it. */
        public boolean isRanged() {
            return this == PARTIAL || this == MULTIPART || this == UNSATISFIABLE;
        }
    }

    /** Which representation a reply uses. */
    public enum Source {
        /** The stored response (possibly freshened by a 304 from upstream). */
        STORED,
        /** The response just fetched. */
        FETCHED,
        /** None: the node's own text answer. */
        NONE
    }

    /** The {@code X-Cache} values (docs/x-cache.md). */
    public enum Served {
        /** Served from cache without going upstream (including a 304 to a client's conditional request). */
        HIT,
        /** Fetched from upstream; cacheable (stored, unless too large). */
        MISS,
        /** Served stale from cache: stale-while-revalidate, client max-stale, or stale-if-error. */
        STALE,
        /** Stored response validated upstream (304) and served. */
        REVALIDATED,
        /** Not cacheable (method, or the response forbade storing): passed through. */
        PASS
    }

    /** A reply for a request refused at the door of the cache (signed URLs, rate limits). */
    public static Reply refused(Refusal refusal) {
        return new Reply(Kind.REFUSED, Source.NONE, Served.PASS, refusal.error(), 0, false, null, refusal, null);
    }

    /**
     * Why a request is refused: its status, the {@code Blue-Origin-Error} value, the text for the client, and when it
     * may retry.
     *
     * @param retryAfterSeconds {@code Retry-After}, 0 for none
     */
    public record Refusal(int status, String error, String message, long retryAfterSeconds) {
        public Refusal {
            if (status < 400 || status > 499) {
                throw new IllegalArgumentException("a refusal is a 4xx: " + status);
            }
            requireNonNull(error, "error is null");
            requireNonNull(message, "message is null");
        }

        /** 429: {@code retryAfterSeconds} until the client's bucket has a token again (RFC 6585 §4). */
        public static Refusal rateLimited(String message, long retryAfterSeconds) {
            return new Refusal(429, "rate-limited", message, Math.max(1, retryAfterSeconds));
        }

        /** 403 with one of the signed-URL error values ({@code signature-missing}, ...). */
        public static Refusal forbidden(String error, String message) {
            return new Refusal(403, error, message, 0);
        }
    }

    /** Why a fetch produced no response, and the status that says so. */
    public enum UpstreamError {
        /** Too many requests already wait for the upstream (the gate's queue is full): 503, retry soon. */
        OVERLOADED(503, "upstream-overloaded"),
        /** The upstream's circuit breaker is open: 503, retry soon. */
        CIRCUIT_OPEN(503, "circuit-open"),
        /** A collapsed follower waited {@code cache.collapse-timeout} for its leader: 504. */
        COLLAPSE_TIMEOUT(504, "collapse-timeout"),
        /** The upstream did not answer in time: 504. */
        TIMEOUT(504, "upstream-timeout"),
        /** No usable response: refused connection, reset, bad header section: 502. */
        FAILED(502, "upstream-failed");

        private final int status;
        private final String value;

        UpstreamError(int status, String value) {
            this.status = status;
            this.value = value;
        }

        /** The status sent to the client. */
        public int status() {
            return status;
        }

        /** The {@code Blue-Origin-Error} value, unless the proxy names the failure more precisely. */
        public String value() {
            return value;
        }

        /** Whether a client should simply retry soon ({@code Retry-After}). */
        public boolean retrySoon() {
            return status == 503;
        }
    }
}
