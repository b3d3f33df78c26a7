package io.blueorigin.cdn.admin.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code invalidation_acks} table. Stateless. */
public final class Acks {

    /**
     * Records {@code acks} of one node, idempotently: an (invalidation, node) pair already acknowledged keeps
     * its first ack, and acks of entries no longer (or never) in the log are ignored.
     *
     * @return how many distinct entries of the log these acks acknowledge (new or repeated)
     */
    public int record(Connection connection, long nodeId, List<Ack> acks) throws SQLException {
        if (acks.isEmpty()) {
            return 0;
        }
        // FOR KEY SHARE: retention cannot delete these entries before we commit, so the foreign key holds.
        Set<Long> known = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM invalidations WHERE id = ANY(?) FOR KEY SHARE")) {
            select.setArray(1, connection.createArrayOf("bigint", acks.stream().map(Ack::invalidationId).toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    known.add(rs.getLong(1));
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO invalidation_acks (invalidation_id, node_id, applied_at, objects_affected)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (Ack ack : acks) {
                if (known.contains(ack.invalidationId())) {
                    insert.setLong(1, ack.invalidationId());
                    insert.setLong(2, nodeId);
                    insert.setObject(3, OffsetDateTime.ofInstant(ack.appliedAt(), ZoneOffset.UTC));
                    insert.setLong(4, ack.objectsAffected());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
        return known.size();
    }

    /** The acks of the given entries: invalidation id → node id → ack. */
    public Map<Long, Map<Long, Ack>> of(Connection connection, List<Long> invalidationIds) throws SQLException {
        Map<Long, Map<Long, Ack>> acks = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT invalidation_id, node_id, applied_at, objects_affected FROM invalidation_acks"
                        + " WHERE invalidation_id = ANY(?)")) {
            select.setArray(1, connection.createArrayOf("bigint", invalidationIds.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    acks.computeIfAbsent(id, k -> new HashMap<>()).put(rs.getLong(2),
                            new Ack(id, rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getLong(4)));
                }
            }
        }
        return acks;
    }
}
