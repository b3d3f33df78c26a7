package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.admin.db.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Node tokens (scope {@code node}, bound to one node name): a node registers, beats, acks and long-polls as
 * itself only, and does nothing else; the node agent endpoints take no other token, so a purge token can no
 * longer act as any node. Every refusal is a 403 that names why, and changes nothing.
 */
class NodeTokensIT {
    private TestAdmin admin;

    @BeforeEach
    void start() {
        admin = TestAdmin.start();
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private static String registration(String name) {
        return "{\"name\": \"" + name + "\", \"role\": \"edge\", \"pop\": \"nyc\", \"trafficUrl\": \"http://127.0.0.1:8080\","
                + " \"managementUrl\": \"http://127.0.0.1:18080\", \"lastApplied\": 0}";
    }

    private static final String ACK = "{\"acks\": [{\"id\": 1, \"objectsAffected\": 0, \"appliedAt\": \"2026-11-25T03:20:01Z\"}]}";

    @Test
    void aNodeTokenActsAsItsNodeOnly() {
        ApiClient nyc = admin.node("edge-nyc");
        assertThat(nyc.post("/api/v1/nodes/register", registration("edge-nyc")).status()).isEqualTo(200);
        assertThat(nyc.post("/api/v1/nodes/edge-nyc/heartbeat", "{\"lastApplied\": 0}").status()).isEqualTo(200);
        assertThat(nyc.post("/api/v1/nodes/edge-nyc/acks", "{\"acks\": []}").status()).isEqualTo(200);
        assertThat(nyc.get("/api/v1/invalidations?after=0").status()).isEqualTo(200);

        admin.node("edge-lhr").post("/api/v1/nodes/register", registration("edge-lhr"));
        long beatsBefore = admin.count("SELECT count(*) FROM node_stats");
        ApiClient.Reply other = nyc.post("/api/v1/nodes/register", registration("edge-lhr"));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.message()).isEqualTo("token 'edge-nyc' is bound to node 'edge-nyc' and cannot act as node 'edge-lhr'");
        ApiClient.Reply beat = nyc.post("/api/v1/nodes/edge-lhr/heartbeat", "{\"lastApplied\": 99}");
        assertThat(beat.status()).isEqualTo(403);
        assertThat(beat.message()).contains("cannot act as node 'edge-lhr'");
        assertThat(nyc.post("/api/v1/nodes/edge-lhr/acks", ACK).status()).isEqualTo(403);
        assertThat(admin.count("SELECT count(*) FROM node_stats")).as("nothing recorded for lhr").isEqualTo(beatsBefore);
        assertThat(admin.count("SELECT last_applied FROM nodes WHERE name = 'edge-lhr'")).isZero();
        assertThat(admin.count("SELECT count(*) FROM invalidation_acks")).isZero();
    }

