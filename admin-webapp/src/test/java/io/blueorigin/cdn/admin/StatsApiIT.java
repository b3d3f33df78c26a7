package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/stats}: heartbeats sent through the agent endpoints, then dated back by SQL to the
 * middle of a one-minute bucket (so a test that takes up to 30 s more still puts them in the same bucket).
 */
class StatsApiIT {
    private static final String S1 = "2026-11-25T03:00:00.000Z";
    private static final String S2 = "2026-11-25T04:00:00.000Z";
    private TestAdmin admin;
    private ApiClient agent;
    private ApiClient reader;

    @BeforeEach
    void start() {
        admin = TestAdmin.start();
        agent = admin.node("edge-nyc");
        reader = admin.as(admin.token("console", Scope.READ));
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private void register(String name, String role) {
        ApiClient.Reply reply = admin.node(name).post("/api/v1/nodes/register", "{\"name\": \"" + name + "\", \"role\": \"" + role
                + "\", \"pop\": \"" + name.substring(name.indexOf('-') + 1) + "\", \"trafficUrl\": \"http://127.0.0.1:8080\","
                + " \"managementUrl\": \"http://127.0.0.1:18080\", \"lastApplied\": 0}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    /** A heartbeat of {@code name} with {@code stats} (null: none), then dated {@code secondsAgo} back. */
    private void beat(String name, long secondsAgo, String stats) {
        ApiClient.Reply reply = admin.node(name).post("/api/v1/nodes/" + name + "/heartbeat",
                "{\"lastApplied\": 0" + (stats == null ? "" : ", \"stats\": " + stats) + "}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        admin.sql("UPDATE node_stats SET at = at - interval '" + secondsAgo + " seconds'"
                + " WHERE id = (SELECT max(id) FROM node_stats)");
    }

    private static String traffic(String startedAt, long hit, long stale, long miss, long served, long upstream) {
        return "{\"heap\": {\"entries\": 3}, \"disk\": {\"entries\": 9}, \"collapsed\": 3, \"traffic\": {\"startedAt\": \""
                + startedAt + "\", \"requests\": {\"hit\": " + hit + ", \"stale\": " + stale + ", \"revalidated\": 0,"
                + " \"miss\": " + miss + ", \"pass\": 0, \"error\": 0}, \"bytesServed\": " + served
                + ", \"bytesUpstream\": " + upstream + ", \"upstreamRequests\": " + miss + "}}";
    }

    /** {@code secondsAgo} for the middle of bucket {@code i} of the one-hour window (60 one-minute buckets). */
    private static long bucket(int i) {
        return (59 - i) * 60L + 30;
    }

    private static void assertFigures(JsonNode json, long requests, long hits, Double hitRatio, long served, long upstream) {
        assertCounts(json, requests, hits, hitRatio);
        assertThat(json.path("bytesServed").asLong()).as("bytesServed in %s", json).isEqualTo(served);
        assertThat(json.path("bytesUpstream").asLong()).as("bytesUpstream in %s", json).isEqualTo(upstream);
        assertThat(json.path("bytesSaved").asLong()).as("bytesSaved in %s", json).isEqualTo(served - upstream);
    }

    @Test
    void answersTheClusterTiersNodesAndSeriesOfTheWindow() {
        register("edge-nyc", "edge");
        register("edge-lon", "edge");
        register("edge-new", "edge");
        register("shield-iad", "shield");
        // edge-nyc: a baseline before the window, a step, a restart, a step
        beat("edge-nyc", 4000, traffic(S1, 1000, 0, 100, 100_000, 10_000));
        beat("edge-nyc", bucket(29), traffic(S1, 1900, 10, 190, 190_000, 19_000)); // 1000 requests, 910 hits
        beat("edge-nyc", bucket(49), traffic(S2, 90, 0, 10, 5000, 1000)); // restarted: 100 requests, 90 hits
        beat("edge-nyc", bucket(59), traffic(S2, 190, 0, 10, 15_000, 1000)); // 100 requests, 100 hits
        // edge-lon: heartbeats without traffic in between are skipped; more upstream than served
        beat("edge-lon", 3630, traffic(S1, 0, 0, 0, 0, 0));
        beat("edge-lon", bucket(29), null);
        beat("edge-lon", bucket(29) - 10, "{\"heap\": {\"entries\": 1}}");
        beat("edge-lon", bucket(30), traffic(S1, 300, 0, 100, 40_000, 50_000));
        // edge-new: only unusable counters (a first row is a baseline; then nothing changes)
        beat("edge-new", bucket(40), "{\"traffic\": {\"requests\": {\"hit\": \"x\"}, \"bytesServed\": \"1\"}}");
        beat("edge-new", bucket(41), "{\"traffic\": {\"requests\": {\"hit\": \"x\"}, \"bytesServed\": \"1\"}}");
        // shield-iad
        beat("shield-iad", 4000, traffic(S1, 0, 0, 0, 0, 0));
        beat("shield-iad", bucket(29), traffic(S1, 50, 0, 50, 20_000, 15_000));

        ApiClient.Reply reply = reader.get("/api/v1/stats");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode stats = reply.json();
        assertThat(stats.path("window").asText()).isEqualTo("1h");
        Instant from = Instant.parse(stats.path("from").asText());
        Instant to = Instant.parse(stats.path("to").asText());
        assertThat(Duration.between(from, to)).isEqualTo(Duration.ofHours(1));
        assertThat(stats.path("bucketSeconds").asLong()).isEqualTo(60);

        // the cluster is the edge tier, with the shields' upstream bytes (what reached the origin)
        assertFigures(stats.path("cluster"), 1600, 1400, 0.875, 145_000, 15_000);
        assertThat(stats.path("cluster").path("upstreamTier").asText()).isEqualTo("shield");
        assertFigures(stats.path("tiers").path("edge"), 1600, 1400, 0.875, 145_000, 60_000);
        assertFigures(stats.path("tiers").path("shield"), 100, 50, 0.5, 20_000, 15_000);

        JsonNode nodes = stats.path("nodes");
        assertThat(nodes.size()).isEqualTo(4);
        List<String> names = new ArrayList<>();
        nodes.forEach(node -> names.add(node.path("name").asText()));
        assertThat(names).containsExactly("shield-iad", "edge-lon", "edge-new", "edge-nyc");
        assertThat(nodes.path(0).path("role").asText()).isEqualTo("shield");
        assertThat(nodes.path(0).path("pop").asText()).isEqualTo("iad");
        assertThat(Instant.parse(nodes.path(0).path("lastHeartbeatAt").asText())).isBetween(from, to);
        assertFigures(nodes.path(0), 100, 50, 0.5, 20_000, 15_000);
        assertFigures(nodes.path(1), 400, 300, 0.75, 40_000, 50_000); // bytesSaved -10000, as is
        assertFigures(nodes.path(2), 0, 0, null, 0, 0);
        assertFigures(nodes.path(3), 1200, 1100, 1100.0 / 1200, 105_000, 10_000);

        JsonNode series = stats.path("series");
        assertThat(series.size()).isEqualTo(60);
        long requests = 0;
        long hits = 0;
        long served = 0;
        long upstream = 0;
        for (int i = 0; i < 60; i++) {
            JsonNode point = series.path(i);
            assertThat(Instant.parse(point.path("at").asText())).isEqualTo(from.plusSeconds(60L * i));
            requests += point.path("requests").asLong();
            hits += point.path("hits").asLong();
            served += point.path("bytesServed").asLong();
            upstream += point.path("bytesUpstream").asLong();
            if (i != 29 && i != 30 && i != 49 && i != 59) {
                assertThat(point.path("requests").asLong()).as("bucket %d", i).isZero();
            }
        }
        assertThat(List.of(requests, hits, served, upstream)).containsExactly(1600L, 1400L, 145_000L, 15_000L);
        assertThat(series.path(29).toString()).isEqualTo("{\"at\":\"" + series.path(29).path("at").asText()
                + "\",\"requests\":1000,\"hits\":910,\"bytesServed\":90000,\"bytesUpstream\":15000}");
        assertThat(series.path(30).path("requests").asLong()).isEqualTo(400);
        assertThat(series.path(30).path("bytesUpstream").asLong()).isZero(); // the shields fetched nothing then
        assertThat(series.path(49).path("hits").asLong()).isEqualTo(90);
        assertThat(series.path(59).path("bytesServed").asLong()).isEqualTo(10_000);
    }

    /** Traffic with {@code hits} hit requests in its totals and {@code traffic.sites} = {@code {sites}}. */
    private static String sites(String startedAt, long hits, String sites) {
        return "{\"traffic\": {\"startedAt\": \"" + startedAt + "\", \"requests\": {\"hit\": " + hits + ", \"stale\": 0,"
                + " \"revalidated\": 0, \"miss\": 0, \"pass\": 0, \"error\": 0}, \"bytesServed\": 0, \"bytesUpstream\": 0,"
                + " \"upstreamRequests\": 0, \"sites\": {" + sites + "}}}";
    }

    private static String site(long hit, long stale, long miss) {
        return "{\"hit\": " + hit + ", \"stale\": " + stale + ", \"revalidated\": 0, \"miss\": " + miss
                + ", \"pass\": 0, \"error\": 0}";
    }

    private static void assertSite(JsonNode json, String site, long requests, long hits, Double hitRatio) {
        assertThat(json.path("site").asText()).as("site in %s", json).isEqualTo(site);
        assertCounts(json, requests, hits, hitRatio);
    }

    /** requests, hits and hitRatio (null: no requests, so no ratio) of a window's figures. */
    private static void assertCounts(JsonNode json, long requests, long hits, Double hitRatio) {
        assertThat(json.path("requests").asLong()).as("requests in %s", json).isEqualTo(requests);
        assertThat(json.path("hits").asLong()).as("hits in %s", json).isEqualTo(hits);
        if (hitRatio == null) {
            assertThat(json.path("hitRatio").isNull()).as("hitRatio in %s", json).isTrue();
        } else {
            assertThat(json.path("hitRatio").asDouble()).as("hitRatio in %s", json).isEqualTo(hitRatio);
        }
    }

    @Test
    void sitesSumEachLabelOverTheNodesOfEachTier() {
        register("edge-nyc", "edge");
        register("edge-lon", "edge");
        register("shield-iad", "shield");
        beat("edge-nyc", 600, sites(S1, 100, "\"www\": " + site(100, 0, 10) + ", \"img\": " + site(10, 0, 10)));
        // www: 90 hits, 10 stale, 10 misses; img unchanged; none (e.g. 421s) appears
        beat("edge-nyc", 400, sites(S1, 200, "\"www\": " + site(190, 10, 20) + ", \"img\": " + site(10, 0, 10)
                + ", \"none\": " + site(0, 0, 4)));
        beat("edge-nyc", 200, sites(S2, 5, "\"www\": " + site(5, 0, 5))); // restarted: since S2
        // an older node: traffic without sites counts in the totals only
        beat("edge-lon", 600, traffic(S1, 0, 0, 0, 0, 0));
        beat("edge-lon", 300, traffic(S1, 50, 0, 50, 0, 0));
        beat("shield-iad", 600, sites(S1, 0, "\"www\": " + site(0, 0, 0)));
        beat("shield-iad", 300, sites(S1, 20, "\"www\": " + site(15, 0, 5) + ", \"img\": " + site(0, 0, 10)));

        JsonNode stats = reader.get("/api/v1/stats").json();
        assertThat(stats.path("cluster").path("requests").asLong()).isEqualTo(100 + 5 + 100);
        JsonNode sites = stats.path("sites");
        assertThat(sites.size()).as("%s", sites).isEqualTo(3);
        // by edge requests (what clients saw), then shield requests
        assertSite(sites.path(0), "www", 120, 105, 0.875);
        assertSite(sites.path(0).path("tiers").path("edge"), "", 120, 105, 0.875);
        assertSite(sites.path(0).path("tiers").path("shield"), "", 20, 15, 0.75);
        assertSite(sites.path(1), "none", 4, 0, 0.0);
        assertSite(sites.path(2), "img", 0, 0, null);
        assertSite(sites.path(2).path("tiers").path("shield"), "", 10, 0, 0.0);
        assertThat(stats.path("sitesOmitted").asLong()).isZero();
        assertThat(sites.path(0).toString()).isEqualTo("{\"site\":\"www\",\"requests\":120,\"hits\":105,"
                + "\"hitRatio\":0.875,\"tiers\":{\"edge\":{\"requests\":120,\"hits\":105,\"hitRatio\":0.875},"
                + "\"shield\":{\"requests\":20,\"hits\":15,\"hitRatio\":0.75}}}");

        JsonNode www = reader.get("/api/v1/stats?site=www&window=15m").json();
        assertThat(www.path("sites").size()).isEqualTo(1);
        assertSite(www.path("sites").path(0), "www", 120, 105, 0.875);
        assertThat(www.path("cluster").path("requests").asLong()).as("the rest is not restricted").isEqualTo(205);
        // the steps of the window only: the restart 200 s ago
        assertSite(reader.get("/api/v1/stats?site=www&window=5m").json().path("sites").path(0), "www", 10, 5, 0.5);
        JsonNode unknown = reader.get("/api/v1/stats?site=docs").json();
        assertThat(unknown.path("sites").size()).isEqualTo(1);
        assertSite(unknown.path("sites").path(0), "docs", 0, 0, null);

        for (String bad : List.of("Www", "", "www%20x", "-www", "a".repeat(64))) {
            ApiClient.Reply reply = reader.get("/api/v1/stats?site=" + bad);
            assertThat(reply.status()).as(bad).isEqualTo(400);
            assertThat(reply.message()).as(bad).startsWith("site: ").contains("is not a site label");
        }
    }

    @Test
    void withoutShieldTrafficTheClusterUpstreamIsTheEdges() {
        register("edge-nyc", "edge");
        register("shield-iad", "shield"); // registered, but reports no traffic
        beat("edge-nyc", 100, traffic(S1, 10, 0, 10, 1000, 800));
        beat("edge-nyc", 50, traffic(S1, 20, 5, 15, 2000, 900));
        beat("shield-iad", 50, "{}");

        JsonNode stats = reader.get("/api/v1/stats?window=5m").json();
        assertThat(stats.path("window").asText()).isEqualTo("5m");
        assertThat(stats.path("bucketSeconds").asLong()).isEqualTo(5);
        assertFigures(stats.path("cluster"), 20, 15, 0.75, 1000, 100);
        assertThat(stats.path("cluster").path("upstreamTier").asText()).isEqualTo("edge");
        assertFigures(stats.path("tiers").path("shield"), 0, 0, null, 0, 0);
    }

    @Test
    void anEmptyClusterHasZerosAndNoRatio() {
        JsonNode stats = reader.get("/api/v1/stats?window=7d").json();
        assertThat(Duration.between(Instant.parse(stats.path("from").asText()), Instant.parse(stats.path("to").asText())))
                .isEqualTo(Duration.ofDays(7));
        assertThat(stats.path("bucketSeconds").asLong()).isEqualTo(10_080);
        assertFigures(stats.path("cluster"), 0, 0, null, 0, 0);
        assertFigures(stats.path("tiers").path("edge"), 0, 0, null, 0, 0);
        assertThat(stats.path("nodes").isEmpty()).isTrue();
        assertThat(stats.path("series").size()).isEqualTo(60);
        assertThat(stats.path("series").path(59).path("requests").asLong()).isZero();
    }

    @Test
    void theWindowIsOneOfSixAndOtherParametersAreRefused() {
        for (String window : List.of("5m", "15m", "1h", "6h", "24h", "7d")) {
            ApiClient.Reply reply = reader.get("/api/v1/stats?window=" + window);
            assertThat(reply.status()).as(window).isEqualTo(200);
            assertThat(reply.json().path("window").asText()).isEqualTo(window);
        }
        for (String query : List.of("window=2h", "window=", "window=1H", "window=60m")) {
            ApiClient.Reply reply = reader.get("/api/v1/stats?" + query);
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertThat(reply.error()).isEqualTo("bad_request");
            assertThat(reply.message()).as(query).endsWith(" is not a window (expected one of: 5m, 15m, 1h, 6h, 24h, 7d)");
        }
        assertThat(reader.get("/api/v1/stats?window=2h").message())
                .isEqualTo("window: '2h' is not a window (expected one of: 5m, 15m, 1h, 6h, 24h, 7d)");
        assertThat(reader.get("/api/v1/stats?node=edge-nyc").message())
                .isEqualTo("node: unknown query parameter (expected: site, window)");
        assertThat(reader.get("/api/v1/stats?window=1h&window=5m").message())
                .isEqualTo("window: given 2 times (expected once)");
    }

    @Test
    void needsATokenAndAnyScopeButNodeReads() {
        ApiClient.Reply anonymous = admin.anonymous().get("/api/v1/stats");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).isPresent();
        assertThat(reader.get("/api/v1/stats").status()).isEqualTo(200);
        assertThat(admin.as(admin.token("purger", Scope.PURGE)).get("/api/v1/stats").status()).isEqualTo(200);
        ApiClient.Reply node = agent.get("/api/v1/stats");
        assertThat(node.status()).as("a node token does node things only").isEqualTo(403);
        assertThat(node.message()).contains("node token of 'edge-nyc'");
        ApiClient.Reply post = reader.post("/api/v1/stats", "{}");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).contains("GET");
    }
}
