package io.blueorigin.cdn.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.testkit.MetricsScrape;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestStack;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Invalidation metrics on the nodes and the admin node's own {@code /metrics}. */
class ControlMetricsIT {

    @Test
    void aPurgeShowsOnAdminAsCommittedAndOnEveryNodeAsAppliedWithNoLag() {
        try (TestStack s = TestStack.start(c -> c.withAdmin().edges("nyc").shields("iad"))) {
            List<ProxyNode> nodes = List.of(s.cdn.edge("nyc"), s.cdn.shield());
            for (ProxyNode node : nodes) {
                await().atMost(Duration.ofSeconds(20)).until(() -> node.control().readiness().ready());
            }
            s.origin.on("/x", Reply.ok("x").withHeader("Cache-Control", "max-age=60"));
            s.client.get(s.edge("nyc", "/x"));
            AdminApi api = new AdminApi(s.cdn.admin().uri());
            String token = s.cdn.admin().bootstrapToken().orElseThrow();
            assertThat(api.post("/purge", "{\"urls\": [\"/x\"]}", "not-a-token").status()).isEqualTo(401);

            // both nodes wait in a long-poll, so the purge's notification wakes both
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    MetricsScrape.of(s.cdn.admin().managementUri()).sum("cdn_admin_longpolls_parked")).isEqualTo(2));

            long id = api.invalidate("/purge", "{\"urls\": [\"/x\"]}", token);

            for (ProxyNode node : nodes) {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    MetricsScrape m = MetricsScrape.of(node.managementUri());
                    assertThat(m.sum("cdn_invalidations_applied_total", "kind", "purge")).isEqualTo(1);
                    assertThat(m.sum("cdn_invalidations_applied_total")).isEqualTo(1);
                    assertThat(m.sum("cdn_invalidation_objects_total")).as("the object was cached at %s", node).isEqualTo(1);
                    assertThat(m.sum("cdn_invalidation_last_applied")).isEqualTo(id);
                    assertThat(m.sum("cdn_invalidation_lag_entries")).isZero();
                    assertThat(m.sum("cdn_invalidation_contact_age_seconds")).isBetween(0.0, 60.0);
                    // where the purge's time went: one entry timed per stage
                    assertThat(m.sum("cdn_invalidation_stage_seconds_count", "stage", "delivery")).isEqualTo(1);
                    assertThat(m.sum("cdn_invalidation_stage_seconds_count", "stage", "apply")).isEqualTo(1);
                    assertThat(m.type("cdn_invalidation_stage_seconds")).isEqualTo("summary");
                });
            }
            // the purge woke both nodes' long-polls: admin's share of its way to them, timed per answer
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    MetricsScrape.of(s.cdn.admin().managementUri()).sum("cdn_admin_longpoll_wake_seconds_count")).isEqualTo(2));
            MetricsScrape admin = MetricsScrape.of(s.cdn.admin().managementUri());
            assertThat(admin.sum("cdn_admin_invalidations_committed_total")).isEqualTo(1);
            assertThat(admin.sum("cdn_admin_api_requests_total", "code", "4xx")).isEqualTo(1);
            assertThat(admin.sum("cdn_admin_api_requests_total", "code", "2xx")).isGreaterThanOrEqualTo(1);
            assertThat(admin.sum("cdn_admin_notifications_listening")).isEqualTo(1);
            assertThat(admin.type("cdn_admin_api_requests_total")).isEqualTo("counter");
            assertThat(admin.samples()).filteredOn(x -> x.name().startsWith("cdn_admin_"))
                    .allSatisfy(x -> assertThat(x.labels()).containsEntry("role", "admin"));
            assertThat(admin.has("jvm_memory_heap_used")).isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    MetricsScrape.of(s.cdn.admin().managementUri()).sum("cdn_admin_longpolls_parked")).as("both nodes wait").isEqualTo(2));

            // the heartbeats carry the traffic totals: admin's stats count the one client request, a miss
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                AdminApi.Answer stats = api.get("/stats?window=5m", token);
                assertThat(stats.status()).isEqualTo(200);
                assertThat(stats.body().at("/tiers/edge/requests").asLong()).isEqualTo(1);
                assertThat(stats.body().at("/tiers/edge/hits").asLong()).isZero();
                assertThat(stats.body().at("/tiers/shield/requests").asLong()).isEqualTo(1);
            });
        }
    }
}
