package io.blueorigin.cdn.admin;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A flood of requests with a refused token (unknown or revoked) does not reach the database: the refusal is
 * remembered (bounded, for a minute), so the pool stays free for real work. Shown with {@code api_tokens}
 * locked by another session: a lookup would wait for the lock, a remembered refusal does not.
 */
class TokenFloodIT {
    private static final String BAD = "bo_" + "B".repeat(43);
    private TestAdmin admin;

    @BeforeEach
    void start() {
        admin = TestAdmin.start();
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private int activeConnections() {
        return ((HikariDataSource) admin.node.database().dataSource()).getHikariPoolMXBean().getActiveConnections();
    }

    @Test
    void aRefusedTokenIsRefusedFromMemoryWithoutTakingAConnection() throws Exception {
        assertThat(admin.as(BAD).get("/api/v1/nodes").status()).isEqualTo(401);
        long lookups = admin.node.tokens().lookups();
        String url = admin.node.database().config().url();
        try (Connection locker = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = locker.createStatement()) {
            locker.setAutoCommit(false);
            s.execute("LOCK TABLE api_tokens IN ACCESS EXCLUSIVE MODE");
            List<CompletableFuture<ApiClient.Reply>> flood = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                flood.add(admin.as(BAD).getAsync(i % 2 == 0 ? "/api/v1/nodes" : "/api/v1/invalidations?after=0&wait=30"));
            }
            for (CompletableFuture<ApiClient.Reply> reply : flood) {
                ApiClient.Reply r = reply.get(10, SECONDS);
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.message()).startsWith("unknown or revoked token");
            }
            assertThat(admin.node.tokens().lookups()).as("no lookup reached the database").isEqualTo(lookups);
            // a leak stays active for good; the health checker borrows one for a moment each health.interval
            org.awaitility.Awaitility.await("no connection held").atMost(java.time.Duration.ofSeconds(5))
                    .pollInterval(java.time.Duration.ofMillis(10)).until(() -> activeConnections() == 0);
            locker.rollback();
        }
        assertThat(admin.admin().get("/api/v1/nodes").status()).as("real work goes on").isEqualTo(200);
        assertThat(admin.node.waitingLongPolls()).isZero();
    }

    @Test
    void aRevokedTokenIsRefusedAtOnceAndThenFromMemory() {
        ApiClient.Reply created = admin.admin().post("/api/v1/tokens", "{\"name\": \"leaked\", \"scopes\": [\"read\"]}");
        String secret = created.json().path("secret").asText();
        assertThat(admin.as(secret).get("/api/v1/nodes").status()).isEqualTo(200);
        assertThat(admin.admin().delete("/api/v1/tokens/" + created.json().path("id").asLong()).status()).isEqualTo(204);
        assertThat(admin.as(secret).get("/api/v1/nodes").status()).as("valid tokens are never cached").isEqualTo(401);
        long lookups = admin.node.tokens().lookups();
        for (int i = 0; i < 20; i++) {
            assertThat(admin.as(secret).get("/api/v1/nodes").status()).isEqualTo(401);
        }
        assertThat(admin.node.tokens().lookups()).isEqualTo(lookups);
        assertThat(admin.node.tokens().refusedRemembered()).isEqualTo(1);
    }
}
