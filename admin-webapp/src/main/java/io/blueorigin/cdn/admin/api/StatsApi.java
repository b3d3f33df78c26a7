package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.NodeStats;
import io.blueorigin.cdn.admin.db.Nodes;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code GET /api/v1/stats?window=1h} (scope {@code read}): cluster, per-tier and per-node traffic over a
 * window ending now, and its series in {@link #BUCKETS} buckets, for the console's charts. The figures are
 * computed in PostgreSQL from the heartbeats' cumulative counters ({@link NodeStats#traffic}) and combined
 * by {@link StatsReport}; everything is read on one snapshot. "Now" is the database's clock (the one
 * heartbeats are stamped with), cut to the millisecond, so the window's bounds are exactly those shown.
 */
final class StatsApi {
    /** Buckets of the series: one point per minute of the default window. */
    static final int BUCKETS = 60;
    /** SQLSTATE query_canceled: here, the traffic query ran into its statement timeout. */
    private static final String QUERY_CANCELED = "57014";

    private final Database database;
    private final Nodes nodes;
    private final NodeStats stats;

    StatsApi(Database database, Nodes nodes, NodeStats stats) {
        this.database = requireNonNull(database, "database is null");
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.stats = requireNonNull(stats, "stats is null");
    }

    /** {@code GET /api/v1/stats}. */
    void stats(ApiCall call) throws ApiException, SQLException, IOException {
        StatsWindow window = window(call.query("window"));
        StatsReport report;
        try {
            report = database.inSnapshot(connection -> {
                Instant to = Nodes.now(connection).truncatedTo(ChronoUnit.MILLIS);
                return StatsReport.of(window, to, BUCKETS, nodes.list(connection),
                        stats.traffic(connection, to.minus(window.length()), to, BUCKETS));
            });
        } catch (SQLException e) {
            if (QUERY_CANCELED.equals(e.getSQLState())) {
                throw new ApiException(503, "database_unavailable", "window " + window.label() + ": the database did"
                        + " not finish the figures within " + NodeStats.STATEMENT_TIMEOUT.toSeconds() + " s (it may be"
                        + " busy, or hold more heartbeats than it can sum in time); retry, or ask for a shorter window");
            }
            throw e;
        }
        call.respond(200, Views.stats(report));
    }

    private static StatsWindow window(ApiCall.Query query) throws ApiException {
        String label = query.text("window").orElse(StatsWindow.DEFAULT.label());
        return StatsWindow.fromLabel(label).orElseThrow(() -> ApiException.badRequest("window: " + Text.quote(label)
                + " is not a window (expected one of: " + StatsWindow.labels() + ")"));
    }
}
