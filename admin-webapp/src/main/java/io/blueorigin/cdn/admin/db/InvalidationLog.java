package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code invalidations} table (and the {@code surrogate_key_audit} rows of tag purges): append and read
 * the log. Methods take the caller's {@link Connection}, so the API decides the transaction.
 *
 * <p>Ordering invariant: {@link #append} takes the transaction-level advisory lock {@link #APPEND_LOCK}
 * before the identity draws the id, and holds it until commit. Ids are therefore committed in increasing
 * order across every admin replica, and a reader asking for "ids after N" can never later see a smaller id
 * appear (which would make a node skip it). The same transaction sends {@code NOTIFY} on
 * {@link NotificationListener#CHANNEL} with the id; PostgreSQL delivers it only if and when it commits.
 */
public final class InvalidationLog {
    /** Advisory lock key serialising appends ("invalog" in ASCII). */
    static final long APPEND_LOCK = 0x696e76616c6f67L;
    /** Most entries a read returns. */
    public static final int MAX_BATCH = 1000;
    /** Rows a cursor fetches at a time: entries are up to about 1 MiB each, so few are held at once. */
    static final int FETCH_SIZE = 16;

    private static final String SELECT = "SELECT i.id, i.kind, i.soft, i.payload::text, i.created_at, i.ban_expires_at,"
            + " t.name FROM invalidations i JOIN api_tokens t ON t.id = i.created_by ";

    private final Duration lockTimeout;

    /** @param lockTimeout longest an append waits for the log lock before failing (then the API answers 503) */
    public InvalidationLog(Duration lockTimeout) {
        this.lockTimeout = requireNonNull(lockTimeout, "lockTimeout is null");
    }

    /**
     * Appends {@code entry} in the caller's transaction and queues its notification.
     *
     * @param createdBy id of the API token submitting it
     * @return the new entry's id (visible to others when the transaction commits)
     */
    public long append(Connection connection, NewInvalidation entry, long createdBy) throws SQLException {
        lockTimeout(connection);
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, APPEND_LOCK);
            lock.execute();
        }
        long id;
        OffsetDateTime createdAt;
        try (PreparedStatement insert = connection.prepareStatement(
                "WITH now AS (SELECT date_trunc('milliseconds', clock_timestamp()) AS t)"
                        + " INSERT INTO invalidations (kind, soft, payload, ban_expires_at, created_at, created_by)"
                        + " SELECT ?, ?, ?::jsonb, now.t + ?::bigint * interval '1 second', now.t, ? FROM now"
                        + " RETURNING id, created_at")) {
            insert.setString(1, entry.kind().label());
            insert.setBoolean(2, entry.soft());
            insert.setString(3, PayloadCodec.encode(entry));
            if (entry.ban().isPresent()) {
                insert.setLong(4, entry.ban().get().ttl().toSeconds());
            } else {
                insert.setNull(4, Types.BIGINT);
            }
            insert.setLong(5, createdBy);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
                createdAt = rs.getObject(2, OffsetDateTime.class);
            }
        }
        if (!entry.tags().isEmpty()) {
            try (PreparedStatement audit = connection.prepareStatement(
                    "INSERT INTO surrogate_key_audit (invalidation_id, tag, created_at)"
                            + " SELECT ?, tag, ? FROM unnest(?::text[]) AS tag ON CONFLICT DO NOTHING")) {
                audit.setLong(1, id);
                audit.setObject(2, createdAt);
                audit.setArray(3, connection.createArrayOf("text", entry.tags().toArray()));
                audit.executeUpdate();
            }
        }
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, NotificationListener.CHANNEL);
            notify.setString(2, Long.toString(id));
            notify.execute();
        }
        return id;
    }

    /** Bounds every lock wait of the caller's transaction by {@link #lockTimeout}. */
    private void lockTimeout(Connection connection) throws SQLException {
        try (PreparedStatement timeout = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
            timeout.setString(1, lockTimeout.toMillis() + "ms");
            timeout.execute();
        }
    }

    /** What {@link #liftBan} did. */
    public sealed interface Lift {
        /** Appended ban_lift entry {@code id}; the ban's row is marked lifted. */
        record Lifted(long id) implements Lift {}

        /** No entry {@code ban} in the log (never created, or deleted by retention). */
        record Unknown() implements Lift {}

        /** Entry {@code ban} is a {@code kind}, not a ban. */
        record NotABan(InvalidationKind kind) implements Lift {}

        /** The ban expired at {@code at}: nodes dropped it by themselves. */
        record Expired(Instant at) implements Lift {}

        /** Entry {@code liftId} lifted it at {@code at}. */
        record AlreadyLifted(long liftId, Instant at) implements Lift {}
    }

    /**
     * Lifts ban {@code banId} in the caller's transaction: locks the ban's row (a concurrent lift of the same ban
     * waits, then finds it lifted), appends a {@code ban_lift} entry ({@link #append}) and marks the row lifted by
     * it, so {@link #activeBans} no longer hands it out. Nothing changes unless the answer is {@link Lift.Lifted}.
     *
     * @param createdBy id of the API token submitting it
     */
    public Lift liftBan(Connection connection, long banId, long createdBy) throws SQLException {
        lockTimeout(connection);
        try (PreparedStatement select = connection.prepareStatement("SELECT kind, ban_expires_at, ban_expires_at <= now(),"
                + " ban_lift_id, ban_lifted_at FROM invalidations WHERE id = ? FOR UPDATE")) {
            select.setLong(1, banId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return new Lift.Unknown();
                }
                InvalidationKind kind = InvalidationKind.fromLabel(rs.getString(1));
                if (kind != InvalidationKind.BAN) {
                    return new Lift.NotABan(kind);
                }
                long liftId = rs.getLong(4);
                if (!rs.wasNull()) {
                    return new Lift.AlreadyLifted(liftId, rs.getObject(5, OffsetDateTime.class).toInstant());
                }
                if (rs.getBoolean(3)) {
                    return new Lift.Expired(rs.getObject(2, OffsetDateTime.class).toInstant());
                }
            }
        }
        long id = append(connection, NewInvalidation.banLift(banId), createdBy);
        try (PreparedStatement update = connection.prepareStatement("UPDATE invalidations b SET ban_lift_id = l.id,"
                + " ban_lifted_at = l.created_at FROM invalidations l WHERE b.id = ? AND l.id = ?")) {
            update.setLong(1, banId);
            update.setLong(2, id);
            if (update.executeUpdate() != 1) {
                throw new SQLException("ban " + banId + " vanished while its row was locked");
            }
        }
        return new Lift.Lifted(id);
    }

    /** Receives entries one at a time, as a cursor reads them. */
    @FunctionalInterface
    public interface EntrySink {
        /** Takes {@code entry}; false stops the read (the entry was not taken). */
        boolean accept(Invalidation entry) throws IOException;
    }

    /** Receives recent entries one at a time, each with the ids of the nodes that acknowledged it. */
    @FunctionalInterface
    public interface AckedEntrySink {
        void accept(Invalidation entry, Set<Long> ackedBy) throws IOException;
    }

    /**
     * Feeds {@code sink} the entries with an id above {@code after}, in id order, at most {@code limit}, until
     * it declines one. Rows come from a cursor {@link #FETCH_SIZE} at a time, so memory holds one entry, not
     * the batch: call it inside {@link Database#inSnapshot} (a cursor needs a transaction; the caller reads the
     * {@link #bounds} on the same snapshot).
     */
    public void forEachAfter(Connection connection, long after, int limit, EntrySink sink) throws SQLException, IOException {
        try (PreparedStatement select = connection.prepareStatement(SELECT + "WHERE i.id > ? ORDER BY i.id LIMIT ?")) {
            select.setFetchSize(FETCH_SIZE);
            select.setLong(1, after);
            select.setInt(2, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (!sink.accept(row(rs))) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Feeds {@code sink} the newest {@code limit} entries, newest first, each with the node ids that acked it,
     * from a cursor (see {@link #forEachAfter}).
     */
    public void forEachRecent(Connection connection, int limit, AckedEntrySink sink) throws SQLException, IOException {
        try (PreparedStatement select = connection.prepareStatement("SELECT i.id, i.kind, i.soft, i.payload::text,"
                + " i.created_at, i.ban_expires_at, t.name,"
                + " ARRAY(SELECT a.node_id FROM invalidation_acks a WHERE a.invalidation_id = i.id)"
                + " FROM invalidations i JOIN api_tokens t ON t.id = i.created_by ORDER BY i.id DESC LIMIT ?")) {
            select.setFetchSize(FETCH_SIZE);
            select.setInt(1, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Set<Long> acked = new HashSet<>();
                    for (Object id : (Object[]) rs.getArray(8).getArray()) {
                        acked.add(((Number) id).longValue());
                    }
                    sink.accept(row(rs), acked);
                }
            }
        }
    }

    /** A long-poll answer's content, read by {@link #tail}. */
    public record Tail(LogBounds bounds, long sitesVersion, List<Invalidation> entries) {}

    /**
     * What a long-poll answer holds, in one statement: the log's bounds, the sites' version ({@link Sites#version})
     * and the first entries after {@code after}, at most {@code limit}, as long as their payloads add up to at most
     * {@code maxPayloadBytes} (none if the first alone is larger). One statement is one snapshot without a
     * transaction: one round trip where {@link #bounds}, {@link Sites#version} and {@link #forEachAfter} in
     * {@link Database#inSnapshot} take five, which counts when a purge wakes every node's poll at once. The rows
     * are read whole, not from a cursor: for small answers only (the caller bounds {@code maxPayloadBytes}).
     */
    public Tail tail(Connection connection, long after, int limit, long maxPayloadBytes) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT e.id, e.kind, e.soft, e.payload, e.created_at, e.ban_expires_at, e.name,"
                        + " r.deleted_through, (SELECT max(id) FROM invalidations), (" + Sites.VERSION + ")"
                        + " FROM invalidation_retention r LEFT JOIN LATERAL ("
                        + "SELECT * FROM (SELECT y.*, sum(octet_length(y.payload)) OVER (ORDER BY y.id) AS running FROM ("
                        + "SELECT i.id, i.kind, i.soft, i.payload::text AS payload, i.created_at, i.ban_expires_at, t.name"
                        + " FROM invalidations i JOIN api_tokens t ON t.id = i.created_by WHERE i.id > ? ORDER BY i.id"
                        + " LIMIT ?) y) x WHERE x.running <= ?) e ON true ORDER BY e.id")) {
            select.setLong(1, after);
            select.setInt(2, limit);
            select.setLong(3, maxPayloadBytes);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("invalidation_retention has no row: was migration V0003 edited?");
                }
                long deletedThrough = rs.getLong(8);
                LogBounds bounds = new LogBounds(Math.max(rs.getLong(9), deletedThrough), deletedThrough + 1);
                long sitesVersion = rs.getLong(10);
                List<Invalidation> entries = new ArrayList<>();
                if (rs.getObject(1) != null) { // a row of nulls: no entry (the join is a left one)
                    do {
                        entries.add(row(rs));
                    } while (rs.next());
                }
                return new Tail(bounds, sitesVersion, entries);
            }
        }
    }

    /** The log's latest id and the id from which it is complete (see {@link LogBounds}). */
    public LogBounds bounds(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT r.deleted_through, (SELECT max(id) FROM invalidations) FROM invalidation_retention r");
                ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("invalidation_retention has no row: was migration V0003 edited?");
            }
            long deletedThrough = rs.getLong(1);
            long maxId = rs.getLong(2);
            return new LogBounds(Math.max(maxId, deletedThrough), deletedThrough + 1);
        }
    }

    public Optional<Invalidation> get(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT + "WHERE i.id = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** Bans that still apply (not expired, not lifted), in id order. */
    public List<Invalidation> activeBans(Connection connection) throws SQLException {
        return list(connection, SELECT + "WHERE i.kind = 'ban' AND i.ban_expires_at > now() AND i.ban_lifted_at IS NULL"
                + " ORDER BY i.id LIMIT ?", Integer.MAX_VALUE);
    }

    private static List<Invalidation> list(Connection connection, String sql, int limit) throws SQLException {
        List<Invalidation> entries = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setInt(1, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    entries.add(row(rs));
                }
            }
        }
        return entries;
    }

    private static Invalidation row(ResultSet rs) throws SQLException {
        InvalidationKind kind = InvalidationKind.fromLabel(rs.getString(2));
        Optional<Instant> banExpiresAt = Optional.ofNullable(rs.getObject(6, OffsetDateTime.class))
                .map(OffsetDateTime::toInstant);
        PayloadCodec.Parts parts = PayloadCodec.decode(kind, rs.getString(4), banExpiresAt);
        return new Invalidation(rs.getLong(1), kind, rs.getBoolean(3), parts.urls(), parts.tags(), parts.ban(),
                parts.site(), parts.definition(), parts.liftedBan(), rs.getObject(5, OffsetDateTime.class).toInstant(),
                rs.getString(7));
    }
}
