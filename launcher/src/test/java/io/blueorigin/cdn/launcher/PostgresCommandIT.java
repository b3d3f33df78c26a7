package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.FreePort;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code blue-origin postgres} (bench/fleet.sh's database): the port asked for, data kept across a restart, bad flags refused. */
class PostgresCommandIT {

    @Test
    void listensOnThePortAskedForAndKeepsItsDataAcrossARestart(@TempDir Path dir) throws Exception {
        int port = FreePort.take();
        try (DemoPostgres pg = DemoPostgres.start(dir, port)) {
            assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/postgres");
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", ""); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v int)");
                s.execute("INSERT INTO kept VALUES (17)");
            }
        }
        try (DemoPostgres pg = DemoPostgres.start(dir, port);
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT v FROM kept")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getInt(1)).isEqualTo(17);
        }
    }

    @Test
    void aPortOutOfRangeIsAStartupErrorNamingTheFlag(@TempDir Path dir) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("postgres", "--data-dir", dir.toString(), "--port", "70000")).isEqualTo(Main.EXIT_CONFIG);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("--port : 70000 (expected: 1..65535)");
    }
}
