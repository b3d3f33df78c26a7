package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A node's acknowledgement of one invalidation.
 *
 * @param invalidationId the entry applied
 * @param appliedAt when the node applied it (the node's clock)
 * @param objectsAffected how many stored objects it removed or marked stale
 */
public record Ack(long invalidationId, Instant appliedAt, long objectsAffected) {
    public Ack {
        requireNonNull(appliedAt, "appliedAt is null");
        if (objectsAffected < 0) {
            throw new IllegalArgumentException("objectsAffected < 0: " + objectsAffected);
        }
    }
}
