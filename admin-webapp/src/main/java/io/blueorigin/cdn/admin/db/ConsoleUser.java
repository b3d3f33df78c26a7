package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.Scope;
import java.time.Instant;
import java.util.Optional;

/**
 * A console user as the users page shows it (never its password hash). {@code role} is
 * {@link Scope#READ}, {@link Scope#PURGE} or {@link Scope#ADMIN}: the scope of the token it acts through
 * ({@code tokenId}).
 */
public record ConsoleUser(long id, String username, Scope role, long tokenId, Instant createdAt, String createdBy,
        Optional<Instant> disabledAt, int failedLogins, Optional<Instant> lockedUntil, Optional<Instant> lastLoginAt) {
    public ConsoleUser {
        requireNonNull(username, "username is null");
        requireNonNull(role, "role is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(createdBy, "createdBy is null");
        requireNonNull(disabledAt, "disabledAt is null");
        requireNonNull(lockedUntil, "lockedUntil is null");
        requireNonNull(lastLoginAt, "lastLoginAt is null");
    }

    public boolean isDisabled() {
        return disabledAt.isPresent();
    }
}
