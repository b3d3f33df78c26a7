package io.blueorigin.cdn.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.blueorigin.cdn.httpcache.CacheKey;
import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.VaryKey;
import io.blueorigin.cdn.proxy.control.ControlConfig;
import io.blueorigin.cdn.proxy.control.ControlPlane;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.ReadinessCheck;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.storage.ObjectWriter;
import io.blueorigin.cdn.storage.StorageConfig;
import io.blueorigin.cdn.storage.tiered.TieredStore;
import io.blueorigin.cdn.testkit.TestStack;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node agent against a real admin, with its store's ban sweeps and tag removals held at a gate
 * ({@link GatedStore}): a long sweep or tag purge holds up neither the entries after it, nor acks, nor
 * heartbeats; and readiness tells "admin is down" (keep serving) from "this node cannot follow" (not ready).
 */
class ControlAgentIT {
    private static TestStack s;
    private static AdminApi api;
    private static String adminToken;
    private GatedStore store;
    private ControlPlane plane;

    @BeforeAll
    static void startAdmin() {
        s = TestStack.start(c -> c.withAdmin().edges().shields());
        api = new AdminApi(s.cdn.admin().uri());
        adminToken = s.cdn.admin().bootstrapToken().orElseThrow();
    }

    @AfterAll
    static void stopAdmin() {
        s.close();
    }

    @AfterEach
    void stop() {
        if (plane != null) {
            plane.close();
            assertThat(plane.local().waiting()).isZero();
        }
        if (store != null) {
            store.close();
        }
    }

    /** An agent for node edge-{@code pop} on a heap-only store behind gates, following admin with {@code token}. */
    private ControlPlane start(String pop, String token, URI admin, Duration startupWait) {
        store = new GatedStore(TieredStore.open(new StorageConfig(64L << 20, 1L << 20, Optional.empty(), 0, 4L << 20, 16 * 1024),
                "agent-" + pop));
        ControlConfig config = ControlConfig.of(admin, token).withHeartbeatInterval(Duration.ofSeconds(1))
                .withWaits(Duration.ofSeconds(25), Duration.ofSeconds(2), startupWait);
        plane = ControlPlane.create(config, NodeIdentity.of(Role.EDGE, pop), store, "default", Clock.systemUTC(),
                () -> URI.create("http://127.0.0.1:8080"), () -> URI.create("http://127.0.0.1:18080"),
                JsonNodeFactory.instance::objectNode);
        plane.startAgent();
        return plane;
    }

    private void put(String path, String... tags) {
        long now = System.currentTimeMillis() - 1000;
        CachedResponse r = new CachedResponse(200, List.of(), now, now, 0, 600_000, 0, 0, false, false, false,
                Optional.empty(), -1, -1, List.of(), VaryKey.NONE, List.of(tags), 1);
        ObjectWriter w = store.begin(key(path), r, 1);
        w.write(ByteBuffer.wrap(new byte[] {1}));
        w.commit(r);
    }

    private static String key(String path) {
        return CacheKey.of("default", path, null).asString();
    }

    private boolean held(String path) {
        return !store.lookupInMemory(key(path)).isEmpty();
    }

    private static JsonNode node(String name) {
        for (JsonNode node : api.get("/nodes", adminToken).body().path("nodes")) {
            if (node.path("name").asText().equals(name)) {
                return node;
            }
        }
        throw new AssertionError("node " + name + " is not registered");
    }

    /** The status line of entry {@code id} on node {@code name}. */
    private static JsonNode status(long id, String name) {
        for (JsonNode node : api.get("/invalidations/" + id, adminToken).body().path("nodes")) {
            if (node.path("name").asText().equals(name)) {
                return node;
            }
        }
        throw new AssertionError("no status of " + name + " for " + id);
    }

    private static void awaitAnotherHeartbeat(String name) {
        Instant before = Instant.parse(node(name).path("lastHeartbeatAt").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.parse(node(name).path("lastHeartbeatAt").asText()).isAfter(before));
    }

