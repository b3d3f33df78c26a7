package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node agent endpoints (register, heartbeat, acks), the node list and the per-node status of an entry. */
class NodesApiIT {
    private TestAdmin admin;

    @BeforeEach
    void start() {
        admin = TestAdmin.start();
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private static String registration(String name, String role, String pop, int port, long lastApplied) {
        return "{\"name\": \"" + name + "\", \"role\": \"" + role + "\", \"pop\": \"" + pop + "\", \"trafficUrl\": "
                + "\"http://127.0.0.1:" + port + "\", \"managementUrl\": \"http://127.0.0.1:" + (port + 10000)
                + "\", \"lastApplied\": " + lastApplied + "}";
    }

    private long purge(String url) {
        return admin.admin().post("/api/v1/purge", "{\"urls\": [\"" + url + "\"]}").json().path("id").asLong();
    }

    @Test
    void registeringAnswersTheLogBoundsAndTheActiveBans() {
        long purge = purge("/a");
        long ban = admin.admin().post("/api/v1/bans", "{\"kind\": \"prefix\", \"pattern\": \"/static/\", \"ttlSeconds\": 600}")
                .json().path("id").asLong();
        long expired = admin.admin().post("/api/v1/bans", "{\"kind\": \"host\", \"pattern\": \"old.example.com\", \"ttlSeconds\": 600}")
                .json().path("id").asLong();
        admin.sql("UPDATE invalidations SET ban_expires_at = now() - interval '1 second' WHERE id = " + expired);

        ApiClient.Reply reply = admin.node("edge-nyc").post("/api/v1/nodes/register", registration("edge-nyc", "edge", "nyc", 8080, 0));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode answer = reply.json();
        assertThat(answer.path("latest").asLong()).isEqualTo(expired);
        assertThat(answer.path("oldestRetained").asLong()).isEqualTo(1);
        assertThat(answer.path("activeBans").size()).isEqualTo(1);
        JsonNode active = answer.path("activeBans").path(0);
        assertThat(active.path("id").asLong()).isEqualTo(ban);
        assertThat(active.path("kind").asText()).isEqualTo("ban");
        assertThat(active.path("ban").path("pattern").asText()).isEqualTo("/static/");
        assertThat(active.path("urls").isEmpty()).isTrue();
        assertThat(purge).isLessThan(ban);
    }

    @Test
    void registeringAgainUpdatesTheNodeOfThatName() {
        admin.node("edge-nyc").post("/api/v1/nodes/register", registration("edge-nyc", "edge", "nyc", 8080, 0));
        ApiClient.Reply again = admin.node("edge-nyc").post("/api/v1/nodes/register", registration("edge-nyc", "edge", "ewr", 8090, 7));
        assertThat(again.status()).isEqualTo(200);

        JsonNode nodes = admin.admin().get("/api/v1/nodes").json().path("nodes");
        assertThat(nodes.size()).isEqualTo(1);
        JsonNode node = nodes.path(0);
        assertThat(node.path("name").asText()).isEqualTo("edge-nyc");
        assertThat(node.path("role").asText()).isEqualTo("edge");
        assertThat(node.path("pop").asText()).isEqualTo("ewr");
        assertThat(node.path("trafficUrl").asText()).isEqualTo("http://127.0.0.1:8090");
        assertThat(node.path("managementUrl").asText()).isEqualTo("http://127.0.0.1:18090");
        assertThat(node.path("lastApplied").asLong()).isEqualTo(7);
        assertThat(node.path("lag").asLong()).isZero();
        assertThat(node.path("alive").asBoolean()).isTrue();
        assertThat(Instant.parse(node.path("registeredAt").asText())).isBeforeOrEqualTo(Instant.parse(node.path("lastHeartbeatAt").asText()));
    }

    @Test
    void aHeartbeatRecordsLivenessPositionAndOneStatsRow() {
        admin.node("shield-iad").post("/api/v1/nodes/register", registration("shield-iad", "shield", "iad", 8082, 0));
        long id = purge("/a");
        purge("/b");
        ApiClient.Reply beat = admin.node("shield-iad").post("/api/v1/nodes/shield-iad/heartbeat",
                "{\"lastApplied\": " + id + ", \"stats\": {\"hits\": 12, \"ratio\": 0.75, \"tiers\": {\"heap\": [1, 2]}, \"note\": \"a'b\"}}");
        assertThat(beat.status()).as(beat.body()).isEqualTo(200);
        assertThat(beat.json().path("latest").asLong()).isEqualTo(id + 1);

        JsonNode node = admin.admin().get("/api/v1/nodes").json().path("nodes").path(0);
        assertThat(node.path("lastApplied").asLong()).isEqualTo(id);
        assertThat(node.path("lag").asLong()).isEqualTo(1);
        assertThat(admin.count("SELECT count(*) FROM node_stats s JOIN nodes n ON n.id = s.node_id"
                + " WHERE n.name = 'shield-iad' AND (s.stats->>'hits')::int = 12 AND s.stats->'tiers'->'heap'->>1 = '2'"
                + " AND s.stats->>'note' = 'a''b'")).isEqualTo(1);

        assertThat(admin.node("shield-iad").post("/api/v1/nodes/shield-iad/heartbeat", "{\"lastApplied\": " + id + "}").status()).isEqualTo(200);
        assertThat(admin.count("SELECT count(*) FROM node_stats")).isEqualTo(2);
    }

    @Test
    void heartbeatsAndAcksOfUnknownNodesAre404AndBadOnes400() {
        ApiClient.Reply unknown = admin.node("edge-xyz").post("/api/v1/nodes/edge-xyz/heartbeat", "{\"lastApplied\": 0}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.message()).isEqualTo("node 'edge-xyz' is not registered: POST /api/v1/nodes/register first");
        assertThat(admin.node("edge-xyz").post("/api/v1/nodes/edge-xyz/acks",
                "{\"acks\": [{\"id\": 1, \"objectsAffected\": 0, \"appliedAt\": \"2026-11-25T03:20:01.127Z\"}]}").status()).isEqualTo(404);

        admin.node("edge-nyc").post("/api/v1/nodes/register", registration("edge-nyc", "edge", "nyc", 8080, 0));
        String hb = "/api/v1/nodes/edge-nyc/heartbeat";
        assertThat(admin.node("edge-nyc").post(hb, "{\"stats\": {}}").message()).startsWith("lastApplied: required");
        assertThat(admin.node("edge-nyc").post(hb, "{\"lastApplied\": -1}").message()).isEqualTo("lastApplied: -1 is out of range (expected 0..)");
        assertThat(admin.node("edge-nyc").post(hb, "{\"lastApplied\": 0, \"stats\": [1]}").message()).isEqualTo("stats: expected a JSON object");
        assertThat(admin.node("edge-nyc").post(hb, "{\"lastApplied\": 0, \"stats\": {\"a\": \"x\\u0000y\"}}").message())
                .isEqualTo("stats.a: contains \\u0000, which PostgreSQL cannot store");
        assertThat(admin.node("edge-nyc").post(hb, "{\"lastApplied\": 0, \"stats\": {\"a\": 1e400}}").message()).isEqualTo("stats.a: number out of range");
        assertThat(admin.node("edge-nyc").post(hb, "{\"lastApplied\": 0, \"stats\": " + "{\"a\": ".repeat(40) + "1" + "}".repeat(41)).message())
                .contains("nested deeper than 32 levels");
        assertThat(admin.count("SELECT count(*) FROM node_stats")).isZero();

        String acks = "/api/v1/nodes/edge-nyc/acks";
        assertThat(admin.node("edge-nyc").post(acks, "{\"acks\": []}").json().path("acked").asInt()).isZero();
        assertThat(admin.node("edge-nyc").post(acks, "{}").message()).startsWith("acks: required");
        assertThat(admin.node("edge-nyc").post(acks, "{\"acks\": [{\"id\": 1, \"objectsAffected\": 0}]}").message())
                .startsWith("acks[0].appliedAt: required");
        assertThat(admin.node("edge-nyc").post(acks, "{\"acks\": [{\"id\": 1, \"objectsAffected\": 0, \"appliedAt\": \"yesterday\"}]}").message())
                .startsWith("acks[0].appliedAt: 'yesterday' is not an ISO-8601 UTC instant");
        assertThat(admin.node("edge-nyc").post(acks, "{\"acks\": [{\"id\": 0, \"objectsAffected\": 0, \"appliedAt\": \"2026-11-25T03:20:01Z\"}]}").message())
                .startsWith("acks[0].id: 0 is out of range");
        assertThat(admin.node("edge-nyc").post(acks, "{\"acks\": [{\"id\": 1, \"objectsAffected\": -2, \"appliedAt\": \"2026-11-25T03:20:01Z\"}]}").message())
                .startsWith("acks[0].objectsAffected: -2 is out of range");
    }

    @Test
    void registrationsAreValidated() {
        String register = "/api/v1/nodes/register";
        assertThat(admin.node("edge-nyc").post(register, registration("edge-nyc", "admin", "nyc", 8080, 0)).message())
                .isEqualTo("role: 'admin' (expected: edge or shield)");
        assertThat(admin.node("edge-nyc").post(register, registration("edge nyc", "edge", "nyc", 8080, 0)).message()).startsWith("name: 'edge nyc'");
        assertThat(admin.node("edge-nyc").post(register, registration("edge-nyc", "edge", "n/y", 8080, 0)).message()).startsWith("pop: 'n/y'");
        assertThat(admin.node("edge-nyc").post(register, registration("edge-nyc", "edge", "nyc", 8080, -1)).message()).startsWith("lastApplied: -1");
        assertThat(admin.node("edge-nyc").post(register, registration("edge-nyc", "edge", "nyc", 8080, 0).replace("http://127.0.0.1:8080", "ftp://x"))
                .message()).startsWith("trafficUrl: 'ftp://x'");
        assertThat(admin.node("edge-nyc").post(register, "{\"name\": \"edge-nyc\"}").message()).startsWith("role: required");
        assertThat(admin.count("SELECT count(*) FROM nodes")).isZero();
    }

    @Test
    void acksAreIdempotentAndTheStatusViewShowsEachNode() {
        admin.node("edge-nyc").post("/api/v1/nodes/register", registration("edge-nyc", "edge", "nyc", 8080, 0));
        admin.node("shield-iad").post("/api/v1/nodes/register", registration("shield-iad", "shield", "iad", 8082, 0));
        long id = purge("/item/1");
        JsonNode json = admin.admin().get("/api/v1/invalidations/" + id).json();
        assertThat(json.path("applied").asLong()).isZero();
        assertThat(json.path("pending").asLong()).isEqualTo(2);

        Instant appliedAt = Instant.parse(json.path("createdAt").asText()).plusMillis(4);
        String ack = "{\"acks\": [{\"id\": " + id + ", \"objectsAffected\": 1, \"appliedAt\": \"" + appliedAt + "\"},"
                + " {\"id\": 999999, \"objectsAffected\": 0, \"appliedAt\": \"" + appliedAt + "\"}]}";
        ApiClient.Reply acked = admin.node("edge-nyc").post("/api/v1/nodes/edge-nyc/acks", ack);
        assertThat(acked.status()).as(acked.body()).isEqualTo(200);
        assertThat(acked.json().path("acked").asInt()).isEqualTo(1);
        String later = ack.replace("\"objectsAffected\": 1", "\"objectsAffected\": 5").replace(appliedAt.toString(),
                appliedAt.plusSeconds(60).toString());
        assertThat(admin.node("edge-nyc").post("/api/v1/nodes/edge-nyc/acks", later).json().path("acked").asInt()).isEqualTo(1);
        assertThat(admin.count("SELECT count(*) FROM invalidation_acks")).isEqualTo(1);

        JsonNode status = admin.admin().get("/api/v1/invalidations/" + id).json();
        assertThat(status.path("applied").asLong()).isEqualTo(1);
        assertThat(status.path("pending").asLong()).isEqualTo(1);
        JsonNode shield = status.path("nodes").path(0);
        JsonNode edge = status.path("nodes").path(1);
        assertThat(shield.path("name").asText()).isEqualTo("shield-iad");
        assertThat(shield.path("status").asText()).isEqualTo("pending");
        assertThat(shield.path("appliedAt").isNull()).isTrue();
        assertThat(edge.path("name").asText()).isEqualTo("edge-nyc");
        assertThat(edge.path("role").asText()).isEqualTo("edge");
        assertThat(edge.path("pop").asText()).isEqualTo("nyc");
        assertThat(edge.path("status").asText()).isEqualTo("applied");
        assertThat(edge.path("objectsAffected").asLong()).isEqualTo(1); // the first ack is kept
        assertThat(Instant.parse(edge.path("appliedAt").asText())).isEqualTo(appliedAt);
        assertThat(edge.path("lagMs").asLong()).isEqualTo(4);

        // a shield silent for more than three heartbeat intervals (3 x 10 s) is down, not pending
        admin.sql("UPDATE nodes SET last_heartbeat_at = now() - interval '31 seconds' WHERE name = 'shield-iad'");
        JsonNode down = admin.admin().get("/api/v1/invalidations/" + id).json();
        assertThat(down.path("nodes").path(0).path("status").asText()).isEqualTo("down");
        assertThat(down.path("pending").asLong()).isZero();
        assertThat(admin.admin().get("/api/v1/nodes").json().path("nodes").path(0).path("alive").asBoolean()).isFalse();

        // a node that reports a position at or past the entry has applied it, even without an ack
        admin.node("shield-iad").post("/api/v1/nodes/shield-iad/heartbeat", "{\"lastApplied\": " + id + "}");
        JsonNode caughtUp = admin.admin().get("/api/v1/invalidations/" + id).json();
        assertThat(caughtUp.path("applied").asLong()).isEqualTo(2);
        assertThat(caughtUp.path("nodes").path(0).path("status").asText()).isEqualTo("applied");
        assertThat(caughtUp.path("nodes").path(0).path("objectsAffected").isNull()).isTrue();

        JsonNode recent = admin.admin().get("/api/v1/invalidations/recent").json().path("invalidations").path(0);
        assertThat(recent.path("id").asLong()).isEqualTo(id);
        assertThat(recent.path("applied").asLong()).isEqualTo(2);
        assertThat(recent.path("pending").asLong()).isZero();
    }
}
