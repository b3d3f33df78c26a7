package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.Nodes;
import io.blueorigin.cdn.admin.db.Pops;
import io.blueorigin.cdn.admin.db.RoutingVersion;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /api/v1/routing?after=V&wait=S} (scope {@code read}, or any node token): the routing view
 * ({@link RoutingView}) at once when its version is above V or S is 0, else as soon as it rises (a change on
 * any admin replica: {@code LISTEN/NOTIFY} on channel {@value RoutingVersion#CHANNEL}), else after S seconds
 * with the same version. Built like {@link LongPollApi}: a waiting poll holds no thread ({@link LongPoll}),
 * parked in its own {@link LongPolls} registry, which the listener wakes with each notified version.
 */
final class RoutingApi {
    private final Database database;
    private final Nodes nodes;
    private final Pops pops;
    private final LongPolls polls;
    private final ScheduledExecutorService scheduler;

    RoutingApi(Database database, Nodes nodes, Pops pops, LongPolls polls, ScheduledExecutorService scheduler) {
        this.database = requireNonNull(database, "database is null");
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.pops = requireNonNull(pops, "pops is null");
        this.polls = requireNonNull(polls, "polls is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
    }

    void poll(ApiCall call) throws ApiException, SQLException, IOException {
        ApiCall.Query query = call.query("after", "wait");
        long after = query.integer("after", 0, Long.MAX_VALUE, 0L);
        long wait = query.integer("wait", 0, LongPollApi.MAX_WAIT_SECONDS, 0L);
        LongPoll.answerOrPark(call, after, Duration.ofSeconds(wait), polls,
                (mustAnswer, notified, response, claim) -> answer(after, mustAnswer, response, claim), scheduler);
    }

    /** Answers with the view if its version is above {@code after}, or if {@code force}; else writes nothing. */
    private LongPollApi.Outcome answer(long after, boolean force, HttpServletResponse response, BooleanSupplier claim)
            throws SQLException, IOException {
        Optional<Map<String, Object>> view = database.inSnapshot(connection -> {
            long version = RoutingVersion.current(connection);
            if (version <= after && !force) {
                return Optional.empty();
            }
            return Optional.of(RoutingView.of(version, pops.list(connection), nodes.list(connection)));
        });
        if (view.isEmpty()) {
            return LongPollApi.Outcome.NOTHING_NEW;
        }
        if (claim.getAsBoolean()) {
            ApiResponses.json(response, 200, view.get());
        }
        return LongPollApi.Outcome.ANSWERED;
    }
}
