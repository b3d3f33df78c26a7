package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.admin.db.Retention;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retention: what is deleted, what is kept, and the gap-detection fields nodes read. */
class RetentionIT {
    private TestAdmin admin;
    private ApiClient agent;
    private Retention retention;

    @BeforeEach
    void start() {
        admin = TestAdmin.start();
        agent = admin.node("edge-nyc");
        retention = new Retention(admin.node.database(), Duration.ofDays(7));
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private long post(String path, String body) {
        ApiClient.Reply reply = admin.admin().post(path, body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        return reply.json().path("id").asLong();
    }

    private void age(long id, String interval) {
        admin.sql("UPDATE invalidations SET created_at = created_at - interval '" + interval + "' WHERE id = " + id);
    }

    private JsonNode register(long lastApplied) {
        return agent.post("/api/v1/nodes/register", "{\"name\": \"edge-nyc\", \"role\": \"edge\", \"pop\": \"nyc\","
                + " \"trafficUrl\": \"http://127.0.0.1:8080\", \"managementUrl\": \"http://127.0.0.1:18080\","
                + " \"lastApplied\": " + lastApplied + "}").json();
    }

    @Test
    void deletesOldEntriesWithTheirAcksAndAuditRowsButKeepsActiveBansAndRecentEntries() throws Exception {
        register(0);
        long oldPurge = post("/api/v1/purge", "{\"urls\": [\"/old\"]}");
        long activeBan = post("/api/v1/bans", "{\"kind\": \"prefix\", \"pattern\": \"/static/\", \"ttlSeconds\": 2592000}");
        long expiredBan = post("/api/v1/bans", "{\"kind\": \"prefix\", \"pattern\": \"/gone/\", \"ttlSeconds\": 60}");
        long oldTags = post("/api/v1/purge/tags", "{\"tags\": [\"item-3\"]}");
        long recent = post("/api/v1/purge", "{\"urls\": [\"/new\"]}");
        agent.post("/api/v1/nodes/edge-nyc/acks", "{\"acks\": [{\"id\": " + oldPurge
                + ", \"objectsAffected\": 1, \"appliedAt\": \"2026-01-01T00:00:00Z\"}]}");
        agent.post("/api/v1/nodes/edge-nyc/heartbeat", "{\"lastApplied\": 0, \"stats\": {\"old\": true}}");
        agent.post("/api/v1/nodes/edge-nyc/heartbeat", "{\"lastApplied\": 0, \"stats\": {\"old\": false}}");
        for (long id : List.of(oldPurge, activeBan, expiredBan, oldTags)) {
            age(id, "8 days");
        }
        admin.sql("UPDATE invalidations SET ban_expires_at = now() - interval '1 day' WHERE id = " + expiredBan);
        admin.sql("UPDATE node_stats SET at = at - interval '8 days' WHERE stats->>'old' = 'true'");
        assertThat(admin.count("SELECT count(*) FROM invalidation_acks")).isEqualTo(1);
        assertThat(admin.count("SELECT count(*) FROM surrogate_key_audit")).isEqualTo(1);
        admin.sql("INSERT INTO console_audit (at, username, action, detail, client) VALUES"
                + " (now() - interval '8 days', 'old', 'login', '', '127.0.0.1'), (now(), 'new', 'login', '', '127.0.0.1')");
        long user = admin.count("SELECT id FROM console_users WHERE username = 'admin'");
        admin.sql("INSERT INTO console_sessions (id_hash, user_id, csrf_token, expires_at, client) VALUES"
                + " (decode(repeat('aa', 32), 'hex'), " + user + ", repeat('c', 43), now() - interval '1 second', 'x'),"
                + " (decode(repeat('bb', 32), 'hex'), " + user + ", repeat('c', 43), now() + interval '1 hour', 'x')");

        Retention.Result result = retention.run();

        assertThat(result.entriesDeleted()).isEqualTo(3);
        assertThat(result.statsDeleted()).isEqualTo(1);
        assertThat(result.oldestRetained()).isEqualTo(oldTags + 1);
        assertThat(result.consoleDeleted()).isEqualTo(2); // the old audit row and the expired session
        assertThat(admin.count("SELECT count(*) FROM console_audit WHERE username = 'new'")).isEqualTo(1);
        assertThat(admin.count("SELECT count(*) FROM console_sessions")).isEqualTo(1);
        List<Long> left = new ArrayList<>();
        for (JsonNode entry : agent.get("/api/v1/invalidations?after=0").json().path("entries")) {
            left.add(entry.path("id").asLong());
        }
        assertThat(left).containsExactly(activeBan, recent);
        assertThat(admin.count("SELECT count(*) FROM invalidation_acks")).isZero();
        assertThat(admin.count("SELECT count(*) FROM surrogate_key_audit")).isZero();
        assertThat(admin.count("SELECT count(*) FROM node_stats")).isEqualTo(1);
        assertThat(admin.admin().get("/api/v1/invalidations/" + oldPurge).status()).isEqualTo(404);

        // a second run finds nothing more
        assertThat(retention.run()).isEqualTo(new Retention.Result(0, 0, oldTags + 1, 0));
    }

    @Test
    void oldestRetainedTellsANodeWhetherItMissedDeletedEntries() throws Exception {
        JsonNode fresh = register(0);
        assertThat(fresh.path("latest").asLong()).isZero();
        assertThat(fresh.path("oldestRetained").asLong()).isEqualTo(1);

        long first = post("/api/v1/purge", "{\"urls\": [\"/1\"]}");
        long second = post("/api/v1/purge", "{\"urls\": [\"/2\"]}");
        long third = post("/api/v1/purge", "{\"urls\": [\"/3\"]}");
        age(first, "8 days");
        age(second, "8 days");
        retention.run();

        JsonNode bounds = register(0);
        long oldestRetained = bounds.path("oldestRetained").asLong();
        assertThat(oldestRetained).isEqualTo(third);
        assertThat(bounds.path("latest").asLong()).isEqualTo(third);
        // lastApplied 0 < oldestRetained - 1: entries 1 and 2 are gone, the node must drop its cache
        assertThat(0L).isLessThan(oldestRetained - 1);
        // a node that had applied `second` misses nothing: it continues after it
        assertThat(second).isEqualTo(oldestRetained - 1);
        JsonNode poll = agent.get("/api/v1/invalidations?after=" + second).json();
        assertThat(poll.path("entries").path(0).path("id").asLong()).isEqualTo(third);
        assertThat(poll.path("oldestRetained").asLong()).isEqualTo(third);
    }

    @Test
    void anEmptiedLogKeepsItsLatestIdAndIsCompleteFromTheNextOne() throws Exception {
        long only = post("/api/v1/purge", "{\"urls\": [\"/1\"]}");
        age(only, "8 days");
        retention.run();

        JsonNode poll = agent.get("/api/v1/invalidations?after=0").json();
        assertThat(poll.path("entries").isEmpty()).isTrue();
        assertThat(poll.path("latest").asLong()).isEqualTo(only);
        assertThat(poll.path("oldestRetained").asLong()).isEqualTo(only + 1);

        long next = post("/api/v1/purge", "{\"urls\": [\"/2\"]}");
        JsonNode after = agent.get("/api/v1/invalidations?after=" + only).json();
        assertThat(after.path("entries").path(0).path("id").asLong()).isEqualTo(next);
        assertThat(after.path("oldestRetained").asLong()).isEqualTo(only + 1);
    }
}
