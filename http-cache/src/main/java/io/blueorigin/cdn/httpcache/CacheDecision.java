package io.blueorigin.cdn.httpcache;

import static java.util.Objects.requireNonNull;

/**
 * What to do with a request, given what is stored: the outcome of {@link CachePolicy#onRequest}.
 *
 * @param action what the proxy does next
 * @param fwd why the request goes (or would go) upstream, for {@code Cache-Status}'s {@code fwd} parameter;
 *     {@link Fwd#NONE} when it is answered from cache
 * @param reason a short explanation for logs and {@code Cache-Status}'s {@code detail}
 * @param revalidateInBackground the stored response is served stale (possibly as a 304 to the client's
 *     conditional request) and one background revalidation should refresh it (stale-while-revalidate)
 */
public record CacheDecision(Action action, Fwd fwd, String reason, boolean revalidateInBackground) {

    public CacheDecision {
        requireNonNull(action, "action is null");
        requireNonNull(fwd, "fwd is null");
        requireNonNull(reason, "reason is null");
    }

    /** The closed set of next steps, after Varnish's {@code enum lookup_e} and Traffic Server's action codes. */
    public enum Action {
        /** Fresh stored response: send it. */
        SERVE_FRESH,
        /** Stale stored response the client accepts as is ({@code max-stale}): send it. */
        SERVE_STALE,
        /** Stale within {@code stale-while-revalidate}: send it and revalidate once in the background. */
        SERVE_STALE_AND_REVALIDATE,
        /** Stored response must be validated upstream first (conditional request with its validators). */
        REVALIDATE,
        /** Nothing usable stored: fetch, then decide whether to store. */
        FETCH,
        /** Not for the cache at all (method): forward as is. */
        PASS,
        /** The client's validators match the fresh stored response: 304. */
        RESPOND_NOT_MODIFIED,
        /** The client's {@code If-Match}/{@code If-Unmodified-Since} fail: 412. */
        RESPOND_PRECONDITION_FAILED,
        /** {@code only-if-cached} and nothing usable stored: 504 (RFC 9111 §5.2.1.7). */
        RESPOND_GATEWAY_TIMEOUT
    }

    /** RFC 9211 §2.2 {@code fwd} values. */
    public enum Fwd {
        NONE(""),
        /** No stored response for the URI. */
        URI_MISS("uri-miss"),
        /** Stored responses for the URI, none for these request headers. */
        VARY_MISS("vary-miss"),
        /** A stored response, stale. */
        STALE("stale"),
        /** The request's directives prevented using the stored response. */
        REQUEST("request"),
        /** The method is not cacheable. */
        METHOD("method"),
        /** The cache was configured not to handle this request. */
        BYPASS("bypass");

        private final String token;

        Fwd(String token) {
            this.token = token;
        }

        public String token() {
            return token;
        }
    }

    static CacheDecision of(Action action, Fwd fwd, String reason) {
        return new CacheDecision(action, fwd, reason, action == Action.SERVE_STALE_AND_REVALIDATE);
    }

    /** Whether the stored response is served stale (SWR or max-stale), as a 200 or a 304. */
    public boolean servesStale() {
        return revalidateInBackground || action == Action.SERVE_STALE;
    }
}
