package io.blueorigin.cdn.httpcache;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The operator's caching policy for one tier. Everything here either clamps what RFC 9111 allows or
 * chooses among behaviours the RFC leaves open; nothing extends freshness beyond what the origin said,
 * except the negative-caching TTLs, which apply only to responses that carry no freshness at all.
 *
 * @param ttlCapMillis a tier may serve an object without revalidation at most this long after receiving
 *     it (edge 30 s, shield 300 s by default); clamps, never extends. {@link Long#MAX_VALUE}: no cap
 * @param heuristicFraction heuristic freshness = this × (Date − Last-Modified) (RFC 9111 §4.2.2 suggests 10 %)
 * @param heuristicMaxMillis upper bound of heuristic freshness
 * @param negativeTtlMillis lifetime of 404 and 410 responses that carry no freshness information (0: none)
 * @param errorTtlMillis lifetime of 500, 502, 503 and 504 responses that carry no freshness information (0, the
 *     default: not stored, as RFC 9110 §15.1 says of codes that are not heuristically cacheable; opt-in)
 * @param maxStaleOnErrorMillis how long past expiry a stored response may be served when the upstream
 *     cannot be reached or answers 502/503/504 (RFC 9111 §4.2.4 "disconnected"), unless the response forbids
 *     stale serving; longer {@code stale-if-error} directives win
 * @param requestNoCache what a client's {@code no-cache} (or {@code max-age=0}) does
 * @param setCookie what a response with {@code Set-Cookie} does
 * @param targetedFields targeted cache-control fields this cache obeys, most specific first (RFC 9213 §2.1),
 *     e.g. {@code [Blue-Origin-Cache-Control, CDN-Cache-Control]}
 */
public record CachePolicyConfig(
        long ttlCapMillis,
        double heuristicFraction,
        long heuristicMaxMillis,
        long negativeTtlMillis,
        long errorTtlMillis,
        long maxStaleOnErrorMillis,
        RequestNoCache requestNoCache,
        SetCookie setCookie,
        List<String> targetedFields) {

    /** What a client's {@code Cache-Control: no-cache} / {@code max-age=0} / {@code Pragma: no-cache} does. */
    public enum RequestNoCache {
        /** Revalidate the stored response upstream (conditional, collapsed); the RFC's intent. */
        REVALIDATE,
        /** Serve the stored response if fresh, protecting the origin from forced reloads (Varnish's default). */
        IGNORE
    }

    /** What a response carrying {@code Set-Cookie} does. */
    public enum SetCookie {
        /** Not stored (each client gets its own cookie). */
        PASS,
        /** Stored without its {@code Set-Cookie} fields (the first client still gets them). */
        STRIP
    }

    public CachePolicyConfig {
        requireNonNull(requestNoCache, "requestNoCache is null");
        requireNonNull(setCookie, "setCookie is null");
        targetedFields = List.copyOf(targetedFields);
        if (ttlCapMillis < 0) {
            throw new IllegalArgumentException("cache.ttl-cap : " + ttlCapMillis + "ms (expected: >= 0)");
        }
        if (!(heuristicFraction >= 0 && heuristicFraction <= 1)) {
            throw new IllegalArgumentException("cache.heuristic-fraction : " + heuristicFraction + " (expected: 0..1)");
        }
        if (heuristicMaxMillis < 0 || negativeTtlMillis < 0 || errorTtlMillis < 0 || maxStaleOnErrorMillis < 0) {
            throw new IllegalArgumentException("cache durations must be >= 0");
        }
    }

    /**
     * The edge's defaults: 30 s cap, 10 % heuristic up to 1 day, 404/410 for 10 s, 1 day of grace. 500/502/503/504
     * without freshness are not stored: they are not heuristically cacheable (RFC 9110 §15.1), so caching them is
     * an operator's opt-in ({@code cache.error-ttl}).
     */
    public static CachePolicyConfig edgeDefaults() {
        return defaults(30_000);
    }

    /** The shield's defaults: as the edge's with a 300 s cap. */
    public static CachePolicyConfig shieldDefaults() {
        return defaults(300_000);
    }

    private static CachePolicyConfig defaults(long capMillis) {
        return new CachePolicyConfig(capMillis, 0.1, 86_400_000L, 10_000, 0, 86_400_000L,
                RequestNoCache.REVALIDATE, SetCookie.PASS, List.of("CDN-Cache-Control"));
    }

    public CachePolicyConfig withTtlCap(long capMillis) {
        return new CachePolicyConfig(capMillis, heuristicFraction, heuristicMaxMillis, negativeTtlMillis, errorTtlMillis,
                maxStaleOnErrorMillis, requestNoCache, setCookie, targetedFields);
    }
}
