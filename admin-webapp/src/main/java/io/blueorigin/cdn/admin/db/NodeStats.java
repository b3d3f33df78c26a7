package io.blueorigin.cdn.admin.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The {@code node_stats} table: one row per heartbeat (pruned by {@link Retention}). Stateless. */
public final class NodeStats {

    /** Stores one heartbeat's stats, a JSON object already checked to be storable as jsonb. */
    public void insert(Connection connection, long nodeId, String statsJson) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO node_stats (node_id, stats) VALUES (?, ?::jsonb)")) {
            insert.setLong(1, nodeId);
            insert.setString(2, statsJson);
            insert.executeUpdate();
        }
    }
}
