package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A ban as submitted: what it matches and for how long it applies.
 *
 * @param kind how {@code pattern} matches
 * @param pattern the prefix, host or regular expression (already validated)
 * @param ttl how long the ban applies from its creation
 */
public record BanRule(BanKind kind, String pattern, Duration ttl) {
    public BanRule {
        requireNonNull(kind, "kind is null");
        requireNonNull(pattern, "pattern is null");
        requireNonNull(ttl, "ttl is null");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
    }
}
