package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code blue-origin admin user add NAME ROLE} with the password on standard input, against a real PostgreSQL. */
class UserAddCommandIT {
    private static int run(String url, String stdin, String... args) {
        InputStream in = System.in;
        PrintStream err = System.err;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            String[] all = new String[args.length + 6];
            all[0] = "admin";
            all[1] = "--db-url";
            all[2] = url;
            all[3] = "--db-user";
            all[4] = "postgres";
            all[5] = "user";
            System.arraycopy(args, 0, all, 6, args.length);
            return new CommandLine(new Main()).execute(all);
        } finally {
            System.setIn(in);
            System.setErr(err);
        }
    }

    @Test
    void addsAUserWithAnArgon2HashAndItsTokenAndRefusesBadInput() throws Exception {
        String url = TestDatabase.fresh();
        assertThat(run(url, "correct horse battery\n", "add", "alice", "purge")).isZero();
        assertThat(run(url, "correct horse battery\n", "add", "alice", "purge")).isEqualTo(Main.EXIT_CONFIG);
        assertThat(run(url, "short\n", "add", "bob", "read")).isEqualTo(Main.EXIT_CONFIG);
        assertThat(run(url, "correct horse battery\n", "add", "Bad Name", "read")).isEqualTo(Main.EXIT_CONFIG);
        assertThat(run(url, "correct horse battery\n", "add", "carol", "node")).isEqualTo(Main.EXIT_CONFIG);
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                ResultSet rs = c.createStatement().executeQuery("SELECT u.username, u.role, u.password_hash, t.name, t.scopes::text"
                        + " FROM console_users u JOIN api_tokens t ON t.id = u.token_id ORDER BY u.username")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("alice");
            assertThat(rs.getString(2)).isEqualTo("purge");
            assertThat(rs.getString(3)).startsWith("$argon2id$v=19$");
            assertThat(rs.getString(4)).isEqualTo("console:alice");
            assertThat(rs.getString(5)).isEqualTo("{purge}");
            assertThat(rs.next()).isFalse();
        }
    }
}
