package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code tier_keys} table: the HMAC keys edges sign their {@code Blue-Origin-Invalidation} field with and
 * shields verify it with. Admin hands the keys to nodes in registration and heartbeat answers
 * ({@link TierKeySet}); nodes never see the database.
 *
 * <p>Rotation without a window where a shield cannot verify an edge: a new version is used for signing only
 * once it is {@code settle} old (three heartbeat intervals, by when every live node has heard of it from a
 * heartbeat answer); until then nodes sign with the newest settled version, and verify with every version
 * listed. A rotation deletes the versions older than the one signing at that moment: nobody signs with them
 * any more. Methods that change the table take {@link #LOCK}, so concurrent rotations (or two admin replicas
 * starting on an empty table) stay consistent.
 */
public final class TierKeys {
    /** Advisory lock key serialising creation and rotation ("tierkey" in ASCII). */
    private static final long LOCK = 0x746965726b6579L;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Length of a key: HMAC-SHA256's block-size-friendly 256 bits. */
    static final int KEY_BYTES = 32;

    private final Duration settle;

    /** @param settle how old a version must be before nodes sign with it (three heartbeat intervals) */
    public TierKeys(Duration settle) {
        this.settle = requireNonNull(settle, "settle is null");
    }

    /** Creates version 1 if the table is empty (an admin's first start). */
    public void ensure(Connection connection) throws SQLException {
        lock(connection);
        try (PreparedStatement any = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM tier_keys)");
                ResultSet rs = any.executeQuery()) {
            rs.next();
            if (rs.getBoolean(1)) {
                return;
            }
        }
        insert(connection);
    }

    /** The versions nodes verify with, and the one they sign with. */
    public TierKeySet current(Connection connection) throws SQLException {
        List<TierKeySet.Key> keys = new ArrayList<>();
        int newestSettled = -1;
        try (PreparedStatement select = connection.prepareStatement("SELECT version, secret,"
                + " created_at <= now() - ?::bigint * interval '1 millisecond' FROM tier_keys ORDER BY version")) {
            select.setLong(1, settle.toMillis());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    keys.add(new TierKeySet.Key(rs.getInt(1), rs.getBytes(2)));
                    if (rs.getBoolean(3)) {
                        newestSettled = rs.getInt(1);
                    }
                }
            }
        }
        if (keys.isEmpty()) {
            throw new SQLException("tier_keys is empty: the admin creates version 1 at start; was the row deleted by hand?");
        }
        return new TierKeySet(newestSettled > 0 ? newestSettled : keys.get(0).version(), keys);
    }

    /**
     * Adds a version (signing with it starts once it has settled) and deletes the versions older than the one
     * signing now.
     *
     * @return the new version
     */
    public int rotate(Connection connection) throws SQLException {
        lock(connection);
        int signing = current(connection).signing();
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM tier_keys WHERE version < ?")) {
            delete.setInt(1, signing);
            delete.executeUpdate();
        }
        return insert(connection);
    }

    private static void lock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, LOCK);
            lock.execute();
        }
    }

    private static int insert(Connection connection) throws SQLException {
        byte[] secret = new byte[KEY_BYTES];
        RANDOM.nextBytes(secret);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tier_keys (secret) VALUES (?) RETURNING version")) {
            insert.setBytes(1, secret);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
