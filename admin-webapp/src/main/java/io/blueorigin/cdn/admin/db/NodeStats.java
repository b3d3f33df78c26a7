package io.blueorigin.cdn.admin.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code node_stats} table: one row per heartbeat (pruned by {@link Retention}), and the traffic the
 * rows' {@code stats.traffic} counters add up to over a window ({@link #traffic}). Stateless.
 *
 * <p>Traffic counters are cumulative since the node process started ({@code traffic.startedAt}), so what a
 * node served between two heartbeats is the difference of their counters, its <em>step</em>. A step is a
 * <em>reset</em> when {@code startedAt} changed or any counter decreased (the node restarted): then the
 * step is the later row's counters, counted since the restart. Rows are read tolerantly, since nodes of
 * other versions send other stats: a row whose {@code stats.traffic} is not an object is skipped (it is
 * neither a step nor a baseline), and a counter counts when it is a JSON number from 0 to
 * {@link #MAX_COUNTER} (a fraction is rounded), as 0 otherwise (absent, a string, null, negative, larger).
 * No content of a row can make the query fail.
 *
 * <p>Cost: the query reads every row of the window once (the window's rows through {@code node_stats_at},
 * or a sequential scan when the window is most of the table) and sorts them by node and time; each node's
 * baseline is one backward scan of {@code node_stats_node_at} that stops at the first row with traffic, no
 * further back than one window length. Measured on 2 busy cores (embedded PostgreSQL 14, default settings),
 * 50 nodes beating every 10 s, 700-byte rows: 5 min 0.03 s, 1 h 0.15 s, 24 h 2.5-3.5 s, 7 d (3M rows)
 * 18-24 s, mostly reading jsonb and sorting. It runs under {@link #STATEMENT_TIMEOUT}, so PostgreSQL
 * cancels it (the API answers 503) before the pool's socket timeout would drop the connection. Storing each
 * step's figures with its row when the heartbeat arrives would make long windows a plain sum (a migration).
 */
public final class NodeStats {
    /**
     * The counters of {@code stats.traffic} (a reset is detected on any of them); the {@code requests} members
     * {@code hit} and {@code stale} are the hits: served from the cache without waiting for upstream.
     */
    private static final List<Counter> COUNTERS = List.of(Counter.request("hit"), Counter.request("stale"),
            Counter.request("revalidated"), Counter.request("miss"), Counter.request("pass"), Counter.request("error"),
            new Counter("'bytesServed'", "served"), new Counter("'bytesUpstream'", "upstream"),
            new Counter("'upstreamRequests'", "upstream_requests"));
    /**
     * Largest counter taken as is, 2^60 (an exbibyte): far above what a node process counts, low enough
     * that the sum of the six request counters is a {@code bigint}.
     */
    static final long MAX_COUNTER = 1L << 60;

    /** Longest the traffic query may run: PostgreSQL cancels it then, before {@link Database#SOCKET_TIMEOUT}. */
    public static final Duration STATEMENT_TIMEOUT = Database.SOCKET_TIMEOUT.minusSeconds(5);

    /**
     * Per-bucket traffic sums. Parameters: 1 from, 2 from - (to - from), 3 from, 4 to, 5 from, 6 buckets,
     * 7 window in µs, 8 from.
     */
    private static final String TRAFFIC = trafficQuery();

    /** Stores one heartbeat's stats, a JSON object already checked to be storable as jsonb. */
    public void insert(Connection connection, long nodeId, String statsJson) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO node_stats (node_id, stats) VALUES (?, ?::jsonb)")) {
            insert.setLong(1, nodeId);
            insert.setString(2, statsJson);
            insert.executeUpdate();
        }
    }

    /**
     * Every node's traffic in the window {@code (from, to]}, split into {@code buckets} equal buckets: the sum
     * of its steps whose later row falls in the window, by the bucket {@code (from + i·w, from + (i+1)·w]}
     * (w = window / buckets) that later row falls in. A step's earlier row may precede the window: each
     * node's last row (with traffic) at or before {@code from}, and no older than one window length, is its
     * baseline, counted only as the start of its first step. A node's first row without an earlier one is a
     * baseline only. Inside a transaction, the query is cancelled after {@link #STATEMENT_TIMEOUT}.
     *
     * @return one element per node and bucket with at least one step, by node id and bucket
     */
    public List<NodeTraffic> traffic(Connection connection, Instant from, Instant to, int buckets) throws SQLException {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("empty window: from " + from + " is not before to " + to);
        }
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets < 1: " + buckets);
        }
        Duration window = Duration.between(from, to);
        long windowMicros = Math.multiplyExact(window.getSeconds(), 1_000_000L) + window.getNano() / 1_000;
        if (windowMicros < buckets) {
            throw new IllegalArgumentException("window " + window + " shorter than " + buckets + " microseconds");
        }
        try (Statement timeout = connection.createStatement()) {
            timeout.execute("SET LOCAL statement_timeout = " + STATEMENT_TIMEOUT.toMillis());
        }
        List<NodeTraffic> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(TRAFFIC)) {
            select.setObject(1, utc(from));
            select.setObject(2, utc(from.minus(window)));
            select.setObject(3, utc(from));
            select.setObject(4, utc(to));
            select.setObject(5, utc(from));
            select.setInt(6, buckets);
            select.setLong(7, windowMicros);
            select.setObject(8, utc(from));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(new NodeTraffic(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7)));
                }
            }
        }
        return rows;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String trafficQuery() {
        // Each counter is read from the row once, as jsonb, in the scan (which may run in parallel workers),
        // and clamped once: "OFFSET 0" keeps a subquery from being merged into the one above it, which would
        // copy its expressions into every reference there.
        String members = COUNTERS.stream().map(c -> "s.stats -> 'traffic' -> " + c.path() + " AS " + c.column())
                .collect(Collectors.joining(", "));
        String baseline = "SELECT s.id, s.node_id, s.at, s.stats -> 'traffic' ->> 'startedAt' AS started_at, " + members
                + " FROM node_stats s WHERE s.node_id = n.id AND s.at <= ?::timestamptz AND s.at > ?::timestamptz"
                + " AND jsonb_typeof(s.stats -> 'traffic') = 'object' ORDER BY s.at DESC, s.id DESC LIMIT 1";
        String window = "SELECT s.id, s.node_id, s.at, s.stats -> 'traffic' ->> 'startedAt' AS started_at, " + members
                + " FROM node_stats s WHERE s.at > ?::timestamptz AND s.at <= ?::timestamptz"
                + " AND jsonb_typeof(s.stats -> 'traffic') = 'object'";
        // jsonb orders null < strings < numbers < booleans < arrays < objects, so BETWEEN two numbers holds
        // exactly for a number in that range (SQL NULL, an absent member, yields NULL: the ELSE)
        String clamped = COUNTERS.stream().map(c -> "CASE WHEN " + c.column() + " BETWEEN '0' AND '" + MAX_COUNTER
                + "' THEN " + c.column() + "::bigint ELSE 0 END AS " + c.column()).collect(Collectors.joining(", "));
        // each row with its predecessor's counters (a window function also keeps its query from being merged)
        String steps = "SELECT node_id, at, lag(at) OVER w AS previous_at, started_at,"
                + " lag(started_at) OVER w AS previous_started_at, " + COUNTERS.stream()
                        .map(c -> c.column() + ", lag(" + c.column() + ") OVER w AS previous_" + c.column())
                        .collect(Collectors.joining(", "))
                + " FROM counters WINDOW w AS (PARTITION BY node_id ORDER BY at, id)";
        // a reset: startedAt changed or any counter decreased; then the step is the later row's counters
        String reset = "previous_started_at IS DISTINCT FROM started_at OR " + COUNTERS.stream()
                .map(c -> "previous_" + c.column() + " > " + c.column()).collect(Collectors.joining(" OR "));
        Map<String, List<Counter>> sums = new LinkedHashMap<>();
        sums.put("requests", COUNTERS.stream().filter(Counter::isRequests).toList());
        sums.put("hits", COUNTERS.stream().filter(Counter::isHit).toList());
        sums.put("served", COUNTERS.stream().filter(c -> c.column().equals("served")).toList());
        sums.put("upstream", COUNTERS.stream().filter(c -> c.column().equals("upstream")).toList());
        String deltas = sums.entrySet().stream().map(sum -> "CASE WHEN " + reset + " THEN "
                + sum.getValue().stream().map(Counter::column).collect(Collectors.joining(" + ")) + " ELSE "
                + sum.getValue().stream().map(c -> c.column() + " - previous_" + c.column())
                        .collect(Collectors.joining(" + "))
                + " END AS " + sum.getKey()).collect(Collectors.joining(", "));
        return "WITH timeline AS ("
                // each node's baseline (newest first on node_stats_node_at), then the window's rows (node_stats_at)
                + " SELECT b.* FROM nodes n CROSS JOIN LATERAL (" + baseline + ") b UNION ALL " + window
                + "), counters AS (SELECT id, node_id, at, started_at, " + clamped + " FROM timeline OFFSET 0"
                + "), steps AS (" + steps
                + "), deltas AS ("
                // the steps whose later row is in the window; bucket = ceil(µs after from * buckets / window µs) - 1
                + " SELECT node_id, ((extract(epoch FROM at - ?::timestamptz) * 1000000)::bigint * ? - 1) / ? AS bucket, "
                + deltas + " FROM steps WHERE previous_at IS NOT NULL AND at > ?::timestamptz"
                + ") SELECT node_id, bucket::int, count(*), " + sums.keySet().stream()
                        .map(v -> "LEAST(sum(" + v + "), " + Long.MAX_VALUE + ")::bigint").collect(Collectors.joining(", "))
                + " FROM deltas GROUP BY node_id, bucket ORDER BY node_id, bucket";
    }

    /**
     * A counter of {@code stats.traffic}.
     *
     * @param path its jsonb path from {@code traffic}, as SQL: {@code 'requests' -> 'hit'}
     * @param column its column in the query
     */
    private record Counter(String path, String column) {
        static Counter request(String member) {
            return new Counter("'requests' -> '" + member + "'", member);
        }

        boolean isRequests() {
            return path.startsWith("'requests'");
        }

        boolean isHit() {
            return column.equals("hit") || column.equals("stale");
        }
    }
}
