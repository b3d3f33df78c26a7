package io.blueorigin.cdn.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.blueorigin.cdn.httpcache.CacheKey;
import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.VaryKey;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.proxy.control.ControlConfig;
import io.blueorigin.cdn.proxy.control.ControlPlane;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.storage.ObjectWriter;
import io.blueorigin.cdn.storage.StorageConfig;
import io.blueorigin.cdn.storage.tiered.TieredStore;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestStack;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lifting a ban ({@code DELETE /api/v1/bans/{id}}) end to end on a real PostgreSQL: admin, shield iad and edge nyc
 * follow the log; the lift reaches both, each drops the ban from its screen and acks it with 0 objects; and on a
 * node whose ban sweep is held at a gate ({@link GatedStore}), the lift waits for that sweep, so it never brings
 * back what the ban covered.
 */
class BanLiftIT {
    private static TestStack s;
    private static AdminApi api;
    private static String adminToken;

    @BeforeAll
    static void start() {
        s = TestStack.start(c -> c.withAdmin().edges("nyc").shields("iad"));
        api = new AdminApi(s.cdn.admin().uri());
        adminToken = s.cdn.admin().bootstrapToken().orElseThrow();
        for (ProxyNode node : nodes()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> node.control().readiness().ready());
        }
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private static List<ProxyNode> nodes() {
        return List.of(s.cdn.edge("nyc"), s.cdn.shield());
    }

    private static String xCache(String path) {
        return s.client.get(s.edge("nyc", path)).getHeaders().get("X-Cache");
    }

    private static void script(String path) {
        s.origin.on(path, Reply.ok("body of " + path).withHeader("Cache-Control", "max-age=600"));
    }

    /** The status rows of entry {@code id} on the stack's nodes, once both applied it. */
    private static List<JsonNode> appliedByBoth(long id) {
        JsonNode[] rows = new JsonNode[2];
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode status = api.get("/invalidations/" + id, adminToken).body();
            int i = 0;
            for (ProxyNode node : nodes()) {
                rows[i] = row(status, node.identity().name());
                assertThat(rows[i].path("status").asText()).as(status.toString()).isEqualTo("applied");
                i++;
            }
        });
        return List.of(rows);
    }

    private static JsonNode row(JsonNode status, String name) {
        for (JsonNode node : status.path("nodes")) {
            if (node.path("name").asText().equals(name)) {
                return node;
            }
        }
        throw new AssertionError("no status of " + name + " in " + status);
    }

    private static Object activeBans(ProxyNode node) {
        return node.control().readiness().details().get("activeBans");
    }

    @Test
    void aLiftReachesEveryNodeWhichStopsScreeningWithTheBan() {
        script("/b/old");
        s.client.get(s.edge("nyc", "/b/old"));
        assertThat(xCache("/b/old")).isEqualTo("HIT");

        long ban = api.invalidate("/bans", "{\"kind\": \"prefix\", \"pattern\": \"/b/\", \"ttlSeconds\": 600}", adminToken);
        appliedByBoth(ban);
        int fetched = s.origin.count("/b/old");
        assertThat(xCache("/b/old")).as("banned on the edge").isNotEqualTo("HIT");
        assertThat(s.origin.count("/b/old")).as("refilled from the origin").isGreaterThan(fetched);
        for (ProxyNode node : nodes()) {
            assertThat(activeBans(node)).as(node.identity().name()).isEqualTo(1);
        }

        AdminApi.Answer lift = api.delete("/bans/" + ban, adminToken);
        assertThat(lift.status()).as(lift.body().toString()).isEqualTo(202);
        long liftId = lift.body().path("id").asLong();
        for (JsonNode row : appliedByBoth(liftId)) {
            assertThat(row.path("objectsAffected").asInt()).as(row.toString()).isZero();
        }
        for (ProxyNode node : nodes()) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(activeBans(node)).as(node.identity().name()).isEqualTo(0));
        }

        script("/b/new");
        assertThat(xCache("/b/new")).isNotEqualTo("HIT");
        assertThat(xCache("/b/new")).as("a new object under the lifted prefix is stored").isEqualTo("HIT");
        assertThat(xCache("/b/old")).as("the refill after the ban stays").isEqualTo("HIT");

        AdminApi.Answer again = api.delete("/bans/" + ban, adminToken);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().toString()).contains("already lifted").contains("entry " + liftId);
    }

    @Test
    void aLiftWaitsForTheBansSweepSoItBringsNothingBack() throws Exception {
        GatedStore store = new GatedStore(TieredStore.open(new StorageConfig(64L << 20, 1L << 20, Optional.empty(), 0,
                4L << 20, 16 * 1024), "agent-lift"));
        ControlConfig config = ControlConfig.of(s.cdn.admin().uri(), s.cdn.nodeToken("edge-lift"))
                .withHeartbeatInterval(Duration.ofSeconds(1)).withWaits(Duration.ofSeconds(25), Duration.ofSeconds(2),
                        Duration.ofSeconds(30));
        try (ControlPlane agent = ControlPlane.create(config, NodeIdentity.of(Role.EDGE, "lift"), store, "default",
                Clock.systemUTC(), () -> URI.create("http://127.0.0.1:1"), () -> URI.create("http://127.0.0.1:2"),
                JsonNodeFactory.instance::objectNode)) {
            agent.startAgent();
            await().atMost(Duration.ofSeconds(20)).until(() -> agent.readiness().ready());
            long stored = System.currentTimeMillis() - 1000;
            put(store, "/gated/1", stored);
            String key = CacheKey.of("default", "/gated/1", null).asString();

            long ban = api.invalidate("/bans", "{\"kind\": \"prefix\", \"pattern\": \"/gated/\", \"ttlSeconds\": 600}",
                    adminToken);
            assertThat(store.sweeps.entered.await(10, TimeUnit.SECONDS)).as("the ban's sweep started").isTrue();
            AdminApi.Answer lift = api.delete("/bans/" + ban, adminToken);
            assertThat(lift.status()).as(lift.body().toString()).isEqualTo(202);
            long liftId = lift.body().path("id").asLong();
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.local().lastApplied() >= liftId);

            assertThat(agent.local().anyBanMatches(key, stored)).as("still screened: the sweep has not finished").isTrue();
            assertThat(row(api.get("/invalidations/" + liftId, adminToken).body(), "edge-lift").path("objectsAffected")
                    .isNull()).as("the lift is not acked before it is applied").isTrue();
            assertThat(store.sweeps.isOpen()).isFalse();

            store.sweeps.open();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(row(api.get("/invalidations/" + liftId,
                    adminToken).body(), "edge-lift").path("objectsAffected").isInt()).isTrue());
            assertThat(agent.local().anyBanMatches(key, stored)).as("lifted once swept").isFalse();
            assertThat(store.lookupInMemory(key).isEmpty()).as("what the ban swept stays removed").isTrue();
            assertThat(row(api.get("/invalidations/" + ban, adminToken).body(), "edge-lift").path("objectsAffected").asInt())
                    .isEqualTo(1);
        } finally {
            store.close();
        }
    }

    private static void put(GatedStore store, String path, long responseTime) {
        CachedResponse r = new CachedResponse(200, List.of(), responseTime, responseTime, 0, 600_000, 0, 0, false, false,
                false, Optional.empty(), -1, -1, List.of(), VaryKey.NONE, List.of(), 1);
        ObjectWriter w = store.begin(CacheKey.of("default", path, null).asString(), r, 1);
        w.write(ByteBuffer.wrap(new byte[] {1}));
        w.commit(r);
    }
}
