package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/stats}'s {@code byContentType} and {@code byUrlPattern}: heartbeats with the nodes'
 * cumulative {@code traffic.contentTypes} and {@code traffic.urlPatterns} sent through the agent endpoint,
 * dated back by SQL (as {@link StatsApiIT}), then the window's sums per label and tier, with restarts, a
 * label's own reset, older nodes that send no breakdown and hostile labels and counters.
 */
class TrafficBreakdownIT {
    private static final String S1 = "2026-11-25T03:00:00.000Z";
    private static final String S2 = "2026-11-25T04:00:00.000Z";
    private TestAdmin admin;
    private ApiClient reader;

    @BeforeEach
    void start() {
        admin = TestAdmin.start();
        reader = admin.as(admin.token("console", Scope.READ));
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private void register(String name, String role) {
        ApiClient.Reply reply = admin.node(name).post("/api/v1/nodes/register", "{\"name\": \"" + name + "\", \"role\": \""
                + role + "\", \"pop\": \"" + name.substring(name.indexOf('-') + 1) + "\", \"trafficUrl\":"
                + " \"http://127.0.0.1:8080\", \"managementUrl\": \"http://127.0.0.1:18080\", \"lastApplied\": 0}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    /** A heartbeat of {@code name} with {@code stats}, then dated {@code secondsAgo} back. */
    private void beat(String name, long secondsAgo, String stats) {
        ApiClient.Reply reply = admin.node(name).post("/api/v1/nodes/" + name + "/heartbeat",
                "{\"lastApplied\": 0, \"stats\": " + stats + "}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        admin.sql("UPDATE node_stats SET at = at - interval '" + secondsAgo + " seconds'"
                + " WHERE id = (SELECT max(id) FROM node_stats)");
    }

    /**
     * Traffic with {@code hits} hit requests in its totals, and the given breakdown members (raw JSON after the
     * totals, e.g. {@code "contentTypes": {...}}; empty for an older node).
     */
    private static String traffic(String startedAt, long hits, String breakdown) {
        return "{\"traffic\": {\"startedAt\": \"" + startedAt + "\", \"requests\": {\"hit\": " + hits + ", \"stale\": 0,"
                + " \"revalidated\": 0, \"miss\": 0, \"pass\": 0, \"error\": 0}, \"bytesServed\": 0, \"bytesUpstream\": 0,"
                + " \"upstreamRequests\": 0" + (breakdown.isEmpty() ? "" : ", " + breakdown) + "}}";
    }

    private static String figures(long requests, long hits, long bytes) {
        return "{\"requests\": " + requests + ", \"hits\": " + hits + ", \"bytesServed\": " + bytes + "}";
    }

    /** {@code "label": figures} pairs, comma-separated. */
    private static String label(String label, long requests, long hits, long bytes) {
        return "\"" + label + "\": " + figures(requests, hits, bytes);
    }

    private static void assertLine(JsonNode line, String label, long requests, long hits, Double hitRatio, long bytes) {
        assertThat(line.path("label").asText()).as("label in %s", line).isEqualTo(label);
        assertFigures(line, requests, hits, hitRatio, bytes);
    }

    private static void assertFigures(JsonNode json, long requests, long hits, Double hitRatio, long bytes) {
        assertThat(json.path("requests").asLong()).as("requests in %s", json).isEqualTo(requests);
        assertThat(json.path("hits").asLong()).as("hits in %s", json).isEqualTo(hits);
        if (hitRatio == null) {
            assertThat(json.path("hitRatio").isNull()).as("hitRatio in %s", json).isTrue();
        } else {
            assertThat(json.path("hitRatio").asDouble()).as("hitRatio in %s", json).isEqualTo(hitRatio);
        }
        assertThat(json.path("bytesServed").asLong()).as("bytesServed in %s", json).isEqualTo(bytes);
    }

    private static List<String> labels(JsonNode lines) {
        List<String> out = new ArrayList<>();
        lines.forEach(line -> out.add(line.path("label").asText()));
        return out;
    }

    @Test
    void sumsEachLabelsStepsOverTheWindowPerTier() {
        register("edge-nyc", "edge");
        register("edge-lon", "edge");
        register("shield-iad", "shield");
        // edge-nyc: a baseline before the window (its counts are not the window's), then steps
        beat("edge-nyc", 4000, traffic(S1, 100, "\"contentTypes\": {" + label("text/html", 100, 80, 10_000) + ", "
                + label("image/*", 50, 50, 5000) + "}, \"urlPatterns\": {" + label("/static/*", 50, 50, 5000) + ", "
                + label("other", 100, 80, 10_000) + "}"));
        // html +200/+170/+20000, image unchanged (no step), css new (from 0)
        beat("edge-nyc", 1000, traffic(S1, 400, "\"contentTypes\": {" + label("text/html", 300, 250, 30_000) + ", "
                + label("image/*", 50, 50, 5000) + ", " + label("text/css", 10, 5, 100) + "}, \"urlPatterns\": {"
                + label("/static/*", 60, 55, 5100) + ", " + label("other", 300, 250, 30_000) + "}"));
        // restarted: the row's own counters
        beat("edge-nyc", 600, traffic(S2, 5, "\"contentTypes\": {" + label("text/html", 5, 5, 500) + "}, \"urlPatterns\": {"
                + label("other", 5, 5, 500) + "}"));
        // the node's totals grow, but html's and other's own counters decreased: those labels reset
        beat("edge-nyc", 300, traffic(S2, 10, "\"contentTypes\": {" + label("text/html", 3, 3, 300) + ", "
                + label("image/*", 7, 0, 700) + "}, \"urlPatterns\": {" + label("other", 8, 3, 1000) + "}"));

        // edge-lon: an older node (no breakdown) is accepted and counts in the totals only
        beat("edge-lon", 3630, traffic(S1, 0, ""));
        beat("edge-lon", 1700, traffic(S1, 10, ""));
        // not objects: no breakdown steps, still a heartbeat
        beat("edge-lon", 1600, traffic(S1, 20, "\"contentTypes\": [1, 2], \"urlPatterns\": \"/static/*\""));
        // hostile: a 201-character label is ignored, a label that is not an object counts zeros, a string counter
        // counts 0, hits above requests are cut to requests; the previous row had no breakdown: from 0
        beat("edge-lon", 1500, traffic(S1, 50, "\"contentTypes\": {" + label("text/html", 20, 10, 2000) + ", "
                + label("x".repeat(201), 5, 5, 5) + ", \"application/json\": \"bad\"}, \"urlPatterns\": {"
                + "\"/api/*\": {\"requests\": \"7\", \"hits\": 1, \"bytesServed\": 100}, " + label("/img/*", 4, 9, 40) + "}"));

        // shield-iad: its own tier
        beat("shield-iad", 4000, traffic(S1, 10, "\"contentTypes\": {" + label("text/html", 10, 0, 1000) + "}"));
        beat("shield-iad", 1800, traffic(S1, 40, "\"contentTypes\": {" + label("text/html", 30, 15, 3000) + "},"
                + " \"urlPatterns\": {" + label("other", 20, 15, 2000) + "}"));

        ApiClient.Reply reply = reader.get("/api/v1/stats");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode stats = reply.json();
        assertThat(stats.path("cluster").path("requests").asLong()).as("totals unchanged").isEqualTo(300 + 5 + 5 + 50);

        JsonNode types = stats.path("byContentType");
        assertThat(labels(types)).as("by edge requests; unusable labels absent").containsExactly("text/html", "text/css",
                "image/*");
        assertLine(types.path(0), "text/html", 228, 188, 188.0 / 228, 22_800);
        assertFigures(types.path(0).path("tiers").path("edge"), 228, 188, 188.0 / 228, 22_800);
        assertFigures(types.path(0).path("tiers").path("shield"), 20, 15, 0.75, 2000);
        assertLine(types.path(1), "text/css", 10, 5, 0.5, 100);
        assertFigures(types.path(1).path("tiers").path("shield"), 0, 0, null, 0);
        assertLine(types.path(2), "image/*", 7, 0, 0.0, 700);
        assertThat(stats.path("byContentTypeOmitted").asInt()).isZero();

        JsonNode patterns = stats.path("byUrlPattern");
        assertThat(labels(patterns)).containsExactly("other", "/static/*", "/img/*", "/api/*");
        assertLine(patterns.path(0), "other", 213, 178, 178.0 / 213, 21_500);
        assertFigures(patterns.path(0).path("tiers").path("shield"), 20, 15, 0.75, 2000);
        assertLine(patterns.path(1), "/static/*", 10, 5, 0.5, 100);
        assertLine(patterns.path(2), "/img/*", 4, 4, 1.0, 40);
        assertLine(patterns.path(3), "/api/*", 0, 0, null, 100);
        assertThat(stats.path("byUrlPatternOmitted").asInt()).isZero();

        // a shorter window holds only the later steps: edge-nyc's last two (restart, label resets)
        JsonNode recent = reader.get("/api/v1/stats?window=15m").json();
        assertThat(labels(recent.path("byContentType"))).containsExactly("text/html", "image/*");
        assertLine(recent.path("byContentType").path(0), "text/html", 8, 8, 1.0, 800);
        assertLine(recent.path("byUrlPattern").path(0), "other", 13, 8, 8.0 / 13, 1500);
    }

    @Test
    void aNodeReportsAtMost64LabelsPerDimensionAndDeletingRowsDeletesTheirSteps() {
        register("edge-nyc", "edge");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 70; i++) {
            many.append(i == 0 ? "" : ", ").append(label(String.format("/p%02d/*", i), 1, 1, 1));
        }
        beat("edge-nyc", 120, traffic(S1, 0, ""));
        beat("edge-nyc", 60, traffic(S1, 70, "\"urlPatterns\": {" + many + "}"));

        JsonNode stats = reader.get("/api/v1/stats").json();
        assertThat(stats.path("byUrlPattern").size()).isEqualTo(64);
        assertThat(admin.count("SELECT count(*) FROM node_stats_breakdown")).isEqualTo(64);
        admin.sql("DELETE FROM node_stats");
        assertThat(admin.count("SELECT count(*) FROM node_stats_breakdown")).isZero();
        assertThat(reader.get("/api/v1/stats").json().path("byUrlPattern").size()).isZero();
    }
}
