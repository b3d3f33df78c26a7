package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A ban in the log.
 *
 * @param kind how {@code pattern} matches
 * @param pattern the prefix, host or regular expression
 * @param expiresAt when it stops applying (creation + ttl)
 */
public record Ban(BanKind kind, String pattern, Instant expiresAt) {
    public Ban {
        requireNonNull(kind, "kind is null");
        requireNonNull(pattern, "pattern is null");
        requireNonNull(expiresAt, "expiresAt is null");
    }
}
