package io.blueorigin.cdn.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.blueorigin.cdn.proxy.control.ControlConfig;
import io.blueorigin.cdn.proxy.control.ControlPlane;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.storage.StorageConfig;
import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.proxy.control.TierKeys;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestStack;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An edge signs the {@code Blue-Origin-Invalidation} field of its fetches with the tier key admin handed it
 * (here the edge fetches from the origin directly, so the origin shows what a shield would receive), and
 * after a rotation it switches to the new version only once that version has settled.
 */
class OrderingFieldIT {

    private static TierKeys keysOf(TestStack s) throws Exception {
        Map<Integer, byte[]> secrets = new HashMap<>();
        try (Connection c = s.cdn.admin().database().dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version, secret FROM tier_keys")) {
            while (rs.next()) {
                secrets.put(rs.getInt(1), rs.getBytes(2));
            }
        }
        return TierKeys.of(secrets.keySet().iterator().next(), secrets);
    }

    @Test
    void anEdgeSignsItsPositionWithTheTierKey() throws Exception {
        try (TestStack s = TestStack.start(c -> c.withAdmin().edges("nyc").shields())) {
            ProxyNode edge = s.cdn.edge("nyc");
            await().atMost(Duration.ofSeconds(20)).until(() -> edge.control().readiness().ready());
            AdminApi api = new AdminApi(s.cdn.admin().uri());
            String token = s.cdn.admin().bootstrapToken().orElseThrow();
            long id = api.invalidate("/purge", "{\"urls\": [\"/elsewhere\"]}", token);
            await().atMost(Duration.ofSeconds(10)).until(() -> edge.control().local().lastApplied() == id);

            s.origin.on("/signed", Reply.ok("x").withHeader("Cache-Control", "max-age=60"));
            s.client.get(s.edge("nyc", "/signed"));
            String field = s.origin.last("/signed").orElseThrow().header("Blue-Origin-Invalidation").orElseThrow();
            assertThat(field).startsWith(id + "; node=edge-nyc; key=1; sig=");
            assertThat(keysOf(s).verifiedId(field)).isEqualTo(id);

            // a new version: verified everywhere at once, signed with only once it settled (3 heartbeat intervals)
            assertThat(api.post("/tier-keys", "{}", token).status()).isEqualTo(201);
            try (Connection c = s.cdn.admin().database().dataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE tier_keys SET created_at = now() - interval '1 hour' WHERE version = 2");
            }
            s.origin.on("/signed2", Reply.ok("x").withHeader("Cache-Control", "max-age=60"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                s.client.get(s.edge("nyc", "/signed2?" + System.nanoTime()));
                assertThat(s.origin.last("/signed2").orElseThrow().header("Blue-Origin-Invalidation").orElseThrow())
                        .as("after a heartbeat the edge signs with version 2").contains("; key=2; ");
            });
            assertThat(keysOf(s).verifiedId(s.origin.last("/signed2").orElseThrow().header("Blue-Origin-Invalidation")
                    .orElseThrow())).isEqualTo(id);
        }
    }

