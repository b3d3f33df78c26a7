package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.admin.health.HealthCheckConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Active health checks against real /readyz stubs: down after {@code fall} failed probes, back after {@code rise}
 * passes, flap damping, the state change rows, and the lease shared by two admin replicas.
 */
class HealthCheckIT {
    /** Fast checks: every 100 ms, down after 2 failures, back after 2 passes. */
    private static final HealthCheckConfig FAST = new HealthCheckConfig(Duration.ofMillis(100), Duration.ofMillis(80),
            2, 2, Duration.ofSeconds(30), Duration.ofSeconds(60));
    private final ReadyzStub stub = new ReadyzStub();
    private String url;
    private TestAdmin admin;
    private TestAdmin replica;

    @BeforeEach
    void start() {
        url = TestPostgres.freshDatabase();
        admin = TestAdmin.start(url, Duration.ofSeconds(5), FAST);
    }

    @AfterEach
    void stop() {
        if (replica != null) {
            replica.close();
        }
        if (admin != null) {
            admin.close();
        }
        stub.close();
    }

    private void register(TestAdmin on, String name) {
        ApiClient.Reply reply = on.node(name).post("/api/v1/nodes/register", "{\"name\": \"" + name
                + "\", \"role\": \"edge\", \"pop\": \"lhr\", \"trafficUrl\": \"http://127.0.0.1:1\", \"managementUrl\": \""
                + stub.url() + "\", \"lastApplied\": 0}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    private String state(String name) {
        for (JsonNode node : admin.admin().get("/api/v1/nodes").json().path("nodes")) {
            if (node.path("name").asText().equals(name)) {
                return node.path("state").asText();
            }
        }
        throw new AssertionError("no node " + name);
    }

    private JsonNode history(String name) {
        ApiClient.Reply reply = admin.admin().get("/api/v1/nodes/" + name + "/history");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().path("history");
    }

    @Test
    void aFailingNodeGoesDownAfterFallProbesAndComesBackAfterRisePassesWithARowForEachChange() {
        register(admin, "edge-lhr");
        await().until(() -> stub.probes().size() >= 3);
        assertThat(state("edge-lhr")).isEqualTo("healthy");

        stub.answer(503);
        await().until(() -> state("edge-lhr").equals("down"));
        JsonNode down = history("edge-lhr").path(0);
        assertThat(down.path("from").asText()).isEqualTo("healthy");
        assertThat(down.path("to").asText()).isEqualTo("down");
        assertThat(down.path("reason").asText()).isEqualTo("2 failed probes: /readyz answered 503");
        assertThat(down.path("actor").asText()).isEqualTo("health-check " + admin.name());

        stub.answer(200);
        await().until(() -> state("edge-lhr").equals("healthy"));
        JsonNode up = history("edge-lhr").path(0);
        assertThat(up.path("from").asText()).isEqualTo("down");
        assertThat(up.path("reason").asText()).isEqualTo("2 passed probes");
        assertThat(admin.count("SELECT count(*) FROM node_state_changes WHERE actor LIKE 'health-check %'")).isEqualTo(2);
        assertThat(admin.count("SELECT version FROM routing_version")).isGreaterThanOrEqualTo(3); // register, down, up
    }

    @Test
    void aNodeThatFlapsNeedsMorePassesToComeBack() {
        register(admin, "edge-lhr");
        for (int round = 0; round < 2; round++) {
            stub.answer(503);
            await().until(() -> state("edge-lhr").equals("down"));
            stub.answer(200);
            await().until(() -> state("edge-lhr").equals("healthy"));
        }
        List<String> reasons = admin.admin().get("/api/v1/nodes/edge-lhr/history").json().path("history")
                .findValuesAsText("reason");
        // newest first: the second recovery needed twice rise
        assertThat(reasons.get(0)).isEqualTo("4 passed probes (flap damping: 2 downs within 60s)");
        assertThat(reasons.get(2)).isEqualTo("2 passed probes");
    }

    @Test
    void aDownNodeThatRegistersAgainStaysDownUntilItPassesRiseProbes() {
        register(admin, "edge-lhr");
        stub.answer(503);
        await().until(() -> state("edge-lhr").equals("down"));
        register(admin, "edge-lhr"); // a crash-looping node registers at each start, before the probes judge it
        assertThat(state("edge-lhr")).as("registering does not bypass the checks (nor flap damping)").isEqualTo("down");
        stub.answer(200);
        await().until(() -> state("edge-lhr").equals("healthy"));
        assertThat(history("edge-lhr").path(0).path("reason").asText()).isEqualTo("2 passed probes");
    }

    @Test
    void aRefusedConnectionIsAFailedProbe() {
        register(admin, "edge-lhr");
        await().until(() -> stub.probes().size() >= 1);
        stub.close();
        await().until(() -> state("edge-lhr").equals("down"));
        assertThat(history("edge-lhr").path(0).path("reason").asText()).isEqualTo("2 failed probes: connection refused");
    }

    @Test
    void twoReplicasProbeEachNodeOnceWhileOneHoldsTheLeaseAndTheOtherTakesOverWhenItStops() {
        await().until(admin.node::holdsHealthLease);
        replica = TestAdmin.start(url, Duration.ofSeconds(5), FAST);
        register(admin, "edge-lhr");
        await().until(() -> stub.probes().size() >= 10);
        assertThat(replica.node.holdsHealthLease()).isFalse();
        assertThat(stub.probes()).containsOnly(admin.name());

        int before = stub.probes().size();
        admin.close();
        admin = null;
        await().until(() -> replica.node.holdsHealthLease());
        await().until(() -> stub.probes().subList(before, stub.probes().size()).contains(replica.name()));
        List<String> after = stub.probes();
        int firstOfReplica = after.indexOf(replica.name());
        assertThat(after.subList(firstOfReplica, after.size())).containsOnly(replica.name());
    }
}
