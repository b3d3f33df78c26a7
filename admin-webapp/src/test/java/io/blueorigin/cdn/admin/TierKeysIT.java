package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tier keys nodes sign and verify {@code Blue-Origin-Invalidation} with: created at admin's first start,
 * handed to nodes (and to nodes only) with registration and heartbeat answers, rotated so that nodes sign
 * with a new version only once every live node has had three heartbeat intervals to learn it.
 */
class TierKeysIT {
    private TestAdmin admin;
    private ApiClient nyc;

    @BeforeEach
    void start() {
        admin = TestAdmin.start();
        nyc = admin.node("edge-nyc");
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private JsonNode register() {
        ApiClient.Reply reply = nyc.post("/api/v1/nodes/register", "{\"name\": \"edge-nyc\", \"role\": \"edge\", \"pop\": \"nyc\","
                + " \"trafficUrl\": \"http://127.0.0.1:8080\", \"managementUrl\": \"http://127.0.0.1:18080\", \"lastApplied\": 0}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().path("tierKeys");
    }

    private JsonNode beat() {
        ApiClient.Reply reply = nyc.post("/api/v1/nodes/edge-nyc/heartbeat", "{\"lastApplied\": 0}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().path("tierKeys");
    }

    @Test
    void nodesReceiveTheKeyWhenTheyRegisterAndBeat() {
        JsonNode keys = register();
        assertThat(keys.path("sign").asInt()).isEqualTo(1);
        assertThat(keys.path("keys").size()).isEqualTo(1);
        assertThat(keys.path("keys").path(0).path("version").asInt()).isEqualTo(1);
        assertThat(Base64.getUrlDecoder().decode(keys.path("keys").path(0).path("secret").asText())).hasSize(32);
        assertThat(beat()).isEqualTo(keys);
        assertThat(admin.count("SELECT count(*) FROM tier_keys")).as("one key, made once").isEqualTo(1);
    }

    @Test
    void aNewVersionIsSignedWithOnlyOnceItSettledAndOlderOnesGoAtTheNextRotation() {
        String first = register().path("keys").path(0).path("secret").asText();
        ApiClient.Reply rotated = admin.admin().post("/api/v1/tier-keys", "{}");
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
        assertThat(rotated.json().path("version").asInt()).isEqualTo(2);
        assertThat(rotated.json().path("signing").asInt()).as("not settled yet: nodes may not know it").isEqualTo(1);
        assertThat(rotated.body()).doesNotContain(first);

        JsonNode keys = beat();
        assertThat(keys.path("sign").asInt()).isEqualTo(1);
        assertThat(keys.path("keys").size()).as("verified with both meanwhile").isEqualTo(2);

        // three heartbeat intervals (3 x 10 s) later every live node has heard of version 2
        admin.sql("UPDATE tier_keys SET created_at = now() - interval '31 seconds' WHERE version = 2");
        assertThat(beat().path("sign").asInt()).isEqualTo(2);

        assertThat(admin.admin().post("/api/v1/tier-keys", "{}").json().path("version").asInt()).isEqualTo(3);
        JsonNode after = beat();
        assertThat(after.path("sign").asInt()).isEqualTo(2);
        assertThat(after.path("keys").findValuesAsText("version")).containsExactly("2", "3");
    }

    @Test
    void onlyAdminTokensRotateAndTheBodyIsAnEmptyObject() {
        assertThat(admin.as(admin.token("purger", Scope.PURGE)).post("/api/v1/tier-keys", "{}").status()).isEqualTo(403);
        assertThat(admin.admin().post("/api/v1/tier-keys", "{\"version\": 9}").message()).startsWith("version: unknown field");
        assertThat(admin.count("SELECT count(*) FROM tier_keys")).isEqualTo(1);
    }
}
