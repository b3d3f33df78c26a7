package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.admin.db.NodeSiteTraffic;
import io.blueorigin.cdn.admin.db.NodeStats;
import io.blueorigin.cdn.admin.db.NodeTraffic;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link NodeStats#traffic} on rows with exact timestamps: steps between consecutive heartbeats, the
 * baseline before the window, restarts, bucket boundaries, tolerance of rows without (valid) traffic.
 * Window (T, T + 1h] in 60 one-minute buckets unless said otherwise; each test uses its own nodes.
 */
class NodeStatsIT {
    private static final Instant T = Instant.parse("2026-11-25T04:00:00Z");
    private static final Instant HOUR_LATER = T.plus(Duration.ofHours(1));
    private static final String S1 = "2026-11-25T03:00:00.000Z";
    private static final String S2 = "2026-11-25T04:01:05.000Z";
    private static final String S3 = "2026-11-25T04:03:05.000Z";
    private static TestAdmin admin;

    @BeforeAll
    static void start() {
        admin = TestAdmin.start();
    }

    @AfterAll
    static void stop() {
        admin.close();
    }

    private static long node(String name) {
        return admin.count("INSERT INTO nodes (name, role, pop, traffic_url, management_url, last_applied) VALUES ('"
                + name + "', 'edge', 'nyc', 'http://127.0.0.1:8080', 'http://127.0.0.1:18080', 0) RETURNING id");
    }

    private static void beat(long node, Instant at, String stats) {
        admin.sql("INSERT INTO node_stats (node_id, at, stats) VALUES (" + node + ", '" + at + "', '" + stats + "')");
    }

    /** A stats object as nodes send it: hit, stale and miss requests (no revalidated, pass, error), bytes. */
    private static String traffic(String startedAt, long hit, long stale, long miss, long served, long upstream) {
        return "{\"heap\": {\"entries\": 3}, \"collapsed\": 1, \"traffic\": {\"startedAt\": \"" + startedAt + "\","
                + " \"requests\": {\"hit\": " + hit + ", \"stale\": " + stale + ", \"revalidated\": 0, \"miss\": " + miss
                + ", \"pass\": 0, \"error\": 0}, \"bytesServed\": " + served + ", \"bytesUpstream\": " + upstream
                + ", \"upstreamRequests\": " + miss + "}}";
    }

