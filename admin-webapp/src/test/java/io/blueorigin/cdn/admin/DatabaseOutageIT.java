package io.blueorigin.cdn.admin;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopping under a running admin: every endpoint that needs it answers 503
 * {@code database_unavailable} promptly (nothing is committed, no request hangs past the pool's connect
 * timeout), and when PostgreSQL is back on the same data directory and port the admin recovers by itself:
 * pooled connections, the LISTEN connection, and long-polls woken by commits.
 */
class DatabaseOutageIT {
    /** The pool's connect timeout in this test: how long a request may wait before its 503. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path dataDirectory;
    private EmbeddedPostgres postgres;
    private TestAdmin admin;

    private EmbeddedPostgres startPostgres(int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(port).start();
    }

    @AfterEach
    void stop() throws IOException {
        if (admin != null) {
            admin.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void assertUnavailable(ApiClient.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.error()).isEqualTo("database_unavailable");
        assertThat(reply.header("Retry-After")).contains("1");
    }

    @Test
    void answers503WhileTheDatabaseIsDownAndRecoversWhenItIsBack() throws Exception {
        int port = freePort();
        postgres = startPostgres(port);
        admin = TestAdmin.start(postgres.getJdbcUrl("postgres", "postgres"), CONNECT_TIMEOUT);
        ApiClient api = admin.admin();
        ApiClient agent = admin.node("edge-nyc");
        assertThat(api.post("/api/v1/purge", "{\"urls\": [\"/before\"]}").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(admin.node::isListening);
        CompletableFuture<ApiClient.Reply> parked = agent.getAsync("/api/v1/invalidations?after=1&wait=25");
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.node.waitingLongPolls() == 1);

        postgres.close();
        postgres = null;

        // the parked poll re-queries (the listener is gone) and gets a 503, well before its 25 s wait
        assertUnavailable(parked.get(10, SECONDS));
        await().atMost(Duration.ofSeconds(10)).until(() -> !admin.node.isListening());
        assertUnavailable(api.getAsync("/api/v1/nodes").get(10, SECONDS));
        assertUnavailable(agent.getAsync("/api/v1/invalidations?after=0&wait=25").get(10, SECONDS));
        CompletableFuture<ApiClient.Reply> purge = CompletableFuture.supplyAsync(
                () -> api.post("/api/v1/purge", "{\"urls\": [\"/during\"]}"));
        assertUnavailable(purge.get(10, SECONDS));
        ApiClient management = new ApiClient(admin.node.managementUri(), Optional.empty());
        assertThat(management.get("/readyz").status()).isEqualTo(503);
        // even bad input: authentication needs the database before validation runs
        assertUnavailable(api.post("/api/v1/purge", "{\"urls\": []}"));

        postgres = startPostgres(port);

        // HikariCP retries connecting with a backoff of up to 5 s, so recovery takes a few seconds
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.post("/api/v1/purge", "{\"urls\": [\"/after\"]}").status() == 202);
        await().atMost(Duration.ofSeconds(20)).until(admin.node::isListening);
        assertThat(management.get("/readyz").status()).isEqualTo(200);
        assertThat(admin.count("SELECT count(*) FROM invalidations WHERE payload->'urls'->0->>'path' = '/during'")).isZero();

        long latest = agent.get("/api/v1/invalidations?after=0").json().path("latest").asLong();
        CompletableFuture<ApiClient.Reply> poll = agent.getAsync("/api/v1/invalidations?after=" + latest + "&wait=25");
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.node.waitingLongPolls() == 1);
        long id = api.post("/api/v1/purge", "{\"urls\": [\"/woken\"]}").json().path("id").asLong();
        assertThat(poll.get(10, SECONDS).json().path("entries").path(0).path("id").asLong()).isEqualTo(id);
    }
}
