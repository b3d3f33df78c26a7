package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.NodeSiteTraffic;
import io.blueorigin.cdn.admin.db.NodeStats;
import io.blueorigin.cdn.admin.db.NodeTraffic;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Migration V0007 on rows stored before it (schema at V0006): it computes their steps by the rules the
 * traffic query used to apply to them (consecutive rows by time), so the stats do not change across the
 * upgrade, and rows inserted afterwards continue each node's chain.
 */
class NodeStatsStepsMigrationIT {
    private static final Instant T = Instant.parse("2026-11-25T04:00:00Z");
    private static final String S1 = "2026-11-25T03:00:00.000Z";
    private static final String S2 = "2026-11-25T04:01:05.000Z";

    private static String traffic(String startedAt, long hit, long miss, long served, long upstream) {
        return "{\"traffic\": {\"startedAt\": \"" + startedAt + "\", \"requests\": {\"hit\": " + hit + ", \"stale\": 0,"
                + " \"revalidated\": 0, \"miss\": " + miss + ", \"pass\": 0, \"error\": 0}, \"bytesServed\": " + served
                + ", \"bytesUpstream\": " + upstream + ", \"upstreamRequests\": " + miss + "}}";
    }

    private static void beat(Statement sql, long node, Instant at, String stats) throws SQLException {
        sql.execute("INSERT INTO node_stats (node_id, at, stats) VALUES (" + node + ", '" + at + "', '" + stats + "')");
    }

    private static Flyway flyway(String url, String target) {
        return Flyway.configure().dataSource(url, "postgres", "postgres").locations(Database.MIGRATIONS)
                .target(target).load();
    }

    /** A registered edge, as admin's registration writes it; its id. */
    private static long insertEdge(Statement sql) throws SQLException {
        try (ResultSet rs = sql.executeQuery("INSERT INTO nodes (name, role, pop, traffic_url, management_url,"
                + " last_applied) VALUES ('edge', 'edge', 'nyc', 'http://a', 'http://b', 0) RETURNING id")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void rowsStoredBeforeGetTheirStepsAndNewRowsContinueTheChain() throws SQLException {
        String url = TestPostgres.freshDatabase();
        flyway(url, "6").migrate();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
                Statement sql = connection.createStatement()) {
            long edge = insertEdge(sql);
            // inserted out of time order: before V0007, steps were between consecutive rows by time
            beat(sql, edge, T.plusSeconds(70), traffic(S2, 5, 1, 50, 10)); // a restart: counted since S2
            beat(sql, edge, T.minusSeconds(10), traffic(S1, 1000, 100, 10_000, 1000)); // the baseline
            beat(sql, edge, T.plusSeconds(10), traffic(S1, 1100, 110, 11_000, 1100));
            beat(sql, edge, T.plusSeconds(20), "{\"heap\": {\"entries\": 3}}"); // no traffic: skipped
            beat(sql, edge, T.plusSeconds(130), traffic(S2, 15, 2, 150, 10));

            flyway(url, "latest").migrate();

            beat(sql, edge, T.plusSeconds(190), traffic(S2, 25, 2, 250, 20)); // from the row at T + 130 s
            List<NodeTraffic> hour = new NodeStats().traffic(connection, T, T.plus(Duration.ofHours(1)), 60);
            assertThat(hour).containsExactly(
                    new NodeTraffic(edge, 0, 1, 110, 100, 1000, 100),
                    new NodeTraffic(edge, 1, 1, 6, 5, 50, 10),
                    new NodeTraffic(edge, 2, 1, 11, 10, 100, 0),
                    new NodeTraffic(edge, 3, 1, 10, 10, 100, 10));
            assertThat(count(sql, "SELECT count(*) FROM node_stats WHERE previous_at IS NULL")).isEqualTo(2);
        }
    }

    @Test
    void rowsWithSitesStoredBeforeV0011GetTheirSiteSteps() throws SQLException {
        String url = TestPostgres.freshDatabase();
        flyway(url, "10").migrate();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
                Statement sql = connection.createStatement()) {
            long edge = insertEdge(sql);
            beat(sql, edge, T.minusSeconds(10), withSites(traffic(S1, 100, 10, 0, 0), "{\"www\": {\"hit\": 100, \"miss\": 10}}"));
            beat(sql, edge, T.plusSeconds(10), withSites(traffic(S1, 150, 20, 0, 0), "{\"www\": {\"hit\": 150, \"miss\": 20},"
                    + " \"none\": {\"error\": 2}}"));
            beat(sql, edge, T.plusSeconds(70), withSites(traffic(S2, 5, 1, 0, 0), "{\"www\": {\"hit\": 5, \"miss\": 1}}"));
            beat(sql, edge, T.plusSeconds(130), traffic(S2, 6, 1, 0, 0)); // no sites

            flyway(url, "latest").migrate();

            beat(sql, edge, T.plusSeconds(190), withSites(traffic(S2, 9, 1, 0, 0), "{\"www\": {\"hit\": 9, \"miss\": 1}}"));
            assertThat(new NodeStats().siteTraffic(connection, T, T.plus(Duration.ofHours(1)), Optional.empty()))
                    .containsExactly(new NodeSiteTraffic(edge, "none", 1, 2, 0),
                            new NodeSiteTraffic(edge, "www", 3, 60 + 6 + 10, 50 + 5 + 9));
        }
    }

    private static String withSites(String traffic, String sites) {
        return traffic.substring(0, traffic.length() - 2) + ", \"sites\": " + sites + "}}";
    }

    private static long count(Statement sql, String query) throws SQLException {
        try (ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