    private static List<NodeTraffic> traffic(long node, Instant from, Instant to, int buckets) {
        try (Connection connection = admin.node.database().dataSource().getConnection()) {
            return new NodeStats().traffic(connection, from, to, buckets).stream().filter(t -> t.nodeId() == node)
                    .toList();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<NodeTraffic> hour(long node) {
        return traffic(node, T, HOUR_LATER, 60);
    }

    /** A stats object with traffic totals and, unless null, {@code traffic.sites} as given (a JSON object). */
    private static String sitesTraffic(String startedAt, long hit, long miss, String sites) {
        return "{\"traffic\": {\"startedAt\": \"" + startedAt + "\", \"requests\": {\"hit\": " + hit + ", \"stale\": 0,"
                + " \"revalidated\": 0, \"miss\": " + miss + ", \"pass\": 0, \"error\": 0}, \"bytesServed\": " + hit
                + ", \"bytesUpstream\": " + miss + ", \"upstreamRequests\": " + miss + (sites == null ? "" : ", \"sites\": " + sites)
                + "}}";
    }

    /** One label's counters: hit, stale, miss (and 1 of each of revalidated, pass, error). */
    private static String site(long hit, long stale, long miss) {
        return "{\"hit\": " + hit + ", \"stale\": " + stale + ", \"revalidated\": 1, \"miss\": " + miss
                + ", \"pass\": 1, \"error\": 1}";
    }

    /** {@code stats} (as {@link #traffic} writes it) with {@code traffic.sites} of one label, www, of {@code hit} hits. */
    private static String withSites(String stats, long hit) {
        return stats.substring(0, stats.length() - 2) + ", \"sites\": {\"www\": {\"hit\": " + hit + "}}}}";
    }

    private static List<NodeSiteTraffic> sites(long node, Optional<String> site) {
        try (Connection connection = admin.node.database().dataSource().getConnection()) {
            return new NodeStats().siteTraffic(connection, T, HOUR_LATER, site).stream().filter(t -> t.nodeId() == node)
                    .toList();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void siteStepsFollowEachLabelThroughRestartsAndHeartbeatsWithoutSites() {
        long edge = node("sites-edge");
        beat(edge, T.minusSeconds(30), sitesTraffic(S1, 100, 10, "{\"www\": " + site(60, 0, 5) + ", \"img\": "
                + site(40, 0, 5) + "}")); // the node's first row: a baseline only
        beat(edge, T.minusSeconds(20), sitesTraffic(S1, 200, 20, "{\"www\": " + site(100, 0, 10) + ", \"img\": "
                + site(40, 0, 5) + "}")); // a step before the window: the baseline of the next
        // www: +50 hits, +5 stale, +10 misses; img unchanged (not stored); none appears (since 0): 3 + 3
        beat(edge, T.plusSeconds(10), sitesTraffic(S1, 300, 30, "{\"www\": " + site(150, 5, 20) + ", \"img\": "
                + site(40, 0, 5) + ", \"none\": " + site(0, 0, 3) + "}"));
        // restarted: every label counts since S2; img and none absent
        beat(edge, T.plusSeconds(70), sitesTraffic(S2, 10, 1, "{\"www\": " + site(4, 0, 1) + "}"));
        // an older node's heartbeat: traffic without sites is a step of the totals, no site step
        beat(edge, T.plusSeconds(130), sitesTraffic(S2, 20, 2, null));
        // the previous row has no sites: www counts from 0
        beat(edge, T.plusSeconds(190), sitesTraffic(S2, 30, 3, "{\"www\": " + site(10, 0, 1) + "}"));
        // www's own counters decreased (the totals did not): a reset for www; malformed labels and values ignored
        beat(edge, T.plusSeconds(250), sitesTraffic(S2, 40, 4, "{\"www\": " + site(5, 0, 1) + ", \"Bad Label\": "
                + site(9, 9, 9) + ", \"x\": \"many\", \"\": " + site(1, 1, 1) + "}"));
        beat(edge, T.plusSeconds(310), "{\"heap\": {\"entries\": 3}}"); // no traffic at all: skipped
        // sites not an object: no site step
        beat(edge, T.plusSeconds(370), sitesTraffic(S2, 50, 5, "[1, 2]"));

        long www = (50 + 5 + 10) + (4 + 1 + 3) + (10 + 1 + 3) + (5 + 1 + 3); // revalidated, pass, error 1 each
        assertThat(sites(edge, Optional.empty())).containsExactly(
                new NodeSiteTraffic(edge, "none", 1, 6, 0),
                new NodeSiteTraffic(edge, "www", 4, www, 55 + 4 + 10 + 5));
        assertThat(sites(edge, Optional.of("www"))).containsExactly(new NodeSiteTraffic(edge, "www", 4, www, 74));
        assertThat(sites(edge, Optional.of("img"))).isEmpty();
        // the totals are as before
        assertThat(hour(edge).stream().mapToLong(NodeTraffic::requests).sum()).isEqualTo(110 + 11 + 11 + 11 + 11 + 11);
        assertThat(admin.count("SELECT count(*) FROM node_stats_sites t JOIN node_stats s ON s.id = t.stats_id"
                + " WHERE s.node_id = " + edge)).isEqualTo(6); // with the step before the window (www: 40 + 5)
    }

    @Test
    void aNodeResetResetsEverySiteAndDeletingRowsDeletesTheirSiteSteps() {
        long edge = node("sites-reset-edge");
        beat(edge, T.plusSeconds(5), sitesTraffic(S1, 100, 10, "{\"www\": " + site(100, 0, 10) + "}"));
        // same startedAt, but the totals' miss decreased: a reset, so www counts its own counters even though they grew
        beat(edge, T.plusSeconds(15), sitesTraffic(S1, 120, 5, "{\"www\": " + site(120, 0, 10) + "}"));

        assertThat(sites(edge, Optional.empty())).containsExactly(new NodeSiteTraffic(edge, "www", 1, 133, 120));
        admin.sql("DELETE FROM node_stats WHERE node_id = " + edge);
        assertThat(sites(edge, Optional.empty())).isEmpty();
        assertThat(admin.count("SELECT count(*) FROM node_stats_sites t WHERE NOT EXISTS"
                + " (SELECT FROM node_stats s WHERE s.id = t.stats_id)")).isZero();
    }

    @Test
    void sumsTheStepsOfEachBucketFromTheBaselineOn() {
        long edge = node("sum-edge");
        long other = node("sum-other");
        beat(edge, T.minus(Duration.ofMinutes(40)), traffic(S1, 1, 0, 1, 10, 1)); // older than the baseline
        beat(edge, T, traffic(S1, 100, 0, 10, 1000, 100)); // at `from`: the baseline
        beat(other, T.minusSeconds(1), traffic(S1, 5, 0, 0, 50, 0));
        beat(edge, T.plusSeconds(30), traffic(S1, 150, 5, 15, 1500, 150));
        beat(other, T.plusSeconds(45), traffic(S1, 8, 0, 0, 80, 0)); // interleaved: steps are per node
        beat(edge, T.plusSeconds(60), traffic(S1, 160, 5, 16, 1600, 160)); // the last instant of bucket 0
        beat(edge, T.plusSeconds(60).plusNanos(1_000), traffic(S1, 170, 5, 16, 1700, 160)); // 1 µs later: bucket 1
        beat(edge, HOUR_LATER, traffic(S1, 270, 5, 26, 2700, 200)); // at `to`: the last bucket
        beat(edge, HOUR_LATER.plusMillis(1), traffic(S1, 999, 5, 99, 9999, 999)); // after the window

        assertThat(hour(edge)).containsExactly(
                new NodeTraffic(edge, 0, 2, (170 - 110) + (181 - 170), (155 - 100) + (165 - 155), 600, 60),
                new NodeTraffic(edge, 1, 1, 10, 10, 100, 0),
                new NodeTraffic(edge, 59, 1, 110, 100, 1000, 40));
        assertThat(hour(other)).containsExactly(new NodeTraffic(other, 0, 1, 3, 3, 30, 0));
    }

    @Test
    void aRestartCountsTheLaterRowSinceTheRestart() {
        long edge = node("restart-edge");
        beat(edge, T.minusSeconds(10), traffic(S1, 1000, 0, 100, 10_000, 1000));
        beat(edge, T.plusSeconds(10), traffic(S1, 1100, 0, 110, 11_000, 1100));
        beat(edge, T.plusSeconds(70), traffic(S2, 5, 0, 1, 50, 10)); // restarted: counted since S2
        beat(edge, T.plusSeconds(130), traffic(S2, 15, 0, 2, 150, 10));
        beat(edge, T.plusSeconds(190), traffic(S3, 1500, 0, 200, 20_000, 2000)); // restarted, only startedAt tells
        beat(edge, T.plusSeconds(250), traffic(S3, 1600, 0, 10, 21_000, 2100)); // a counter decreased: a reset

        assertThat(hour(edge)).containsExactly(
                new NodeTraffic(edge, 0, 1, 110, 100, 1000, 100),
                new NodeTraffic(edge, 1, 1, 6, 5, 50, 10),
                new NodeTraffic(edge, 2, 1, 11, 10, 100, 0),
                new NodeTraffic(edge, 3, 1, 1700, 1500, 20_000, 2000),
                new NodeTraffic(edge, 4, 1, 1610, 1600, 21_000, 2100));
    }

    @Test
    void everyRequestsMemberCountsAndHitsAreHitAndStale() {
        long edge = node("members-edge");
        beat(edge, T.minusSeconds(5), "{\"traffic\": {\"startedAt\": \"" + S1 + "\", \"requests\": {\"hit\": 900,"
                + " \"stale\": 5, \"revalidated\": 2, \"miss\": 80, \"pass\": 10, \"error\": 3}, \"bytesServed\": 123456789,"
                + " \"bytesUpstream\": 2345678, \"upstreamRequests\": 95}}");
        beat(edge, T.plusSeconds(5), "{\"traffic\": {\"startedAt\": \"" + S1 + "\", \"requests\": {\"hit\": 1900,"
                + " \"stale\": 25, \"revalidated\": 32, \"miss\": 480, \"pass\": 5010, \"error\": 60003},"
                + " \"bytesServed\": 9123456789, \"bytesUpstream\": 3345678, \"upstreamRequests\": 95}}");

        assertThat(hour(edge)).containsExactly(new NodeTraffic(edge, 0, 1, 1000 + 20 + 30 + 400 + 5000 + 60000, 1020,
                9_000_000_000L, 1_000_000));
    }

    @Test
    void rowsWithoutTrafficAreSkippedAndBadCountersCountAsZero() {
        long edge = node("tolerant-edge");
        beat(edge, T.minusSeconds(20), traffic(S1, 100, 0, 10, 1000, 100));
        beat(edge, T.minusSeconds(10), "{\"heap\": {\"entries\": 3}}"); // no traffic: not a baseline
        beat(edge, T.plusSeconds(5), "{}");
        beat(edge, T.plusSeconds(10), "{\"traffic\": \"broken\"}");
        beat(edge, T.plusSeconds(15), "{\"traffic\": [1, 2]}");
        beat(edge, T.plusSeconds(20), traffic(S1, 110, 0, 12, 1100, 100)); // a step from T - 20s
        // every counter bad but miss (12.9 counts 13) and bytesServed (1200.5 counts 1201): hit went "down" to 0,
        // so this is a reset counting this row
        beat(edge, T.plusSeconds(70), "{\"traffic\": {\"startedAt\": \"" + S1 + "\", \"requests\": {\"hit\": \"many\","
                + " \"stale\": null, \"revalidated\": [1], \"miss\": 12.9, \"pass\": -4, \"error\": 1e30},"
                + " \"bytesServed\": 1200.5, \"bytesUpstream\": {\"x\": 1}, \"upstreamRequests\": true}}");
        // requests not an object, no startedAt and no upstream bytes: from the row before, a reset again (no startedAt)
        beat(edge, T.plusSeconds(130), "{\"traffic\": {\"requests\": \"x\", \"bytesServed\": 1300}}");
        // members missing: they count 0; nothing decreased and startedAt is still absent (null), so an ordinary step
        beat(edge, T.plusSeconds(190), "{\"traffic\": {\"requests\": {\"hit\": 40, \"miss\": 2},"
                + " \"bytesServed\": 1350, \"bytesUpstream\": 7, \"startedAt\": null}}");

        assertThat(hour(edge)).containsExactly(
                new NodeTraffic(edge, 0, 1, 12, 10, 100, 0),
                new NodeTraffic(edge, 1, 1, 13, 0, 1201, 0),
                new NodeTraffic(edge, 2, 1, 0, 0, 1300, 0),
                new NodeTraffic(edge, 3, 1, 42, 40, 50, 7));
    }

    @Test
    void aNodesFirstRowIsABaselineOnly() {
        long edge = node("first-edge");
        beat(edge, T.plus(Duration.ofMinutes(5)).plusSeconds(30), traffic(S2, 10, 0, 5, 100, 50));
        beat(edge, T.plus(Duration.ofMinutes(6)).plusSeconds(30), traffic(S2, 30, 0, 10, 300, 60));

        assertThat(hour(edge)).containsExactly(new NodeTraffic(edge, 6, 1, 25, 20, 200, 10));
    }

    @Test
    void theBaselineIsLookedForAtMostOneWindowBack() {
        long tooOld = node("lookback-old");
        long justIn = node("lookback-in");
        Instant from = T;
        Instant to = T.plus(Duration.ofMinutes(5));
        beat(tooOld, from.minus(Duration.ofMinutes(5)), traffic(S1, 10, 0, 0, 100, 0)); // exactly one window back: out
        beat(tooOld, from.plusSeconds(2), traffic(S1, 20, 0, 0, 200, 0)); // so this is a baseline only
        beat(tooOld, from.plusSeconds(12), traffic(S1, 25, 0, 0, 250, 0));
        beat(justIn, from.minus(Duration.ofMinutes(5)).plusMillis(1), traffic(S1, 10, 0, 0, 100, 0));
        beat(justIn, from.plusSeconds(2), traffic(S1, 20, 0, 0, 200, 0));

        assertThat(traffic(tooOld, from, to, 60)).containsExactly(new NodeTraffic(tooOld, 2, 1, 5, 5, 50, 0));
        assertThat(traffic(justIn, from, to, 60)).containsExactly(new NodeTraffic(justIn, 0, 1, 10, 10, 100, 0));
    }

    @Test
    void theDatabaseComputesEachRowsStepWhateverTheInsertSays() {
        long edge = node("computed-edge");
        admin.sql("INSERT INTO node_stats (node_id, at, stats, previous_at, requests, hits, bytes_served, bytes_upstream)"
                + " VALUES (" + edge + ", '" + T.plusSeconds(5) + "', '" + traffic(S1, 10, 0, 0, 100, 0) + "', '" + T
                + "', 999, 999, 999, 999)"); // the node's first row: a baseline only
        beat(edge, T.plusSeconds(15), traffic(S1, 30, 0, 0, 300, 0));

        assertThat(hour(edge)).containsExactly(new NodeTraffic(edge, 0, 1, 20, 20, 200, 0));
        assertThat(admin.count("SELECT count(*) FROM node_stats WHERE node_id = " + edge + " AND previous_at IS NULL"
                + " AND requests IS NULL AND hits IS NULL AND bytes_served IS NULL AND bytes_upstream IS NULL"))
                .isEqualTo(1);
    }

    @Test
    void concurrentInsertsForOneNodeMakeAChain() throws Exception {
        long edge = node("concurrent-edge");
        beat(edge, T.plusSeconds(5), withSites(traffic(S1, 10, 0, 0, 100, 0), 10));
        try (Connection first = admin.node.database().dataSource().getConnection();
                Connection second = admin.node.database().dataSource().getConnection()) {
            first.setAutoCommit(false);
            try (Statement insert = first.createStatement()) {
                insert.execute("INSERT INTO node_stats (node_id, at, stats) VALUES (" + edge + ", '" + T.plusSeconds(15)
                        + "', '" + withSites(traffic(S1, 30, 0, 0, 300, 0), 30) + "')");
            }
            Thread other = new Thread(() -> {
                try (Statement insert = second.createStatement()) {
                    insert.execute("INSERT INTO node_stats (node_id, at, stats) VALUES (" + edge + ", '"
                            + T.plusSeconds(25) + "', '" + withSites(traffic(S1, 60, 0, 0, 600, 0), 60) + "')");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            other.start();
            // the second insert waits for the first transaction (the node's row is locked)
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).alias("second insert waiting")
                    .until(() -> admin.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                            + " AND query LIKE 'INSERT INTO node_stats%'") > 0);
            first.commit();
            other.join(10_000);
            assertThat(other.isAlive()).isFalse();
        }

        // 20 then 30 requests: the second step is from the first, not from the row both started after
        assertThat(hour(edge)).containsExactly(new NodeTraffic(edge, 0, 2, 50, 50, 500, 0));
        assertThat(sites(edge, Optional.empty())).containsExactly(new NodeSiteTraffic(edge, "www", 2, 50, 50));
    }

    @Test
    void theQueryRunsUnderAStatementTimeout() throws SQLException {
        try (Connection connection = admin.node.database().dataSource().getConnection()) {
            connection.setAutoCommit(false);
            new NodeStats().traffic(connection, T, HOUR_LATER, 60);
            try (Statement statement = connection.createStatement();
                    ResultSet show = statement.executeQuery("SHOW statement_timeout")) {
                show.next();
                assertThat(show.getString(1)).isEqualTo(NodeStats.STATEMENT_TIMEOUT.toSeconds() + "s");
            }
            connection.rollback();
        }
    }
}
