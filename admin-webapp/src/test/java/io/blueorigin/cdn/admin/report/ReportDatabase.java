package io.blueorigin.cdn.admin.report;

import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.TestPostgres;
import io.blueorigin.cdn.admin.db.Ack;
import io.blueorigin.cdn.admin.db.AckWriter;
import io.blueorigin.cdn.admin.db.ApiTokens;
import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.DatabaseConfig;
import io.blueorigin.cdn.admin.db.InvalidationLog;
import io.blueorigin.cdn.admin.db.NewInvalidation;
import io.blueorigin.cdn.admin.db.NodeRegistration;
import io.blueorigin.cdn.admin.db.Nodes;
import io.blueorigin.cdn.runtime.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh database of an embedded PostgreSQL (one per JVM, started on first use), migrated by admin's
 * {@link Database#open}, with helpers that fill it through admin's own table classes.
 */
final class ReportDatabase implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    final String jdbcUrl;
    final Database database;
    private final InvalidationLog log = new InvalidationLog(Duration.ofSeconds(5));
    private final Nodes nodes = new Nodes();

    private ReportDatabase(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
        this.database = Database.open(new DatabaseConfig(jdbcUrl, "postgres", "postgres", 4, Duration.ofSeconds(5), true),
                "report-test-" + COUNTER.get());
    }

    /** A new, migrated, empty database (on the admin tests' embedded PostgreSQL). */
    static ReportDatabase fresh() {
        return new ReportDatabase(TestPostgres.freshDatabase());
    }

    /** A token named {@code name} with {@code scopes}; its row id. */
    long token(String name, Scope... scopes) throws SQLException {
        new ApiTokens(database.dataSource()).create(name, List.of(scopes));
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT id FROM api_tokens WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    long append(NewInvalidation entry, long tokenId) throws SQLException {
        return database.inTransaction(c -> log.append(c, entry, tokenId));
    }

    /** Registers an edge or shield; its row id. */
    long register(String name, Role role, String pop, String managementUrl) throws SQLException {
        return database.inTransaction(c -> nodes.register(c, new NodeRegistration(name, role, pop, "http://127.0.0.1:1",
                managementUrl, 0)).node().id());
    }

    /** {@code nodeId} acknowledges entry {@code id} as applied {@code millis} after the entry was created. */
    void ack(long nodeId, long id, long millis) throws SQLException {
        Instant created = Instant.parse(text("SELECT to_char(created_at AT TIME ZONE 'UTC',"
                + " 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM invalidations WHERE id = " + id));
        String name = text("SELECT name FROM nodes WHERE id = " + nodeId);
        new AckWriter(database).record(name, List.of(new Ack(id, created.plusMillis(millis), 1))).orElseThrow();
    }

    void sql(String statement) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    String text(String query) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