    @Test
    void aNodeTokenCannotPurgeReadOrManageTokens() {
        ApiClient nyc = admin.node("edge-nyc");
        for (ApiClient.Reply reply : new ApiClient.Reply[] {
            nyc.post("/api/v1/purge", "{\"urls\": [\"/a\"]}"),
            nyc.post("/api/v1/purge-all", "{}"),
            nyc.post("/api/v1/bans", "{\"kind\": \"prefix\", \"pattern\": \"/\", \"ttlSeconds\": 60}"),
            nyc.get("/api/v1/invalidations/recent"),
            nyc.get("/api/v1/nodes"),
            nyc.get("/api/v1/tokens"),
            nyc.post("/api/v1/tokens", "{\"name\": \"mine\", \"scopes\": [\"admin\"]}"),
            nyc.post("/api/v1/tier-keys", "{}")}) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(403);
            assertThat(reply.message()).startsWith("token 'edge-nyc' is the node token of 'edge-nyc': it may only call the"
                    + " node agent endpoints");
        }
        assertThat(admin.count("SELECT count(*) FROM invalidations")).isZero();
        assertThat(admin.count("SELECT count(*) FROM api_tokens WHERE name NOT LIKE 'console:%'")).isEqualTo(2);
    }

    @Test
    void purgeAndAdminTokensCannotActAsNodesAndAreToldHowToUpgrade() {
        ApiClient purger = admin.as(admin.token("nodes", Scope.PURGE));
        ApiClient.Reply register = purger.post("/api/v1/nodes/register", registration("edge-nyc"));
        assertThat(register.status()).isEqualTo(403);
        assertThat(register.message()).isEqualTo("POST /api/v1/nodes/register is for node agents and needs the node's own"
                + " token (scope node, bound to its name); token 'nodes' has [purge]: create one per node with POST"
                + " /api/v1/tokens {\"name\": \"edge-nyc\", \"scopes\": [\"node\"], \"node\": \"edge-nyc\"} and give it to"
                + " that node as control.token (CDN_CONTROL_TOKEN)");
        assertThat(purger.get("/api/v1/invalidations?after=0&wait=0").status()).isEqualTo(403);
        assertThat(purger.post("/api/v1/nodes/edge-nyc/heartbeat", "{\"lastApplied\": 0}").status()).isEqualTo(403);
        assertThat(admin.admin().post("/api/v1/nodes/register", registration("edge-nyc")).message())
                .startsWith("POST /api/v1/nodes/register is for node agents").contains("token 'bootstrap' has [read, purge, admin]");
        assertThat(admin.count("SELECT count(*) FROM nodes")).isZero();
        // what the purge token did for people it still does
        assertThat(purger.post("/api/v1/purge", "{\"urls\": [\"/a\"]}").status()).isEqualTo(202);
    }

    @Test
    void tokensAreCreatedForANodeThroughTheApiAndListedWithIt() {
        ApiClient api = admin.admin();
        ApiClient.Reply created = api.post("/api/v1/tokens", "{\"name\": \"edge nyc 2026\", \"scopes\": [\"node\"],"
                + " \"node\": \"edge-nyc\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("node").asText()).isEqualTo("edge-nyc");
        assertThat(created.json().path("scopes").toString()).isEqualTo("[\"node\"]");
        ApiClient nyc = admin.as(created.json().path("secret").asText());
        assertThat(nyc.post("/api/v1/nodes/register", registration("edge-nyc")).status()).isEqualTo(200);

        JsonNode listed = api.get("/api/v1/tokens").json().path("tokens").path(2); // 0: bootstrap, 1: console:admin
        assertThat(listed.path("node").asText()).isEqualTo("edge-nyc");
        assertThat(api.get("/api/v1/tokens").json().path("tokens").path(0).path("node").isNull()).isTrue();

        assertThat(api.post("/api/v1/tokens", "{\"name\": \"x\", \"scopes\": [\"node\"]}").message())
                .startsWith("node: required with scope node");
        assertThat(api.post("/api/v1/tokens", "{\"name\": \"x\", \"scopes\": [\"node\", \"purge\"], \"node\": \"edge-nyc\"}")
                .message()).startsWith("scopes: a node token has scope node alone");
        assertThat(api.post("/api/v1/tokens", "{\"name\": \"x\", \"scopes\": [\"purge\"], \"node\": \"edge-nyc\"}").message())
                .startsWith("node: only a node token");
        assertThat(api.post("/api/v1/tokens", "{\"name\": \"x\", \"scopes\": [\"node\"], \"node\": \"edge nyc\"}").message())
                .startsWith("node: 'edge nyc' (expected: 1-63 letters");
        assertThat(api.post("/api/v1/tokens", "{\"name\": \"x\", \"scopes\": [\"node\"], \"node\": 7}").message())
                .isEqualTo("node: expected a string");
        assertThat(admin.count("SELECT count(*) FROM api_tokens WHERE name NOT LIKE 'console:%'")).isEqualTo(2);
    }

    /** A database that ran the schema before node tokens (V0007) keeps its purge tokens, refused at node endpoints. */
    @Test
    void theMigrationKeepsExistingTokensForPeopleAndClosesTheNodeEndpointsToThem() throws Exception {
        String url = TestPostgres.freshDatabase();
        Flyway.configure().dataSource(url, "postgres", "postgres").locations(Database.MIGRATIONS).target("7").load().migrate();
        String secret = io.blueorigin.cdn.admin.db.ApiTokens.SECRET_PREFIX + "A".repeat(43);
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement()) {
            s.execute("INSERT INTO api_tokens (name, token_hash, token_prefix, scopes) VALUES ('old-nodes', decode('"
                    + java.util.HexFormat.of().formatHex(io.blueorigin.cdn.admin.db.ApiTokens.hash(secret))
                    + "', 'hex'), 'bo_AAAA', ARRAY['purge'])");
            s.execute("INSERT INTO api_tokens (name, token_hash, token_prefix, scopes) VALUES ('old-admin', decode('"
                    + "00".repeat(32) + "', 'hex'), 'bo_0000', ARRAY['admin'])");
        }
        try (TestAdmin upgraded = TestAdmin.start(url, Duration.ofSeconds(5))) {
            ApiClient old = upgraded.as(secret);
            assertThat(old.post("/api/v1/purge", "{\"urls\": [\"/a\"]}").status()).isEqualTo(202);
            ApiClient.Reply register = old.post("/api/v1/nodes/register", registration("edge-nyc"));
            assertThat(register.status()).isEqualTo(403);
            assertThat(register.message()).contains("create one per node with POST /api/v1/tokens");
            assertThat(upgraded.count("SELECT count(*) FROM api_tokens WHERE node_name IS NOT NULL")).isZero();
        }
    }
}
