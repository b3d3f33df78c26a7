package io.blueorigin.cdn.admin.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.admin.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Database#inSnapshot} on a real PostgreSQL: one snapshot, read-only, and the pooled connection it used
 * goes back to the pool as it came (the mode is the transaction's, not the session's).
 */
class DatabaseSnapshotTest {
    private Database database;

    @BeforeEach
    void open() throws SQLException {
        // a pool of one: every call below gets the connection the snapshot used
        database = Database.open(new DatabaseConfig(TestPostgres.freshDatabase(), "postgres", "postgres", 1,
                Duration.ofSeconds(5), true), "snapshot-test");
        database.inTransaction(c -> execute(c, "CREATE TABLE t (v int)"));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aSnapshotIsRepeatableReadAndReadOnly() throws SQLException {
        database.inSnapshot(c -> {
            assertThat(text(c, "SHOW transaction_isolation")).isEqualTo("repeatable read");
            assertThat(text(c, "SHOW transaction_read_only")).isEqualTo("on");
            assertThatThrownBy(() -> execute(c, "INSERT INTO t VALUES (1)")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("read-only transaction");
            return null;
        });
    }

    @Test
    void theConnectionGoesBackReadWriteAndReadCommitted() throws SQLException {
        database.inSnapshot(c -> text(c, "SELECT 1"));

        database.inTransaction(c -> {
            assertThat(text(c, "SHOW transaction_isolation")).isEqualTo("read committed");
            assertThat(text(c, "SHOW transaction_read_only")).isEqualTo("off");
            return execute(c, "INSERT INTO t VALUES (1)");
        });
        String rows = database.inSnapshot(c -> text(c, "SELECT count(*) FROM t"));
        assertThat(rows).isEqualTo("1");
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
        return null;
    }
}
