package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Deletes what is older than {@code admin.invalidation-retention}: invalidation log entries (their acks and
 * audit rows go with them, {@code ON DELETE CASCADE}) except bans still active, node stats and the console's
 * audit; and expired console sessions, whatever their age.
 *
 * <p>Invariant kept with {@link LogBounds}: {@code invalidation_retention.deleted_through} is raised (in its
 * own transaction) before any entry at or below it is deleted, so {@code oldestRetained} never claims the
 * log is complete where it is not. The cut is by id (the highest id older than the retention), not by
 * timestamp, so "complete from {@code oldestRetained}" holds exactly. Deletes run in batches of
 * {@link #BATCH} rows, each its own short transaction. Replicas may run it at the same time: both delete
 * the same rows, and {@code GREATEST} keeps the watermark monotonic.
 */
public final class Retention {
    /** Rows deleted per statement. */
    static final int BATCH = 5_000;

    private final Database database;
    private final Duration retention;

    public Retention(Database database, Duration retention) {
        this.database = requireNonNull(database, "database is null");
        this.retention = requireNonNull(retention, "retention is null");
    }

    /**
     * What one run did.
     *
     * @param entriesDeleted invalidation log entries deleted
     * @param statsDeleted node stats rows deleted
     * @param oldestRetained the log's {@code oldestRetained} after the run
     * @param consoleDeleted console audit rows and expired sessions deleted
     */
    public record Result(long entriesDeleted, long statsDeleted, long oldestRetained, long consoleDeleted) {}

    public Result run() throws SQLException {
        long deletedThrough = database.inTransaction(this::raiseWatermark);
        long entries = deleteInBatches("DELETE FROM invalidations WHERE id IN (SELECT id FROM invalidations"
                + " WHERE id <= ? AND NOT (kind = 'ban' AND ban_expires_at > now()) ORDER BY id LIMIT " + BATCH + ")",
                deletedThrough);
        long stats = deleteInBatches("DELETE FROM node_stats WHERE id IN (SELECT id FROM node_stats"
                + " WHERE at < now() - ? * interval '1 second' LIMIT " + BATCH + ")", retention.toSeconds());
        long console = deleteInBatches("DELETE FROM console_audit WHERE id IN (SELECT id FROM console_audit"
                + " WHERE at < now() - ? * interval '1 second' LIMIT " + BATCH + ")", retention.toSeconds());
        console += database.inTransaction(ConsoleSessions::deleteExpired);
        return new Result(entries, stats, deletedThrough + 1, console);
    }

    private long raiseWatermark(Connection connection) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE invalidation_retention SET deleted_through = GREATEST(deleted_through, COALESCE("
                        + "(SELECT max(id) FROM invalidations WHERE created_at < now() - ? * interval '1 second'), 0))"
                        + " RETURNING deleted_through")) {
            update.setLong(1, retention.toSeconds());
            try (ResultSet rs = update.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("invalidation_retention has no row: was migration V0003 edited?");
                }
                return rs.getLong(1);
            }
        }
    }

    private long deleteInBatches(String sql, long parameter) throws SQLException {
        long total = 0;
        int deleted;
        do {
            deleted = database.inTransaction(connection -> {
                try (PreparedStatement delete = connection.prepareStatement(sql)) {
                    delete.setLong(1, parameter);
                    return delete.executeUpdate();
                }
            });
            total += deleted;
        } while (deleted == BATCH);
        return total;
    }
}
