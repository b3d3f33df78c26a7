package io.blueorigin.cdn.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.proxy.UrlPatterns;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestStack;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;

/**
 * The traffic breakdown end to end: requests through a real edge and shield configured with
 * {@code stats.url-patterns}, counted by content type and URL pattern, carried by the heartbeats to admin on a
 * real PostgreSQL, and read back from {@code GET /api/v1/stats}.
 */
class TrafficBreakdownIT {
    private static final UrlPatterns PATTERNS = UrlPatterns.of(List.of("/static/*", "/api/*"));

    @Test
    void requestsThroughTheEdgeShowInTheStatsByContentTypeAndUrlPattern() {
        try (TestStack s = TestStack.start(c -> c.withAdmin().edges("nyc").shields("iad")
                .edgeConfig(e -> e.withUrlPatterns(PATTERNS)).shieldConfig(h -> h.withUrlPatterns(PATTERNS)))) {
            for (ProxyNode node : List.of(s.cdn.edge("nyc"), s.cdn.shield())) {
                await().atMost(Duration.ofSeconds(20)).until(() -> node.control().readiness().ready());
            }
            s.origin.on("/static/app.css", Reply.ok("body{}").withHeader("Content-Type", "text/css; charset=utf-8")
                    .withHeader("Cache-Control", "max-age=60"));
            s.origin.on("/api/items", Reply.ok("[1,2,3]").withHeader("Content-Type", "application/json")
                    .withHeader("Cache-Control", "no-store"));
            s.origin.on("/index.html", Reply.ok("<p>hello</p>").withHeader("Content-Type", "TEXT/HTML")
                    .withHeader("Cache-Control", "max-age=60"));
            for (String path : List.of("/static/app.css", "/static/app.css", "/api/items", "/index.html")) {
                ContentResponse r = s.client.get(s.edge("nyc", path));
                assertThat(r.getStatus()).as(path).isEqualTo(200);
            }
            AdminApi api = new AdminApi(s.cdn.admin().uri());
            String token = s.cdn.admin().bootstrapToken().orElseThrow();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                AdminApi.Answer stats = api.get("/stats?window=5m", token);
                assertThat(stats.status()).isEqualTo(200);
                JsonNode types = stats.body().path("byContentType");
                assertLine(types, "text/css", 2, 1, 2 * "body{}".length());
                assertLine(types, "application/json", 1, 0, "[1,2,3]".length());
                assertLine(types, "text/html", 1, 0, "<p>hello</p>".length());
                assertThat(types.size()).as("%s", types).isEqualTo(3);
                JsonNode patterns = stats.body().path("byUrlPattern");
                assertLine(patterns, "/static/*", 2, 1, 2 * "body{}".length());
                assertLine(patterns, "/api/*", 1, 0, "[1,2,3]".length());
                assertLine(patterns, "other", 1, 0, "<p>hello</p>".length());
                assertThat(patterns.size()).as("%s", patterns).isEqualTo(3);
                // the shield saw each edge miss once
                assertThat(find(patterns, "/static/*").at("/tiers/shield/requests").asLong()).isEqualTo(1);
                assertThat(find(types, "application/json").at("/tiers/shield/requests").asLong()).isEqualTo(1);
            });
        }
    }

    private static JsonNode find(JsonNode lines, String label) {
        for (JsonNode line : lines) {
            if (line.path("label").asText().equals(label)) {
                return line;
            }
        }
        throw new AssertionError("no " + label + " in " + lines);
    }

    /** The label's edge figures (the entry's own). */
    private static void assertLine(JsonNode lines, String label, long requests, long hits, long bytes) {
        JsonNode line = find(lines, label);
        assertThat(line.path("requests").asLong()).as("requests of %s", line).isEqualTo(requests);
        assertThat(line.path("hits").asLong()).as("hits of %s", line).isEqualTo(hits);
        assertThat(line.path("bytesServed").asLong()).as("bytesServed of %s", line).isEqualTo(bytes);
    }
}
