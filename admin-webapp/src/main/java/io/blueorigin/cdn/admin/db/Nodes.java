package io.blueorigin.cdn.admin.db;

import io.blueorigin.cdn.runtime.Role;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code nodes} table: registration (upsert by name), heartbeats, lookups, health and drain changes with
 * their {@code node_state_changes} rows. Every change routing depends on bumps the routing version in the
 * same transaction ({@link RoutingVersion}). Stateless.
 */
public final class Nodes {
    /** A node name ({@code node.name}), and a POP: the same rule as {@code NodeIdentity} and the column CHECKs. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final String COLUMNS =
            "id, name, role, pop, traffic_url, management_url, registered_at, last_heartbeat_at, last_applied,"
                    + " latitude, longitude, weight, public_url, addresses, health, draining, state_since";
    /** Most rows {@link #history} returns. */
    public static final int MAX_HISTORY = 500;

    /** Whether {@code value} is a valid node name (or POP): 1-63 letters, digits, '.', '_' or '-', not starting with those. */
    public static boolean isName(String value) {
        return NAME.matcher(value).matches();
    }

    /**
     * What a registration did.
     *
     * @param node the node as it is now
     * @param before its effective state before; empty when it registered for the first time
     */
    public record Registered(Node node, Optional<NodeState> before) {}

    /**
     * Registers {@code node}, or updates the node of that name (a restart, or a node that moved): its role,
     * POP, URLs, placement and log position are replaced, its registration time and heartbeat set to now, and
     * a new node is healthy (a node registers once it serves); {@code draining} is kept, so a drained node
     * that restarts stays drained, and so is {@code down}: a node the health checks took down comes back through
     * them ({@code health.rise} passes, more when it flaps), so a crash-looping node that registers at each
     * start does not slip past flap damping. A degraded node registers healthy (the checks judge its lag again). Writes a state change row (actor {@code node <name>}) when the effective
     * state changed, and bumps the routing version.
     */
    public Registered register(Connection connection, NodeRegistration node) throws SQLException {
        Optional<Node> before;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM nodes WHERE name = ? FOR UPDATE")) {
            select.setString(1, node.name());
            try (ResultSet rs = select.executeQuery()) {
                before = rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
        Node.Placement placement = node.placement();
        Node after;
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO nodes (name, role, pop, traffic_url, management_url, last_applied, latitude, longitude,"
                        + " weight, public_url, addresses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (name) DO UPDATE SET role = excluded.role, pop = excluded.pop,"
                        + " traffic_url = excluded.traffic_url, management_url = excluded.management_url,"
                        + " last_applied = excluded.last_applied, registered_at = now(), last_heartbeat_at = now(),"
                        + " latitude = excluded.latitude, longitude = excluded.longitude, weight = excluded.weight,"
                        + " public_url = excluded.public_url, addresses = excluded.addresses,"
                        + " health = CASE WHEN nodes.health = 'down' THEN 'down' ELSE 'healthy' END,"
                        + " state_since = CASE WHEN nodes.draining OR nodes.health <> 'degraded' THEN nodes.state_since"
                        + " ELSE now() END"
                        + " RETURNING " + COLUMNS)) {
            upsert.setString(1, node.name());
            upsert.setString(2, node.role().label());
            upsert.setString(3, node.pop());
            upsert.setString(4, node.trafficUrl());
            upsert.setString(5, node.managementUrl());
            upsert.setLong(6, node.lastApplied());
            upsert.setObject(7, placement.coordinates().map(Coordinates::latitude).orElse(null), Types.DOUBLE);
            upsert.setObject(8, placement.coordinates().map(Coordinates::longitude).orElse(null), Types.DOUBLE);
            upsert.setInt(9, placement.weight());
            upsert.setString(10, placement.publicUrl().orElse(null));
            upsert.setArray(11, connection.createArrayOf("text", placement.addresses().toArray()));
            try (ResultSet rs = upsert.executeQuery()) {
                rs.next();
                after = row(rs);
            }
        }
        Optional<NodeState> previous = before.map(Node::state);
        if (previous.isEmpty() || previous.get() != after.state()) {
            insertChange(connection, after.id(), previous, after.state(),
                    previous.isEmpty() ? "registered" : "registered again (the node serves)", "node " + node.name());
        }
        RoutingVersion.bump(connection);
        return new Registered(after, previous);
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

    /**
     * Changes node {@code id}'s health from {@code from} to {@code to}, if it is still {@code from} (another
     * admin may have changed it meanwhile), with a state change row and a routing version bump.
     *
     * @return whether it changed
     */
    public boolean changeHealth(Connection connection, long id, NodeState from, NodeState to, String reason, String actor)
            throws SQLException {
        if (!from.isHealth() || !to.isHealth()) {
            throw new IllegalArgumentException("health changes go between health states: " + from + " -> " + to);
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE nodes SET health = ?, state_since = CASE WHEN draining THEN state_since ELSE now() END"
                        + " WHERE id = ? AND health = ?")) {
            update.setString(1, to.label());
            update.setLong(2, id);
            update.setString(3, from.label());
            if (update.executeUpdate() == 0) {
                return false;
            }
        }
        insertChange(connection, id, Optional.of(from), to, reason, actor);
        RoutingVersion.bump(connection);
        return true;
    }

