package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.admin.AdminConfig;
import io.blueorigin.cdn.admin.AdminNode;
import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.db.ApiTokens;
import io.blueorigin.cdn.admin.db.DatabaseConfig;
import io.blueorigin.cdn.edge.EdgeNode;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.proxy.UpstreamConfig;
import io.blueorigin.cdn.proxy.control.ControlConfig;
import io.blueorigin.cdn.router.RouterConfig;
import io.blueorigin.cdn.router.RouterNode;
import io.blueorigin.cdn.runtime.Json;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestDatabase;
import io.blueorigin.cdn.testkit.TestOrigin;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover, as issue 13 asks it measured: a real edge process (edge-lhr) is SIGKILLed while a router follows
 * admin's health view; the time from the kill to the router's first answer that sends a London client to
 * edge-nyc instead is recorded, the edge is restarted, and it all repeats ({@code -Dfailover.kills=N}, 3 by
 * default; the note's figures come from 20). Admin runs the default health checks (500 ms interval, 400 ms
 * timeout, fall 2), so the expected time is about 1 s; only a generous bound is asserted (5 s, the design
 * guide's), and the distribution goes to {@code target/failover-kills.txt}.
 *
 * <p>Also shown: the killed edge comes back into routing once healthy again, with flap damping (each
 * comeback within the flap window needs more passed probes, so later rounds wait longer for it).
 */
class FailoverIT {
    private static final String LONDON = "/api/v1/route?ip=81.2.69.160";

    @Test
    void aKilledEdgeLeavesRoutingWithinSecondsAndComesBack(@TempDir Path dir) throws Exception {
        int kills = Integer.getInteger("failover.kills", 3);
        List<AutoCloseable> started = new ArrayList<>();
        try (TestClient client = new TestClient()) {
            TestOrigin origin = TestOrigin.start();
            started.add(origin);
            AdminNode admin = AdminNode.start(new AdminConfig(new NodeIdentity(Role.ADMIN, "admin-failover", "local"),
                    ServerConfig.ephemeral(), new DatabaseConfig(TestDatabase.fresh(), "postgres", "", 4,
                            Duration.ofSeconds(2), true), Optional.empty()));
            started.add(admin);
            String adminToken = admin.bootstrapToken().orElseThrow();
            DemoSites.declarePops(admin.uri(), adminToken, Map.of("nyc", Demo.POPS.get("nyc"), "lhr", Demo.POPS.get("lhr")));
            ApiTokens tokens = new ApiTokens(admin.database().dataSource());

            ProxyNode nyc = EdgeNode.start(ProxyConfig.of(NodeIdentity.of(Role.EDGE, "nyc"), ServerConfig.ephemeral(),
                    UpstreamConfig.of(origin.uri())).withControl(ControlConfig.of(admin.uri(), tokens.createNodeToken("edge-nyc"))));
            started.add(nyc);
            RouterNode router = RouterNode.start(RouterConfig.of(new NodeIdentity(Role.ROUTER, "router-failover", "local"),
                    ServerConfig.ephemeral(), admin.uri(), tokens.create("router", List.of(Scope.READ)), geoip(dir)));
            started.add(router);

            String lhrToken = tokens.createNodeToken("edge-lhr");
            List<Long> millis = new ArrayList<>();
            for (int round = 0; round < kills; round++) {
                NodeProcess lhr = NodeProcess.start(List.of("-Xmx128m"), "edge", "--host", "127.0.0.1", "--port", "0",
                        "--management-port", "0", "--pop", "lhr", "--upstream", origin.uri().toString(),
                        "--set", "control.admin-url=" + admin.uri(), "--set", "control.token=" + lhrToken);
                try {
                    await("edge-lhr back in routing (round " + round + ")").atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(50)).until(() -> routed(client, router).equals("edge-lhr"));
                    long killedAt = System.nanoTime();
                    lhr.kill();
                    await("London rerouted to edge-nyc after the kill (round " + round + ")").atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(10)).until(() -> routed(client, router).equals("edge-nyc"));
                    millis.add((System.nanoTime() - killedAt) / 1_000_000);
                } finally {
                    lhr.close();
                }
            }
            List<Long> sorted = millis.stream().sorted().toList();
            String report = "failover: kill -> first reroute over " + kills + " kill(s), ms: " + millis + "; min "
                    + sorted.get(0) + ", median " + sorted.get(sorted.size() / 2) + ", p90 "
                    + sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1) + ", max " + sorted.get(sorted.size() - 1) + "\n";
            System.out.print(report);
            Files.writeString(Path.of("target", "failover-kills.txt"), report);
            assertThat(sorted).as(report).allMatch(ms -> ms < 5_000);
        } finally {
            java.util.Collections.reverse(started);
            NodeRunner.closeAll(started);
        }
    }

    /** The node the router picks for a London client. */
    private static String routed(TestClient client, RouterNode router) throws Exception {
        ContentResponse r = client.get(router.uri().resolve(LONDON));
        return r.getStatus() != 200 ? "" : Json.MAPPER.readTree(r.getContentAsString()).path("choice").path("node").asText("");
    }

    /** MaxMind's test City database, from the launcher's demo resources. */
    private static Path geoip(Path dir) throws Exception {
        Path db = dir.resolve("GeoIP2-City-Test.mmdb");
        try (InputStream in = FailoverIT.class.getResourceAsStream("/demo/geoip/GeoIP2-City-Test.mmdb")) {
            Files.copy(in, db);
        }
        return db;
    }
}
