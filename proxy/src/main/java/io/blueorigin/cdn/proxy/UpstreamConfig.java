package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a proxy node fetches from and how it protects that upstream ({@code upstream.*} keys).
 *
 * @param urls the upstreams: one (the origin for a shield, or the only shield) or several shields, which
 *     an edge picks from by consistent hashing of the cache key; {@code http}/{@code https} with a host,
 *     no query; a path prefix is kept
 * @param fallback where to go when every upstream in {@code urls} is down (an edge's origin), if anywhere
 * @param connectTimeout a TCP connect taking longer fails the attempt
 * @param readTimeout no byte from upstream for this long, while waiting for headers or body, fails the fetch (504)
 * @param maxConnections most connections open to one upstream
 * @param downTime how long an upstream that refused connections (or reported its own upstream
 *     unreachable) is skipped, its keys going to the next one on the ring
 * @param maxConcurrent most requests in flight to one upstream (origin protection)
 * @param maxQueued most requests waiting for a turn beyond that; more get stale or a fast 503
 * @param breakerFailures consecutive failures that open an upstream's circuit breaker
 * @param breakerOpenTime how long an open breaker fails fast before a probe is let through
 * @param maxConcurrentPass most pass-through requests (methods other than GET and HEAD) in flight to one upstream;
 *     the rest of {@code maxConcurrent} is kept for cache fills
 * @param passTimeout longest a pass-through exchange may take in all (request body, response), so slow senders and
 *     slow readers cannot hold an upstream slot for ever
 * @param toOrigins an edge with no shield tier ({@code upstream.to-origins}): each site of its table fetches from the
 *     site's own origins, as a shield does; {@code urls} serve only a node with no sites
 */
public record UpstreamConfig(List<URI> urls, Optional<URI> fallback, Duration connectTimeout, Duration readTimeout,
        int maxConnections, Duration downTime, int maxConcurrent, int maxQueued, int breakerFailures, Duration breakerOpenTime,
        int maxConcurrentPass, Duration passTimeout, boolean toOrigins) {

    public UpstreamConfig {
        requireNonNull(urls, "urls is null");
        requireNonNull(fallback, "fallback is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(readTimeout, "readTimeout is null");
        requireNonNull(downTime, "downTime is null");
        requireNonNull(breakerOpenTime, "breakerOpenTime is null");
        requireNonNull(passTimeout, "passTimeout is null");
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("upstream.url : '' (expected: at least one http:// or https:// URL)");
        }
        for (URI url : urls) {
            check("upstream.url", url);
        }
        if (urls.stream().distinct().count() != urls.size()) {
            throw new IllegalArgumentException("upstream.url : " + urls + " (expected: each upstream once)");
        }
        fallback.ifPresent(url -> check("upstream.fallback-url", url));
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("upstream.connect-timeout : " + connectTimeout + " (expected: > 0)");
        }
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("upstream.read-timeout : " + readTimeout + " (expected: > 0)");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("upstream.max-connections : " + maxConnections + " (expected: >= 1)");
        }
        if (downTime.isNegative()) {
            throw new IllegalArgumentException("upstream.down-time : " + downTime + " (expected: >= 0)");
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("upstream.max-concurrent : " + maxConcurrent + " (expected: >= 1)");
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("upstream.max-queued : " + maxQueued + " (expected: >= 0)");
        }
        if (breakerFailures < 1) {
            throw new IllegalArgumentException("upstream.breaker.failures : " + breakerFailures + " (expected: >= 1)");
        }
        if (breakerOpenTime.isNegative() || breakerOpenTime.isZero()) {
            throw new IllegalArgumentException("upstream.breaker.open-time : " + breakerOpenTime + " (expected: > 0)");
        }
        if (maxConcurrentPass < 1 || maxConcurrentPass > maxConcurrent) {
            throw new IllegalArgumentException("upstream.max-concurrent-pass : " + maxConcurrentPass
                    + " (expected: 1.." + maxConcurrent + ", at most upstream.max-concurrent)");
        }
        if (passTimeout.isNegative() || passTimeout.isZero()) {
            throw new IllegalArgumentException("upstream.pass-timeout : " + passTimeout + " (expected: > 0)");
        }
    }

    /** Sites fetched through {@code urls} (shields), the usual edge. */
    public UpstreamConfig(List<URI> urls, Optional<URI> fallback, Duration connectTimeout, Duration readTimeout,
            int maxConnections, Duration downTime, int maxConcurrent, int maxQueued, int breakerFailures,
            Duration breakerOpenTime, int maxConcurrentPass, Duration passTimeout) {
        this(urls, fallback, connectTimeout, readTimeout, maxConnections, downTime, maxConcurrent, maxQueued, breakerFailures,
                breakerOpenTime, maxConcurrentPass, passTimeout, false);
    }

    /** These settings, with each site fetched from its own origins ({@code true}) or through {@code urls}. */
    public UpstreamConfig withToOrigins(boolean direct) {
        return new UpstreamConfig(urls, fallback, connectTimeout, readTimeout, maxConnections, downTime, maxConcurrent,
                maxQueued, breakerFailures, breakerOpenTime, maxConcurrentPass, passTimeout, direct);
    }

    /** Without the pass-through limits: pass-through may take half of {@code maxConcurrent}, for two minutes at most. */
    public UpstreamConfig(List<URI> urls, Optional<URI> fallback, Duration connectTimeout, Duration readTimeout,
            int maxConnections, Duration downTime, int maxConcurrent, int maxQueued, int breakerFailures,
            Duration breakerOpenTime) {
        this(urls, fallback, connectTimeout, readTimeout, maxConnections, downTime, maxConcurrent, maxQueued, breakerFailures,
                breakerOpenTime, defaultMaxConcurrentPass(maxConcurrent), DEFAULT_PASS_TIMEOUT);
    }

    /** {@code upstream.pass-timeout}'s default. */
    public static final Duration DEFAULT_PASS_TIMEOUT = Duration.ofMinutes(2);

    /** {@code upstream.max-concurrent-pass}'s default: half of {@code upstream.max-concurrent} (at least 1). */
    public static int defaultMaxConcurrentPass(int maxConcurrent) {
        return Math.max(1, maxConcurrent / 2);
    }

    private static void check(String key, URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(key + " : '" + url + "' (expected: an http:// or https:// URL)");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException(key + " : '" + url + "' (expected: a URL with a host, e.g. http://127.0.0.1:9001)");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException(key + " : '" + url + "' (expected: no query or fragment)");
        }
    }

    /** One upstream with the defaults: 2 s to connect, 30 s without a byte, 256 connections and requests in flight. */
    public static UpstreamConfig of(URI url) {
        return of(List.of(url), Optional.empty());
    }

    /** Several upstreams (a shield ring) and an optional fallback, with the defaults. */
    public static UpstreamConfig of(List<URI> urls, Optional<URI> fallback) {
        return new UpstreamConfig(urls, fallback, Duration.ofSeconds(2), Duration.ofSeconds(30), 256, Duration.ofSeconds(10),
                256, 1024, 20, Duration.ofSeconds(5));
    }

    /** The first upstream (the only one, unless this is a shield ring). */
    public URI url() {
        return urls.get(0);
    }

    public UpstreamConfig withTimeouts(Duration connect, Duration read) {
        return new UpstreamConfig(urls, fallback, connect, read, maxConnections, downTime, maxConcurrent, maxQueued,
                breakerFailures, breakerOpenTime, maxConcurrentPass, passTimeout, toOrigins);
    }

    public UpstreamConfig withProtection(int newMaxConcurrent, int newMaxQueued, int failures, Duration openTime) {
        return new UpstreamConfig(urls, fallback, connectTimeout, readTimeout, maxConnections, downTime, newMaxConcurrent,
                newMaxQueued, failures, openTime, maxConcurrentPass == defaultMaxConcurrentPass(maxConcurrent)
                        ? defaultMaxConcurrentPass(newMaxConcurrent) : Math.min(maxConcurrentPass, newMaxConcurrent), passTimeout, toOrigins);
    }

    public UpstreamConfig withDownTime(Duration newDownTime) {
        return new UpstreamConfig(urls, fallback, connectTimeout, readTimeout, maxConnections, newDownTime, maxConcurrent,
                maxQueued, breakerFailures, breakerOpenTime, maxConcurrentPass, passTimeout, toOrigins);
    }

    /** These settings with pass-through limited to {@code maxPass} requests in flight and {@code timeout} each. */
    public UpstreamConfig withPassLimits(int maxPass, Duration timeout) {
        return new UpstreamConfig(urls, fallback, connectTimeout, readTimeout, maxConnections, downTime, maxConcurrent,
                maxQueued, breakerFailures, breakerOpenTime, maxPass, timeout, toOrigins);
    }
}
