package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.NodeStats;
import io.blueorigin.cdn.admin.db.Nodes;
import io.blueorigin.cdn.httpcache.site.Site;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * {@code GET /api/v1/stats?window=1h&site=www} (scope {@code read}): cluster, per-tier, per-node and per-site
 * traffic over a window ending now, and its series in {@link #BUCKETS} buckets, for the console's charts
 * ({@code site} restricts the per-site list to that label), and its breakdown by content type and by URL pattern
 * ({@link NodeStats#breakdown}). The figures are
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
        ApiCall.Query query = call.query("window", "site");
        call.respond(200, Views.stats(report(window(query), site(query))));
    }

    /** The report over {@code window} (the API's and the console's overview). */
    StatsReport report(StatsWindow window, Optional<String> site) throws ApiException, SQLException {
        StatsReport report;
        try {
            report = database.inSnapshot(connection -> {
                Instant to = Nodes.now(connection).truncatedTo(ChronoUnit.MILLIS);
                Instant from = to.minus(window.length());
                return StatsReport.of(window, to, BUCKETS, nodes.list(connection),
                        stats.traffic(connection, from, to, BUCKETS), stats.siteTraffic(connection, from, to, site), site,
                        stats.breakdown(connection, from, to));
            });
        } catch (SQLException e) {
            if (QUERY_CANCELED.equals(e.getSQLState())) {
                throw new ApiException(503, "database_unavailable", "window " + window.label() + ": the database did"
                        + " not finish the figures within " + NodeStats.STATEMENT_TIMEOUT.toSeconds() + " s (it may be"
                        + " busy, or hold more heartbeats than it can sum in time); retry, or ask for a shorter window");
            }
            throw e;
        }
        return report;
    }

    private static Optional<String> site(ApiCall.Query query) throws ApiException {
        Optional<String> label = query.text("site");
        if (label.isPresent() && !Site.isValidName(label.get())) {
            throw ApiException.badRequest("site: " + Text.quote(label.get()) + " is not a site label (expected a site"
                    + " name: 1-63 of a-z 0-9 . _ -, starting with a letter or digit; or other, or none)");
        }
        return label;
    }

    private static StatsWindow window(ApiCall.Query query) throws ApiException {
        String label = query.text("window").orElse(StatsWindow.DEFAULT.label());
        return StatsWindow.fromLabel(label).orElseThrow(() -> ApiException.badRequest("window: " + Text.quote(label)
                + " is not a window (expected one of: " + StatsWindow.labels() + ")"));
    }
}