    /**
     * Sets or clears node {@code name}'s {@code draining}. Idempotent: when it already is as asked, nothing
     * is written. A change writes one state change row (from the effective state before to the one after)
     * and bumps the routing version.
     *
     * @return the node after, and whether it changed; empty when no node has that name
     */
    public Optional<Drained> setDraining(Connection connection, String name, boolean draining, String reason,
            String actor) throws SQLException {
        Optional<Node> before;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM nodes WHERE name = ? FOR UPDATE")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                before = rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
        if (before.isEmpty()) {
            return Optional.empty();
        }
        if (before.get().draining() == draining) {
            return Optional.of(new Drained(before.get(), false));
        }
        Node after;
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE nodes SET draining = ?, state_since = now() WHERE id = ? RETURNING " + COLUMNS)) {
            update.setBoolean(1, draining);
            update.setLong(2, before.get().id());
            try (ResultSet rs = update.executeQuery()) {
                rs.next();
                after = row(rs);
            }
        }
        insertChange(connection, after.id(), Optional.of(before.get().state()), after.state(), reason, actor);
        RoutingVersion.bump(connection);
        return Optional.of(new Drained(after, true));
    }

    /**
     * The outcome of {@link #setDraining}.
     *
     * @param node the node after
     * @param changed false when it already was as asked
     */
    public record Drained(Node node, boolean changed) {}

    /** Node {@code id}'s latest {@code limit} (1..{@value #MAX_HISTORY}) state changes, newest first. */
    public List<StateChange> history(Connection connection, long id, int limit) throws SQLException {
        if (limit < 1 || limit > MAX_HISTORY) {
            throw new IllegalArgumentException("limit out of 1.." + MAX_HISTORY + ": " + limit);
        }
        List<StateChange> changes = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, from_state, to_state, reason, actor, changed_at FROM node_state_changes"
                        + " WHERE node_id = ? ORDER BY id DESC LIMIT ?")) {
            select.setLong(1, id);
            select.setInt(2, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String from = rs.getString(2);
                    changes.add(new StateChange(rs.getLong(1), Optional.ofNullable(from).map(NodeState::of),
                            NodeState.of(rs.getString(3)), rs.getString(4), rs.getString(5),
                            rs.getObject(6, OffsetDateTime.class).toInstant()));
                }
            }
        }
        return changes;
    }

    private static void insertChange(Connection connection, long id, Optional<NodeState> from, NodeState to,
            String reason, String actor) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO node_state_changes (node_id, from_state, to_state, reason, actor) VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, id);
            insert.setString(2, from.map(NodeState::label).orElse(null));
            insert.setString(3, to.label());
            insert.setString(4, cut(reason, 1000));
            insert.setString(5, cut(actor, 300));
            insert.executeUpdate();
        }
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
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
                rs.getLong(9), placement(rs), NodeState.of(rs.getString(15)), rs.getBoolean(16),
                rs.getObject(17, OffsetDateTime.class).toInstant());
    }

    private static Node.Placement placement(ResultSet rs) throws SQLException {
        double latitude = rs.getDouble(10);
        Optional<Coordinates> coordinates = rs.wasNull() ? Optional.empty()
                : Optional.of(new Coordinates(latitude, rs.getDouble(11)));
        Array addresses = rs.getArray(14);
        List<String> list = addresses == null ? List.of() : List.of((String[]) addresses.getArray());
        return new Node.Placement(coordinates, rs.getInt(12), Optional.ofNullable(rs.getString(13)), list);
    }
}