    /**
     * The field covers the entry the edge is applying, not only the last one it finished: while a tag purge has
     * removed its objects but is not yet marked applied (held at a gate after the removal), a fetch for a removed
     * object must make the shield wait for that purge. Before, the field named the previous entry, the shield
     * answered from its not-yet-purged copy, and the edge stored the stale object again (purge-propagation.sh:
     * "the edges refilled without asking origin", 1 run in 5).
     */
    @Test
    void aFetchDuringAPurgesEffectsNamesThatPurge() throws Exception {
        try (TestStack s = TestStack.start(c -> c.withAdmin().edges("nyc").shields())) {
            AdminApi api = new AdminApi(s.cdn.admin().uri());
            String token = s.cdn.admin().bootstrapToken().orElseThrow();
            GatedStore store = GatedStore.holdingAfterTagRemovals(TieredStore.open(new StorageConfig(64L << 20, 1L << 20,
                    Optional.empty(), 0, 4L << 20, 16 * 1024), "agent-ordering"));
            ControlConfig config = ControlConfig.of(s.cdn.admin().uri(), s.cdn.nodeToken("edge-ordering"))
                    .withHeartbeatInterval(Duration.ofSeconds(1)).withWaits(Duration.ofSeconds(25), Duration.ofSeconds(2),
                            Duration.ofSeconds(30));
            try (ControlPlane agent = ControlPlane.create(config, NodeIdentity.of(Role.EDGE, "ordering"), store, "default",
                    Clock.systemUTC(), () -> URI.create("http://127.0.0.1:1"), () -> URI.create("http://127.0.0.1:2"),
                    JsonNodeFactory.instance::objectNode)) {
                agent.startAgent();
                await().atMost(Duration.ofSeconds(20)).until(() -> agent.readiness().ready()
                        && agent.local().signedOrdering().isPresent());
                long before = api.invalidate("/purge", "{\"urls\": [\"/elsewhere\"]}", token);
                await().atMost(Duration.ofSeconds(10)).until(() -> agent.local().lastApplied() == before);
                assertThat(keysOf(s).verifiedId(agent.local().signedOrdering().orElseThrow())).isEqualTo(before);

                long purge = api.invalidate("/purge/tags", "{\"tags\": [\"ordering-tag\"]}", token);
                assertThat(store.afterTagRemovals.entered.await(10, TimeUnit.SECONDS)).as("the tag purge removed its objects")
                        .isTrue();
                assertThat(agent.local().lastApplied()).as("not yet marked applied").isEqualTo(before);
                assertThat(keysOf(s).verifiedId(agent.local().signedOrdering().orElseThrow()))
                        .as("a fetch now makes the shield wait for the purge").isEqualTo(purge);

                store.afterTagRemovals.open();
                await().atMost(Duration.ofSeconds(10)).until(() -> agent.local().lastApplied() == purge);
                assertThat(keysOf(s).verifiedId(agent.local().signedOrdering().orElseThrow())).isEqualTo(purge);
            } finally {
                store.close();
            }
        }
    }

    /**
     * An edge's own {@code PURGE} is applied there at once, before the edge's agent reads it from the log (here the
     * agent is held at an earlier tag purge): from then on its fetches name that purge, so its shield waits for it
     * instead of handing back its unpurged copy.
     */
    @Test
    void anEdgesOwnPurgeIsNamedBeforeItsAgentReadsItFromTheLog() throws Exception {
        try (TestStack s = TestStack.start(c -> c.withAdmin().edges("nyc").shields())) {
            AdminApi api = new AdminApi(s.cdn.admin().uri());
            String token = s.cdn.admin().bootstrapToken().orElseThrow();
            GatedStore store = new GatedStore(TieredStore.open(new StorageConfig(64L << 20, 1L << 20, Optional.empty(), 0,
                    4L << 20, 16 * 1024), "agent-edge-purge"));
            ControlConfig config = ControlConfig.of(s.cdn.admin().uri(), s.cdn.nodeToken("edge-purging"))
                    .withHeartbeatInterval(Duration.ofSeconds(1)).withWaits(Duration.ofSeconds(25), Duration.ofSeconds(2),
                            Duration.ofSeconds(30));
            Server server = new Server(0);
            try (ControlPlane agent = ControlPlane.create(config, NodeIdentity.of(Role.EDGE, "purging"), store, "default",
                    Clock.systemUTC(), () -> URI.create("http://127.0.0.1:1"), () -> URI.create("http://127.0.0.1:2"),
                    JsonNodeFactory.instance::objectNode)) {
                agent.startAgent();
                await().atMost(Duration.ofSeconds(20)).until(() -> agent.readiness().ready()
                        && agent.local().signedOrdering().isPresent());
                server.setHandler(new Handler.Abstract() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback) {
                        agent.purges().orElseThrow().handle(request, response, callback);
                        return true;
                    }
                });
                server.start();
                long held = api.invalidate("/purge/tags", "{\"tags\": [\"held\"]}", token);
                assertThat(store.tagRemovals.entered.await(10, TimeUnit.SECONDS)).as("the agent is held").isTrue();

                HttpResponse<String> purged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort()
                                + "/edge-purged")).method("PURGE", HttpRequest.BodyPublishers.noBody())
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(purged.statusCode()).as(purged.body()).isEqualTo(200);
                long id = Long.parseLong(purged.body().replaceAll("(?s).*\"id\"\\s*:\\s*(\\d+).*", "$1"));
                assertThat(id).isGreaterThan(held);
                assertThat(agent.local().lastApplied()).as("the agent has not read it").isLessThan(held);
                assertThat(keysOf(s).verifiedId(agent.local().signedOrdering().orElseThrow())).isEqualTo(id);
                store.tagRemovals.open();
                await().atMost(Duration.ofSeconds(10)).until(() -> agent.local().lastApplied() == id);
            } finally {
                server.stop();
                store.close();
            }
        }
    }
}
