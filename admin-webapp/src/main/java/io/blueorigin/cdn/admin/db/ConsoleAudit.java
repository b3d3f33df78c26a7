package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The {@code console_audit} table (V0016): who did what in the console, when, from where. */
public final class ConsoleAudit {
    private ConsoleAudit() {}

    /** One audit row. */
    public record Entry(long id, Instant at, String username, String action, String detail, String client) {
        public Entry {
            requireNonNull(at, "at is null");
        }
    }

    /** Appends a row; texts are cut to the column limits (a user name tried at login may be anything). */
    public static void record(Connection connection, String username, String action, String detail, String client)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO console_audit (username, action, detail,"
                + " client) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, cut(username.isEmpty() ? "(empty)" : username, 100));
            insert.setString(2, action);
            insert.setString(3, cut(detail, 2000));
            insert.setString(4, cut(client, 100));
            insert.executeUpdate();
        }
    }

    /** The newest rows with an id below {@code before} (0: from the newest), at most {@code limit}. */
    public static List<Entry> page(Connection connection, long before, int limit) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id, at, username, action, detail, client"
                + " FROM console_audit WHERE (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?")) {
            select.setLong(1, before);
            select.setLong(2, before);
            select.setInt(3, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6)));
                }
            }
        }
        return entries;
    }

    private static String cut(String text, int max) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > max ? clean.substring(0, max) : clean;
    }
}
