package io.blueorigin.cdn.proxy.upstream;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.site.Origin;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One upstream a node may send to: its URL, circuit breaker, concurrency gate, and when it may be used
 * again after being marked down. Thread-safe.
 */
public final class Upstream {
    private final URI url;
    private final String base;
    private final CircuitBreaker breaker;
    private final ConcurrencyGate gate;
    private final boolean fallback;
    private final AtomicLong downUntilMillis = new AtomicLong();
    /** A site's origin: its own timeouts, Host and TLS check; null for the node's configured upstreams. */
    private final @Nullable Origin origin;

    Upstream(URI url, CircuitBreaker breaker, ConcurrencyGate gate, boolean fallback) {
        this(url, breaker, gate, fallback, null);
    }

    Upstream(URI url, CircuitBreaker breaker, ConcurrencyGate gate, boolean fallback, @Nullable Origin origin) {
        this.origin = origin;
        this.url = requireNonNull(url, "url is null");
        String s = url.toString();
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        this.breaker = breaker;
        this.gate = gate;
        this.fallback = fallback;
    }

    public URI url() {
        return url;
    }

    /** The URL without a trailing slash, to which a raw path and query are appended. */
    public String base() {
        return base;
    }

    /** The site origin this is (timeouts, {@code Host}, TLS check), or null for a configured upstream. */
    public @Nullable Origin origin() {
        return origin;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    public ConcurrencyGate gate() {
        return gate;
    }

    /** Whether this is the origin edges fall back to when every shield is down. */
    public boolean isFallback() {
        return fallback;
    }

    boolean isDown(long nowMillis) {
        return nowMillis < downUntilMillis.get();
    }

    void markDown(long untilMillis) {
        downUntilMillis.accumulateAndGet(untilMillis, Math::max);
    }

    @Override
    public String toString() {
        return url.toString();
    }
}
