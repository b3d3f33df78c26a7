package io.blueorigin.cdn.admin.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code pops} table. Changes bump the routing version ({@link RoutingVersion}). Stateless. */
public final class Pops {
    private static final String COLUMNS = "name, latitude, longitude, updated_at";

    /** Every declared POP, by name. */
    public List<Pop> list(Connection connection) throws SQLException {
        List<Pop> pops = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM pops ORDER BY name");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                pops.add(row(rs));
            }
        }
        return pops;
    }

    public Optional<Pop> find(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM pops WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** Declares (or moves) POP {@code name}; bumps the routing version. */
    public Pop put(Connection connection, String name, Coordinates at) throws SQLException {
        Pop pop;
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO pops (name, latitude, longitude) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                        + " latitude = excluded.latitude, longitude = excluded.longitude, updated_at = now()"
                        + " RETURNING " + COLUMNS)) {
            upsert.setString(1, name);
            upsert.setDouble(2, at.latitude());
            upsert.setDouble(3, at.longitude());
            try (ResultSet rs = upsert.executeQuery()) {
                rs.next();
                pop = row(rs);
            }
        }
        RoutingVersion.bump(connection);
        return pop;
    }

    /** Forgets POP {@code name} (its nodes keep their own coordinates, if any); false if it was not declared. */
    public boolean delete(Connection connection, String name) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM pops WHERE name = ?")) {
            delete.setString(1, name);
            if (delete.executeUpdate() == 0) {
                return false;
            }
        }
        RoutingVersion.bump(connection);
        return true;
    }

    private static Pop row(ResultSet rs) throws SQLException {
        return new Pop(rs.getString(1), new Coordinates(rs.getDouble(2), rs.getDouble(3)),
                rs.getObject(4, OffsetDateTime.class).toInstant());
    }
}
