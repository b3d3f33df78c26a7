package io.blueorigin.cdn.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.admin.AdminNode;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestStack;
import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;

/**
 * Two admin replicas on one PostgreSQL, every node listing both in {@code control.admin-url} (issue 17): a purge
 * committed through either reaches every node, and when the replica the nodes follow dies they move to the other
 * one, where the next purges, acks, heartbeats and an edge's PURGE go; nothing committed is lost.
 */
class AdminFailoverIT {

    @Test
    void nodesMoveToTheOtherReplicaWhenTheOneTheyFollowDiesAndMissNoPurge() {
        try (TestStack s = TestStack.start(c -> c.adminReplicas(2).edges("nyc").shields("iad"))) {
            AdminNode first = s.cdn.admins().get(0);
            AdminNode second = s.cdn.admins().get(1);
            String token = first.bootstrapToken().orElseThrow();
            AdminApi viaSecond = new AdminApi(second.uri());
            for (int i = 1; i <= 4; i++) {
                s.origin.on("/o/" + i, Reply.ok("object " + i).withHeader("Cache-Control", "max-age=600"));
            }
            ProxyNode edge = s.cdn.edge("nyc");
            await().atMost(Duration.ofSeconds(20)).until(() -> edge.control().readiness().ready()
                    && s.cdn.shield().control().readiness().ready());
            assertThat(edge.control().readiness().details().get("admin")).isEqualTo(first.uri().toString());

            // the nodes follow the first replica; a purge committed through the second wakes their polls there
            warm(s, "/o/1");
            long id = viaSecond.invalidate("/purge", "{\"urls\": [\"/o/1\"]}", token);
            await().atMost(Duration.ofSeconds(10)).until(() -> !"HIT".equals(xCache(s, "/o/1")));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    viaSecond.get("/invalidations/" + id, token).body().path("applied").asInt() == 2);

            warm(s, "/o/2");
            warm(s, "/o/3");
            s.cdn.stopAdmin(first);
            long afterFailover = viaSecond.invalidate("/purge", "{\"urls\": [\"/o/2\"]}", token);
            await().atMost(Duration.ofSeconds(20)).until(() -> !"HIT".equals(xCache(s, "/o/2")));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(viaSecond.get("/invalidations/"
                    + afterFailover, token).body().path("applied").asInt()).as("both nodes acknowledge to the second").isEqualTo(2));
            assertThat(xCache(s, "/o/3")).as("only what was purged").isEqualTo("HIT");
            var details = edge.control().readiness().details();
            assertThat(details.get("admin")).isEqualTo(second.uri().toString());
            assertThat((Long) details.get("adminFailovers")).isPositive();
            assertThat(edge.control().readiness().ready()).isTrue();

            // a client's PURGE on the edge goes to the replica it follows now
            ContentResponse purged = TestClient.send(s.client.request(s.edge("nyc", "/o/3")).method("PURGE")
                    .headers(h -> h.put("Authorization", "Bearer " + token)));
            assertThat(purged.getStatus()).as(purged.getContentAsString()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> !"HIT".equals(xCache(s, "/o/3")));

            // and both nodes' heartbeats (every second here) reach the second replica's registry
            java.time.Instant stopped = java.time.Instant.now();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                var nodes = viaSecond.get("/nodes", token).body().path("nodes");
                assertThat(nodes.size()).isEqualTo(2);
                for (var node : nodes) {
                    assertThat(node.path("alive").asBoolean()).as(node.toString()).isTrue();
                    assertThat(java.time.Instant.parse(node.path("lastHeartbeatAt").asText())).as(node.toString())
                            .isAfter(stopped);
                }
            });
            assertThat(xCache(s, "/o/4")).isNotEqualTo("HIT");
            assertThat(xCache(s, "/o/4")).as("the edge keeps caching").isEqualTo("HIT");
        }
    }

    private static void warm(TestStack s, String path) {
        s.client.get(s.edge("nyc", path));
        assertThat(xCache(s, path)).isEqualTo("HIT");
    }

    private static String xCache(TestStack s, String path) {
        return s.client.get(s.edge("nyc", path)).getHeaders().get("X-Cache");
    }
}
