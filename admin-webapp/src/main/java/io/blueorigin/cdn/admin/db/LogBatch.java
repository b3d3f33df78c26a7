package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Entries after some id, in id order, with the log's bounds on the same snapshot.
 *
 * @param entries at most the requested number, in id order
 * @param bounds the log's bounds when the entries were read
 */
public record LogBatch(List<Invalidation> entries, LogBounds bounds) {
    public LogBatch {
        entries = List.copyOf(entries);
        requireNonNull(bounds, "bounds is null");
    }
}
