package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Where a proxy node fetches from and how patiently ({@code upstream.*} keys).
 *
 * @param url base URL of the upstream: the shield for an edge, the origin for a shield (or for a single-box
 *     edge); {@code http} or {@code https}, with a host, no query; a path prefix is kept
 * @param connectTimeout a TCP connect taking longer fails the fetch (502)
 * @param readTimeout no byte from upstream for this long, while waiting for headers or body, fails the fetch (504)
 * @param maxConnections most connections open to the upstream at once; further requests queue in the client
 */
public record UpstreamConfig(URI url, Duration connectTimeout, Duration readTimeout, int maxConnections) {

    public UpstreamConfig {
        requireNonNull(url, "url is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(readTimeout, "readTimeout is null");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("upstream.url : '" + url + "' (expected: an http:// or https:// URL)");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("upstream.url : '" + url + "' (expected: a URL with a host, e.g. http://127.0.0.1:9001)");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("upstream.url : '" + url + "' (expected: no query or fragment)");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("upstream.connect-timeout : " + connectTimeout + " (expected: > 0)");
        }
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("upstream.read-timeout : " + readTimeout + " (expected: > 0)");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("upstream.max-connections : " + maxConnections + " (expected: >= 1)");
        }
    }

    /** Defaults: 2 s to connect, 30 s without a byte, 256 connections. */
    public static UpstreamConfig of(URI url) {
        return new UpstreamConfig(url, Duration.ofSeconds(2), Duration.ofSeconds(30), 256);
    }

    /** The upstream base without a trailing slash, to which a request's raw path and query are appended. */
    String base() {
        String s = url.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
