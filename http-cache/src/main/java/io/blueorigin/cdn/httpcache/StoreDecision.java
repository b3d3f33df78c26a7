package io.blueorigin.cdn.httpcache;

import static java.util.Objects.requireNonNull;

/**
 * Whether to store an upstream response (RFC 9111 §3), and what to keep about it: the outcome of
 * {@link CachePolicy#onResponse}. The {@code response} is computed either way, because the proxy sends it
 * (its {@code Age} and freshness) whether or not it is stored.
 *
 * @param store whether a shared cache may and should store it
 * @param reason why (for logs and {@code Cache-Status}'s {@code detail}), e.g. {@code "private"}
 * @param response the response as it would be stored
 */
public record StoreDecision(boolean store, String reason, CachedResponse response) {
    public StoreDecision {
        requireNonNull(reason, "reason is null");
        requireNonNull(response, "response is null");
    }
}