    @Test
    void aLongBanSweepHoldsUpNeitherLaterPurgesNorAcksNorHeartbeats() throws Exception {
        ControlPlane agent = start("sweep", s.cdn.nodeToken("edge-sweep"), s.cdn.admin().uri(), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.readiness().ready());
        put("/banned/1");
        put("/banned/2");
        put("/purged/1");
        put("/kept/1");

        long ban = api.invalidate("/bans", "{\"kind\": \"prefix\", \"pattern\": \"/banned/\", \"ttlSeconds\": 600}", adminToken);
        assertThat(store.sweeps.entered.await(10, TimeUnit.SECONDS)).as("the ban is swept through removeIf").isTrue();
        long stored = System.currentTimeMillis() - 1000;
        assertThat(agent.local().anyBanMatches(key("/banned/1"), stored)).as("screened at once, before its sweep").isTrue();

        long purge = api.invalidate("/purge", "{\"urls\": [\"/purged/1\"]}", adminToken);
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.local().lastApplied() >= purge && !held("/purged/1"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(status(purge, "edge-sweep").path("objectsAffected").asInt()).as("acked").isEqualTo(1));
        awaitAnotherHeartbeat("edge-sweep");
        assertThat(node("edge-sweep").path("lastApplied").asLong()).isGreaterThanOrEqualTo(purge);
        assertThat(store.sweeps.isOpen()).as("all of that while the sweep was still running").isFalse();
        assertThat(status(ban, "edge-sweep").path("objectsAffected").isNull()).as("the ban is acked once swept").isTrue();
        assertThat(held("/banned/1")).isTrue();

        store.sweeps.open();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(status(ban, "edge-sweep").path("objectsAffected").asInt()).isEqualTo(2));
        assertThat(held("/banned/1") || held("/banned/2")).isFalse();
        assertThat(held("/kept/1")).isTrue();
    }

    @Test
    void aLongTagPurgeDoesNotHoldUpHeartbeats() {
        ControlPlane agent = start("tags", s.cdn.nodeToken("edge-tags"), s.cdn.admin().uri(), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.readiness().ready());
        put("/tagged/1", "t");
        long tags = api.invalidate("/purge/tags", "{\"tags\": [\"t\", \"t\", \"t\"]}", adminToken);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.tagRemovals.entered.getCount() == 0);
        awaitAnotherHeartbeat("edge-tags");
        awaitAnotherHeartbeat("edge-tags");
        assertThat(store.tagRemovals.isOpen()).isFalse();
        store.tagRemovals.open();
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.local().lastApplied() >= tags);
        assertThat(held("/tagged/1")).isFalse();
    }

    /**
     * A node whose token admin refuses (here a purge token, as nodes had before node tokens) cannot follow the
     * log while admin is up: it says so in /readyz and turns not ready once control.startup-wait has passed.
     */
    @Test
    void aNodeThatCannotFollowAReachableAdminTurnsNotReady() {
        String purgeToken = api.token("old-nodes", "purge", adminToken);
        ControlPlane agent = start("refused", purgeToken, s.cdn.admin().uri(), Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ReadinessCheck.Result readiness = agent.readiness();
            assertThat(readiness.ready()).isFalse();
            assertThat(readiness.details()).containsKey("stuck");
            assertThat((String) readiness.details().get("error")).contains("403").contains("\"scopes\": [\"node\"]");
        });
        assertThat(agent.local().replayOver()).as("it serves meanwhile (a load balancer decides)").isTrue();
    }

    /** An admin that cannot be reached must not take nodes out of rotation: ready (after startup-wait), degraded. */
    @Test
    void aNodeWhoseAdminIsDownStaysReady() {
        ControlPlane agent = start("lonely", "bo_" + "N".repeat(43), URI.create("http://127.0.0.1:1"), Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ReadinessCheck.Result readiness = agent.readiness();
            assertThat(readiness.ready()).isTrue();
            assertThat(readiness.details()).containsKey("error").containsKey("degraded").doesNotContainKey("stuck");
        });
    }
}
