package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code blue-origin admin migrate} takes the same flags as {@code admin}, after the subcommand as an operator
 * types them (no {@code --config} needed), against a real PostgreSQL: the schema is there afterwards.
 */
class MigrateCommandIT {
    @Test
    void migratesWithTheAdminFlagsAfterTheSubcommandAndNoConfigFile() throws Exception {
        String url = TestDatabase.fresh();
        assertThat(Main.run("admin", "migrate", "--db-url", url, "--db-user", "postgres")).isZero();
        assertThat(appliedMigrations(url)).isPositive();
        // a second run finds nothing to do and still succeeds
        assertThat(Main.run("admin", "migrate", "--db-url", url, "--db-user", "postgres")).isZero();
    }

    @Test
    void migratesWithTheFlagsBeforeTheSubcommandOrAConfigFileAfterIt(@TempDir Path dir) throws Exception {
        String before = TestDatabase.fresh();
        assertThat(Main.run("admin", "--db-url", before, "--db-user", "postgres", "migrate")).isZero();
        assertThat(appliedMigrations(before)).isPositive();

        String viaFile = TestDatabase.fresh();
        Path config = Files.writeString(dir.resolve("admin.yaml"), "db:\n  url: " + viaFile + "\n  user: postgres\n");
        assertThat(Main.run("admin", "migrate", "--config", config.toString())).isZero();
        assertThat(appliedMigrations(viaFile)).isPositive();
    }

    @Test
    void aMissingDatabaseUrlIsAConfigurationError() {
        assertThat(Main.run("admin", "migrate", "--db-user", "postgres")).isEqualTo(Main.EXIT_CONFIG);
    }

    private static int appliedMigrations(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT count(*) FROM flyway_schema_history WHERE success")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
