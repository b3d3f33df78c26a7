package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.admin.db.ApiTokens;
import io.blueorigin.cdn.admin.db.DatabaseConfig;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import io.blueorigin.cdn.runtime.StartupException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminNodeIT {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    private static String freshDatabase(String name) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return postgres.getJdbcUrl("postgres", name);
    }

    private static AdminConfig config(String url, Optional<Path> tokenFile, boolean migrate) {
        return new AdminConfig(NodeIdentity.of(Role.ADMIN, "test"), ServerConfig.ephemeral(),
                new DatabaseConfig(url, "postgres", "postgres", 4, Duration.ofSeconds(5), migrate), tokenFile);
    }

    @Test
    void migratesAnswersHealthAndCreatesTheBootstrapTokenOnce(@TempDir Path dir) throws Exception {
        String url = freshDatabase("admin_boot");
        Path tokenFile = dir.resolve("admin.token");
        String secret;
        try (AdminNode admin = AdminNode.start(config(url, Optional.of(tokenFile), true))) {
            secret = admin.bootstrapToken().orElseThrow();
            assertThat(secret).startsWith(ApiTokens.SECRET_PREFIX);
            assertThat(Files.readString(tokenFile).trim()).isEqualTo(secret);
            assertThat(Files.getPosixFilePermissions(tokenFile)).containsExactlyInAnyOrder(
                    PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

            HttpResponse<String> healthz = CLIENT.send(HttpRequest.newBuilder(admin.managementUri().resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(healthz.statusCode()).isEqualTo(200);
            HttpResponse<String> readyz = CLIENT.send(HttpRequest.newBuilder(admin.managementUri().resolve("/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(readyz.statusCode()).isEqualTo(200);
            HttpResponse<String> index = CLIENT.send(HttpRequest.newBuilder(admin.uri().resolve("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(index.body()).contains("/api/v1");

            try (Connection c = admin.database().dataSource().getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT token_hash, scopes::text FROM api_tokens WHERE name NOT LIKE 'console:%'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBytes(1)).isEqualTo(ApiTokens.hash(secret));
                assertThat(rs.getString(2)).isEqualTo("{read,purge,admin}");
                assertThat(rs.next()).isFalse();
            }
        }
        try (AdminNode again = AdminNode.start(config(url, Optional.of(tokenFile), true))) {
            assertThat(again.bootstrapToken()).isEmpty();
            assertThat(Files.readString(tokenFile).trim()).isEqualTo(secret);
        }
    }

    @Test
    void refusesToRunOnAnUnmigratedSchemaWhenMigrationIsOff() throws Exception {
        String url = freshDatabase("admin_nomigrate");
        assertThatThrownBy(() -> AdminNode.start(config(url, Optional.empty(), false)))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("pending migration")
                .hasMessageContaining("blue-origin admin migrate");
    }

    @Test
    void anUnreachableDatabaseIsAStartupErrorNamingTheSettings() {
        String url = "jdbc:postgresql://127.0.0.1:1/nothing";
        assertThatThrownBy(() -> AdminNode.start(config(url, Optional.empty(), true)))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("db.url");
    }
}
