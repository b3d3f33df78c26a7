package io.blueorigin.cdn.admin.db;

/**
 * Where the invalidation log starts and ends, read on one snapshot.
 *
 * <p>Invariant: {@code 1 <= oldestRetained <= latest + 1}. Every entry with an id from
 * {@code oldestRetained} to {@code latest} that was committed is still held; below {@code oldestRetained}
 * only bans still active may remain. So a node that applied everything up to {@code lastApplied} has missed
 * deleted entries exactly when {@code lastApplied < oldestRetained - 1}.
 *
 * @param latest the highest id committed (0 when nothing ever was)
 * @param oldestRetained {@code deleted_through + 1}: the log is complete from this id on
 */
public record LogBounds(long latest, long oldestRetained) {
    public LogBounds {
        if (oldestRetained < 1 || oldestRetained > latest + 1) {
            throw new IllegalArgumentException("log bounds out of order: latest=" + latest + " oldestRetained="
                    + oldestRetained);
        }
    }
}
