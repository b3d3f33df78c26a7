package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.Nodes;
import io.blueorigin.cdn.admin.db.Pops;
import io.blueorigin.cdn.admin.db.RoutingVersion;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/v1/routing?after=V&wait=S} (scope {@code read}, or any node token): the routing view
 * ({@link RoutingView}) at once when its version is above V or S is 0, else as soon as it rises (a change on
 * any admin replica: {@code LISTEN/NOTIFY} on channel {@value RoutingVersion#CHANNEL}), else after S seconds
 * with the same version. Built like {@link LongPollApi}: a waiting poll holds no thread ({@link LongPoll}),
 * parked in its own {@link LongPolls} registry, which the listener wakes with each notified version.
 *
 * <p>A version's view is rendered once, and every poll answered with that version writes the same bytes. The
 * view holds only what bumps the version (membership, state, placement, POPs), so the bytes of a version never
 * change. Rendering per poll was most of admin's CPU with 500 nodes registered: every health change made each
 * routing poller (every node that follows the registry, and each router) render the whole fleet again (87 % of
 * an admin's samples in a profile under {@code bench/AgentSim.java}).
 */
final class RoutingApi {
    private final Database database;
    private final Nodes nodes;
    private final Pops pops;
    private final LongPolls polls;
    private final ScheduledExecutorService scheduler;
    /** Guards {@link #last}'s replacement: polls woken by one bump render the view once between them. */
    private final Object rendering = new Object();
    /** The newest view rendered, or null before the first. */
    private volatile @Nullable Rendered last;

    /** Views rendered since start (one per version polled, not one per poll). */
    private final LongAdder renders = new LongAdder();

    /** A version's view, as written. */
    private record Rendered(long version, byte[] body) {}

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

    /** Views rendered since start ({@code cdn_admin_routing_renders_total}). */
    long renders() {
        return renders.sum();
    }

    /** Answers with the view if its version is above {@code after}, or if {@code force}; else writes nothing. */
    private LongPollApi.Outcome answer(long after, boolean force, HttpServletResponse response, BooleanSupplier claim)
            throws SQLException, IOException {
        Optional<byte[]> view = database.inSnapshot(connection -> {
            long version = RoutingVersion.current(connection);
            if (version <= after && !force) {
                return Optional.empty();
            }
            return Optional.of(rendered(version, connection));
        });
        if (view.isEmpty()) {
            return LongPollApi.Outcome.NOTHING_NEW;
        }
        if (claim.getAsBoolean()) {
            ApiResponses.json(response, 200, view.get());
        }
        return LongPollApi.Outcome.ANSWERED;
    }

    /** The view of {@code version}, read on {@code connection} (a snapshot at that version) unless already rendered. */
    private byte[] rendered(long version, Connection connection) throws SQLException {
        Rendered known = last;
        if (known != null && known.version() == version) {
            return known.body();
        }
        synchronized (rendering) {
            known = last;
            if (known != null && known.version() == version) {
                return known.body(); // another poll of the same wake-up rendered it meanwhile
            }
            byte[] body = ApiJson.write(RoutingView.of(version, pops.list(connection), nodes.list(connection)));
            renders.increment();
            if (known == null || version > known.version()) {
                last = new Rendered(version, body); // an older snapshot's view never replaces a newer one
            }
            return body;
        }
    }
}
