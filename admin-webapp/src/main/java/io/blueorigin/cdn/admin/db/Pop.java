package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A point of presence an operator declared: where nodes of that POP are placed unless they register their
 * own coordinates.
 *
 * @param name as nodes give it in {@code node.pop}
 * @param coordinates where it is
 * @param updatedAt when it was last declared
 */
public record Pop(String name, Coordinates coordinates, Instant updatedAt) {
    public Pop {
        requireNonNull(name, "name is null");
        requireNonNull(coordinates, "coordinates is null");
        requireNonNull(updatedAt, "updatedAt is null");
    }
}
