package io.blueorigin.cdn.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.testkit.MetricsScrape;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestStack;
import java.net.URI;
import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;

/**
 * {@code PURGE} on a public edge cannot be used to flood admin: a client address whose attempts keep failing
 * is refused with 429 (JSON, {@code Retry-After}) before anything reaches admin, and nothing is purged.
 */
class EdgePurgeLimitIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void failedPurgesFromOneAddressAreLimitedWith429AndNothingIsPurged() throws Exception {
        try (TestStack s = TestStack.start(c -> c.withAdmin().edges("nyc").shields())) {
            ProxyNode edge = s.cdn.edge("nyc");
            await().atMost(Duration.ofSeconds(20)).until(() -> edge.control().readiness().ready());
            s.origin.on("/limited", Reply.ok("x").withHeader("Cache-Control", "max-age=600"));
            s.client.get(s.edge("nyc", "/limited"));
            URI target = s.edge("nyc", "/limited");
            AdminApi api = new AdminApi(s.cdn.admin().uri());
            String purger = api.token("purger", "purge", s.cdn.admin().bootstrapToken().orElseThrow());
            long lookupsBefore = s.cdn.admin().tokens().lookups();

            int refused = 0;
            ContentResponse reply;
            do {
                String token = refused % 2 == 0 ? "bo_" + "Z".repeat(43) : "not a bearer token";
                reply = TestClient.send(s.client.request(target).method("PURGE").headers(h -> h.put("Authorization",
                        token.startsWith("bo_") ? "Bearer " + token : token)));
                if (reply.getStatus() == 401) {
                    refused++;
                }
            } while (reply.getStatus() == 401 && refused < 1000);
            assertThat(refused).as("refused with 401 until the limit").isEqualTo(20);
            assertThat(reply.getStatus()).isEqualTo(429);
            assertThat(Long.parseLong(reply.getHeaders().get("Retry-After"))).isBetween(1L, 60L);
            JsonNode body = JSON.readTree(reply.getContentAsString());
            assertThat(body.path("error").asText()).isEqualTo("too_many_requests");
            assertThat(body.path("message").asText()).contains("too many failed PURGE attempts").contains("nothing was purged");
            assertThat(s.cdn.admin().tokens().lookups()).as("the bad token reached admin's database once at most")
                    .isLessThanOrEqualTo(lookupsBefore + 1);
            assertThat(MetricsScrape.of(s.cdn.admin().managementUri()).sum("cdn_admin_api_requests_total", "code", "4xx"))
                    .as("the edge asked admin about the bad token once, then answered from memory").isEqualTo(1);

            ContentResponse valid = TestClient.send(s.client.request(target).method("PURGE")
                    .headers(h -> h.put("Authorization", "Bearer " + purger)));
            assertThat(valid.getStatus()).as("the address is limited whatever the token, until its window ends").isEqualTo(429);
            assertThat(s.client.get(target).getHeaders().get("X-Cache")).as("nothing purged").isEqualTo("HIT");
            assertThat(MetricsScrape.of(edge.managementUri()).sum("cdn_rejected_requests_total", "reason", "unauthorized"))
                    .as("every refusal counted").isEqualTo(refused + 2);
            assertThat(api.get("/invalidations/recent", s.cdn.admin().bootstrapToken().orElseThrow()).body()
                    .path("invalidations").size()).isZero();
        }
    }
}
