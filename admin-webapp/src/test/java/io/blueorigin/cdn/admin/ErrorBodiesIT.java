package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When PostgreSQL refuses or fails a request, the client gets an error code, a message that says what to do
 * and a request id (the same as the {@code X-Request-ID} field), never PostgreSQL's text: table and
 * constraint names, or the failing row, stay in the admin's log. Here the database has a constraint and a
 * trigger the API knows nothing of, as an operator or a later schema might add.
 */
class ErrorBodiesIT {
    private TestAdmin admin;

    @BeforeEach
    void start() {
        admin = TestAdmin.start();
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    @Test
    void aValueThePostgresRefusesIsA400WithoutItsMessage() {
        admin.sql("ALTER TABLE api_tokens ADD CONSTRAINT house_rule_secret_7f3 CHECK (name NOT LIKE 'forbidden%')");
        ApiClient api = admin.admin();
        ApiClient.Reply reply = api.send(api.request("/api/v1/tokens").header("Content-Type", "application/json")
                .header("X-Request-ID", "req-42").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"forbidden-token\", \"scopes\": [\"read\"]}")));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("bad_request");
        assertThat(reply.message()).isEqualTo("the database refused a value of this request (SQLSTATE 23514); nothing was"
                + " changed. Check the values against docs/control-plane.md; the admin's log has the details under request"
                + " id req-42");
        assertThat(reply.json().path("requestId").asText()).isEqualTo("req-42");
        assertThat(reply.header("X-Request-ID")).contains("req-42");
        assertThat(reply.body()).doesNotContain("house_rule", "api_tokens", "violates", "Failing row", "forbidden-token",
                "ERROR");
        assertThat(admin.count("SELECT count(*) FROM api_tokens WHERE name NOT LIKE 'console:%'")).isEqualTo(1);
    }

    @Test
    void aStatementThatFailsIsA500WithARequestIdAndNothingOfTheFailure() {
        admin.sql("CREATE FUNCTION refuse_all() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " RAISE EXCEPTION 'internal detail % of the operator', NEW.payload; END $$;"
                + " CREATE TRIGGER refuse_all BEFORE INSERT ON invalidations FOR EACH ROW EXECUTE FUNCTION refuse_all()");
        ApiClient.Reply reply = admin.admin().post("/api/v1/purge", "{\"urls\": [\"/secret-path\"]}");
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.error()).isEqualTo("internal");
        String requestId = reply.json().path("requestId").asText();
        assertThat(requestId).isNotEmpty();
        assertThat(reply.header("X-Request-ID")).contains(requestId);
        assertThat(reply.message()).contains(requestId);
        assertThat(reply.body()).doesNotContain("internal detail", "secret-path", "invalidations", "plpgsql");
        assertThat(admin.count("SELECT count(*) FROM invalidations")).isZero();
        // a leak stays active for good; the health checker borrows one for a moment each health.interval
        org.awaitility.Awaitility.await("the failed transaction gave its connection back").atMost(java.time.Duration.ofSeconds(5))
                .pollInterval(java.time.Duration.ofMillis(10)).until(() -> ((com.zaxxer.hikari.HikariDataSource) admin.node
                        .database().dataSource()).getHikariPoolMXBean().getActiveConnections() == 0);
    }

    @Test
    void everyErrorBodyCarriesTheRequestId() {
        ApiClient.Reply anonymous = admin.anonymous().get("/api/v1/nodes");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().path("requestId").asText()).isNotEmpty().isEqualTo(anonymous.header("X-Request-ID").orElseThrow());
        ApiClient api = admin.admin();
        ApiClient.Reply hostile = api.send(api.request("/api/v1/nodes").header("X-Request-ID", "x".repeat(65)).GET());
        assertThat(hostile.header("X-Request-ID").orElseThrow()).as("a client's odd id is replaced").isNotEqualTo("x".repeat(65));
    }
}
