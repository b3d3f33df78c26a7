package io.blueorigin.cdn.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.proxy.UpstreamConfig;
import io.blueorigin.cdn.proxy.control.ControlConfig;
import io.blueorigin.cdn.proxy.control.Placement;
import io.blueorigin.cdn.proxy.upstream.Upstream;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import io.blueorigin.cdn.shield.ShieldNode;
import io.blueorigin.cdn.testkit.TestStack;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An edge's shield ring follows admin's registry (issue 13, milestone 4's consistent hashing): a shield that
 * registers joins every edge's ring without a restart, taking about 1/N of the keys and only from the others;
 * drained, it leaves (the keys go back exactly where they were); stopped, admin's health checks mark it down
 * and it leaves too. Real admin on PostgreSQL, real shields and edge on ephemeral ports.
 */
class ShieldRingRegistryIT {
    private static final int KEYS = 3000;
    private static TestStack s;
    private static AdminApi api;
    private static String adminToken;

    @BeforeAll
    static void start() {
        s = TestStack.start(c -> c.withAdmin().shields("iad", "ord").edges("nyc"));
        api = new AdminApi(s.cdn.admin().uri());
        adminToken = s.cdn.admin().bootstrapToken().orElseThrow();
        await().atMost(Duration.ofSeconds(20)).until(() -> edge().control().shieldRingVersion() > 0);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private static ProxyNode edge() {
        return s.cdn.edge("nyc");
    }

    private static List<URI> ring() {
        return edge().cache().upstreams().all().stream().map(Upstream::url).sorted().toList();
    }

    private static Map<String, URI> owners() {
        Map<String, URI> owners = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            owners.put("/k/" + k, edge().cache().upstreams().select("/k/" + k).url());
        }
        return owners;
    }

    @Test
    void aShieldJoinsMovingAboutOneThirdOfTheKeysThenLeavesWhenDrainedAndWhenDown() {
        List<URI> before = ring();
        assertThat(before).hasSize(2);
        Map<String, URI> owners = owners();
        // it advertises "localhost": the URL it registers, and edges fetch from, uses that name (node.advertised-host)
        ProxyNode sfo = ShieldNode.start(ProxyConfig.of(NodeIdentity.of(Role.SHIELD, "sfo"), ServerConfig.ephemeral(),
                UpstreamConfig.of(s.origin.uri())).withControl(ControlConfig.of(s.cdn.admin().uri(),
                s.cdn.nodeToken("shield-sfo")).withHeartbeatInterval(Duration.ofSeconds(1))
                .withPlacement(Placement.none().withAdvertisedHost("localhost"))), java.time.Clock.systemUTC());
        URI sfoUrl = URI.create("http://localhost:" + sfo.uri().getPort());
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> ring().contains(sfoUrl));
            Map<String, URI> joined = owners();
            int moved = 0;
            for (var e : owners.entrySet()) {
                URI now = joined.get(e.getKey());
                if (!now.equals(e.getValue())) {
                    moved++;
                    assertThat(now).as("keys move only to the new shield").isEqualTo(sfoUrl);
                }
            }
            assertThat(moved).as("about 1/3 of %d keys move", KEYS).isBetween(KEYS / 5, KEYS / 2);

            AdminApi.Answer drained = api.post("/nodes/shield-sfo/drain", "{}", adminToken);
            assertThat(drained.status()).as(drained.toString()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> !ring().contains(sfoUrl));
            assertThat(owners()).as("drained: every key back where it was").isEqualTo(owners);

            assertThat(api.post("/nodes/shield-sfo/undrain", "{}", adminToken).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> ring().contains(sfoUrl));
        } finally {
            sfo.close();
        }
        await("a stopped shield is marked down by admin and leaves the ring").atMost(Duration.ofSeconds(20))
                .until(() -> ring().equals(before));
        assertThat(owners()).isEqualTo(owners);
    }
}
