package io.blueorigin.cdn.admin.db;

import io.blueorigin.cdn.runtime.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The {@code nodes} table: registration (upsert by name), heartbeats, lookups. Stateless. */
public final class Nodes {
    /** A node name ({@code node.name}), and a POP: the same rule as {@code NodeIdentity} and the column CHECKs. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final String COLUMNS =
            "id, name, role, pop, traffic_url, management_url, registered_at, last_heartbeat_at, last_applied";

    /** Whether {@code value} is a valid node name (or POP): 1-63 letters, digits, '.', '_' or '-', not starting with those. */
    public static boolean isName(String value) {
        return NAME.matcher(value).matches();
    }

    /**
     * Registers {@code node}, or updates the node of that name (a restart, or a node that moved): its role,
     * POP, URLs and log position are replaced and its registration time and heartbeat set to now.
     */
    public Node register(Connection connection, NodeRegistration node) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO nodes (name, role, pop, traffic_url, management_url, last_applied) VALUES (?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (name) DO UPDATE SET role = excluded.role, pop = excluded.pop,"
                        + " traffic_url = excluded.traffic_url, management_url = excluded.management_url,"
                        + " last_applied = excluded.last_applied, registered_at = now(), last_heartbeat_at = now()"
                        + " RETURNING " + COLUMNS)) {
            upsert.setString(1, node.name());
            upsert.setString(2, node.role().label());
            upsert.setString(3, node.pop());
            upsert.setString(4, node.trafficUrl());
            upsert.setString(5, node.managementUrl());
            upsert.setLong(6, node.lastApplied());
            try (ResultSet rs = upsert.executeQuery()) {
                rs.next();
                return row(rs);
            }
        }
    }

    /**
     * Records a heartbeat: now, and the node's log position.
     *
     * @return the node's id, or empty when no node has that name
     */
    public Optional<Long> heartbeat(Connection connection, String name, long lastApplied) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE nodes SET last_heartbeat_at = now(), last_applied = ? WHERE name = ? RETURNING id")) {
            update.setLong(1, lastApplied);
            update.setString(2, name);
            try (ResultSet rs = update.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    public Optional<Node> find(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM nodes WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** Every registered node, shields first (they apply invalidations before edges), then by name. */
    public List<Node> list(Connection connection) throws SQLException {
        List<Node> nodes = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM nodes ORDER BY role = 'edge', name");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                nodes.add(row(rs));
            }
        }
        return nodes;
    }

    /** The database's clock: what heartbeats are stamped with, so liveness is judged on one clock. */
    public static Instant now(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT now()");
                ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    private static Node row(ResultSet rs) throws SQLException {
        return new Node(rs.getLong(1), rs.getString(2), Role.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)),
                rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getObject(8, OffsetDateTime.class).toInstant(),
                rs.getLong(9));
    }
}
