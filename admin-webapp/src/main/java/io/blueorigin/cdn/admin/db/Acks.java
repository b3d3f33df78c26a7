package io.blueorigin.cdn.admin.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code invalidation_acks} table; {@link AckWriter} writes it. Stateless. */
public final class Acks {

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
