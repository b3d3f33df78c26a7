package io.blueorigin.cdn.admin.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The routing view's version ({@code routing_version}, one row). Every change routing depends on calls
 * {@link #bump} in its own transaction, which also notifies channel {@value #CHANNEL} with the new version:
 * the notification is delivered at commit, so a router woken by it reads the change. Bumps serialise on the
 * row lock, so versions are committed in increasing order. Stateless.
 */
public final class RoutingVersion {
    /** The channel {@link #bump} notifies, with the new version as payload. */
    public static final String CHANNEL = "cdn_routing";

    private RoutingVersion() {}

    /** Increments the version and notifies {@value #CHANNEL} at commit; returns the new version. */
    public static long bump(Connection connection) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE routing_version SET version = version + 1 RETURNING version, pg_notify('" + CHANNEL
                        + "', version::text)");
                ResultSet rs = update.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The current version (0: nothing ever changed). */
    public static long current(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT version FROM routing_version");
                ResultSet rs = select.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
