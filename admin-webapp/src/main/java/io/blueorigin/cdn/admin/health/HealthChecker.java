package io.blueorigin.cdn.admin.health;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.InvalidationLog;
import io.blueorigin.cdn.admin.db.Node;
import io.blueorigin.cdn.admin.db.NodeState;
import io.blueorigin.cdn.admin.db.Nodes;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin's active health checks (docs/control-plane.md "Health checks"): every {@code health.interval}, the
 * admin replica holding the lease probes {@code GET <managementUrl>/readyz} of every registered node,
 * concurrently, and applies what {@link HealthStates} decides, each change in one transaction
 * ({@link Nodes#changeHealth}: the node's health, a {@code node_state_changes} row with actor
 * {@code health-check <admin name>}, the routing version and its {@code NOTIFY}).
 *
 * <p>The lease: a PostgreSQL session advisory lock ({@code pg_try_advisory_lock}) held on one dedicated
 * connection (outside the pool). Each tick a replica without it tries to take it; the holder checks its
 * connection is alive. When the holder stops or its connection breaks, PostgreSQL releases the lock and
 * another replica takes over on its next tick, so each node is probed once per interval whatever the number
 * of replicas.
 *
 * <p>State: the counters (consecutive passes and failures, recent down transitions, since when a node lags)
 * live in the lease holder's memory only, confined to the checker's one thread; a new holder starts counting
 * from the states stored in the database. Every replica refreshes {@link #counts()} (for the gauges) from the
 * database each tick.
 */
public final class HealthChecker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);
    /** The advisory lock key of the lease: one per database (so one per admin cluster). */
    static final long LEASE_KEY = 0x4344_4e5f_4845_4cL; // "CDN_HEL"
    /** Names the probing admin on each probe (for the node's logs, and tests). */
    static final String ADMIN_HEADER = "X-Cdn-Admin";
    /** Most probes in flight per node's management address. */
    static final int CONNECTIONS_PER_NODE = 2;
    /** Threads of the probing client (probes are non-blocking; these only run callbacks). */
    static final int CLIENT_THREADS = 8;

    private final Database database;
    private final HealthCheckConfig config;
    private final String actor;
    private final String name;
    private final Consumer<NodeState> changes;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService scheduler;
    private final HttpClient client;
    private final InvalidationLog log;
    private final Nodes nodes = new Nodes();
    /** Counters per node id; touched only by the scheduler thread. Empty unless this replica holds the lease. */
    private final Map<Long, Tracker> trackers = new HashMap<>();
    /** The lease connection, held while alive; scheduler thread only (and {@link #close} after it stopped). */
    private @Nullable Connection lease;
    private volatile boolean holding;
    private volatile Map<NodeState, Integer> counts = zeroCounts();

    private HealthChecker(Database database, HealthCheckConfig config, String adminName, Consumer<NodeState> changes,
            LongSupplier nanoTime) {
        this.database = database;
        this.config = config;
        this.name = adminName;
        this.actor = "health-check " + adminName;
        this.changes = changes;
        this.nanoTime = nanoTime;
        this.log = new InvalidationLog(database.config().connectTimeout());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, adminName + "-health");
            thread.setDaemon(true);
            return thread;
        });
        QueuedThreadPool threads = new QueuedThreadPool(CLIENT_THREADS, 1);
        threads.setName(adminName + "-probes");
        threads.setDaemon(true);
        this.client = new HttpClient();
        client.setExecutor(threads);
        client.setMaxConnectionsPerDestination(CONNECTIONS_PER_NODE);
        client.setConnectTimeout(config.timeout().toMillis());
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
    }

    /**
     * Starts checking every {@code config.interval()} on a daemon thread.
     *
     * @param adminName this admin's node name (the actor of its changes: {@code health-check <name>})
     * @param changes told of each change this checker commits, with the health changed to (for the metric)
     */
    public static HealthChecker start(Database database, HealthCheckConfig config, String adminName,
            Consumer<NodeState> changes) {
        return start(database, config, adminName, changes, System::nanoTime);
    }

    static HealthChecker start(Database database, HealthCheckConfig config, String adminName,
            Consumer<NodeState> changes, LongSupplier nanoTime) {
        HealthChecker checker = new HealthChecker(requireNonNull(database, "database is null"),
                requireNonNull(config, "config is null"), requireNonNull(adminName, "adminName is null"),
                requireNonNull(changes, "changes is null"), requireNonNull(nanoTime, "nanoTime is null"));
        try {
            checker.client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the health check HTTP client: " + e.getMessage(), e);
        }
        long period = config.interval().toMillis();
        checker.scheduler.scheduleAtFixedRate(checker::tick, period, period, TimeUnit.MILLISECONDS);
        return checker;
    }

    /** Whether this replica holds the lease (it is the one probing). */
    public boolean holdsLease() {
        return holding;
    }

    /** How many nodes are in each effective state, as of this replica's last tick. */
    public Map<NodeState, Integer> counts() {
        return counts;
    }

    private void tick() {
        try {
            boolean lead = ensureLease();
            List<Node> all;
            long latest;
            try {
                record View(List<Node> nodes, long latest) {}
                View view = database.inSnapshot(connection -> new View(nodes.list(connection),
                        lead ? log.bounds(connection).latest() : 0));
                all = view.nodes();
                latest = view.latest();
            } catch (SQLException e) {
                LOG.warn("{}: cannot read the nodes for the health checks ({}); trying again in {}", name, e.toString(),
                        HealthCheckConfig.describe(config.interval()));
                return;
            }
            if (lead) {
                check(all, latest);
            }
            countStates(all);
        } catch (RuntimeException e) {
            LOG.error("{}: health check tick failed; the next runs in {}", name, HealthCheckConfig.describe(config.interval()), e);
        }
    }

    /** Takes the lease if free; checks it is still held. Scheduler thread only. */
    private boolean ensureLease() {
        if (lease != null && holding) {
            try {
                if (lease.isValid((int) Math.max(1, config.timeout().toSeconds()))) {
                    return true;
                }
            } catch (SQLException e) {
                LOG.trace("IGNORED", e);
            }
            LOG.warn("{}: lost the health-check lease (its PostgreSQL connection broke); another admin replica"
                    + " takes over, and this one tries again each {}", name, HealthCheckConfig.describe(config.interval()));
            dropLease();
        }
        try {
            if (lease == null || !lease.isValid(1)) {
                dropLease();
                lease = Database.connectDirectly(database.config(), name + "-health-lease");
            }
            try (PreparedStatement lock = lease.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, LEASE_KEY);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        holding = true;
                        trackers.clear(); // count afresh from the stored states
                        LOG.info("{}: took the health-check lease; probing every node every {}", name,
                                HealthCheckConfig.describe(config.interval()));
                    }
                }
            }
        } catch (SQLException e) {
            LOG.debug("{}: cannot try the health-check lease ({})", name, e.toString());
            dropLease();
        }
        return holding;
    }

    private void dropLease() {
        holding = false;
        trackers.clear();
        Connection connection = lease;
        lease = null;
        if (connection != null) {
            try {
                connection.close(); // closing the session releases the advisory lock
            } catch (SQLException e) {
                LOG.trace("IGNORED", e);
            }
        }
    }

    private void check(List<Node> all, long latest) {
        Map<Long, CompletableFuture<HealthStates.Probe>> probes = new HashMap<>();
        for (Node node : all) {
            probes.put(node.id(), probe(node));
        }
        long now = nanoTime.getAsLong();
        trackers.keySet().retainAll(new HashSet<>(probes.keySet()));
        for (Node node : all) {
            HealthStates.Probe probe = await(probes.get(node.id()));
            Tracker tracker = trackers.computeIfAbsent(node.id(), id -> new Tracker());
            Duration lag = tracker.lag(node.lastApplied(), latest, now);
            HealthStates.Before before = new HealthStates.Before(node.health(), tracker.passes, tracker.fails,
                    tracker.recentDowns(now, config.flapWindow()), lag);
            HealthStates.After after = HealthStates.next(config, before, probe);
            tracker.passes = after.passes();
            tracker.fails = after.fails();
            if (after.changed()) {
                apply(node, after, tracker, now);
            }
        }
    }

    private void apply(Node node, HealthStates.After after, Tracker tracker, long now) {
        String reason = after.reason().orElseThrow();
        boolean changed;
        try {
            changed = database.inTransaction(connection ->
                    nodes.changeHealth(connection, node.id(), node.health(), after.state(), reason, actor));
        } catch (SQLException e) {
            LOG.warn("{}: cannot record node {} {} -> {} ({}); it is judged again next tick", name, node.name(),
                    node.health().label(), after.state().label(), e.toString());
            return;
        }
        if (!changed) {
            return; // changed meanwhile (e.g. it registered again): judged from the new state next tick
        }
        if (after.state() == NodeState.DOWN) {
            tracker.downs.addLast(now);
        }
        changes.accept(after.state());
        LOG.info("node {} {} -> {}: {}", node.name(), node.health().label(), after.state().label(), reason);
    }

    private CompletableFuture<HealthStates.Probe> probe(Node node) {
        CompletableFuture<HealthStates.Probe> outcome = new CompletableFuture<>();
        URI uri;
        try {
            String base = node.managementUrl().endsWith("/")
                    ? node.managementUrl().substring(0, node.managementUrl().length() - 1) : node.managementUrl();
            uri = new URI(base + "/readyz");
        } catch (URISyntaxException e) {
            outcome.complete(HealthStates.Probe.fail("bad managementUrl: " + e.getMessage()));
            return outcome;
        }
        try {
            client.newRequest(uri).method(HttpMethod.GET).headers(h -> h.put(ADMIN_HEADER, name)).timeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .send(result -> outcome.complete(result.isFailed() ? HealthStates.Probe.fail(failure(result.getFailure()))
                            : result.getResponse().getStatus() == 200 ? HealthStates.Probe.pass()
                            : HealthStates.Probe.fail("/readyz answered " + result.getResponse().getStatus())));
        } catch (RuntimeException e) {
            outcome.complete(HealthStates.Probe.fail(failure(e)));
        }
        return outcome;
    }

    private HealthStates.Probe await(CompletableFuture<HealthStates.Probe> probe) {
        try {
            // every probe completes by its timeout; the margin only guards against a client bug
            return probe.get(config.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return HealthStates.Probe.fail("no answer within " + HealthCheckConfig.describe(config.timeout()));
        } catch (ExecutionException e) {
            return HealthStates.Probe.fail(failure(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthStates.Probe.fail("interrupted");
        }
    }

    private String failure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof TimeoutException) {
                return "no answer within " + HealthCheckConfig.describe(config.timeout());
            }
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    private void countStates(List<Node> all) {
        Map<NodeState, Integer> tally = zeroCounts();
        for (Node node : all) {
            tally.merge(node.state(), 1, Integer::sum);
        }
        counts = Map.copyOf(tally);
    }

    private static Map<NodeState, Integer> zeroCounts() {
        Map<NodeState, Integer> zero = new EnumMap<>(NodeState.class);
        for (NodeState state : NodeState.values()) {
            zero.put(state, 0);
        }
        return zero;
    }

    /** Stops probing and releases the lease (another replica takes over on its next tick). */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(config.timeout().toMillis() + 2000, TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: the health check thread did not stop in time", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropLease();
        try {
            client.stop();
        } catch (Exception e) {
            LOG.debug("{}: stopping the health check client failed", name, e);
        }
    }

    /**
     * What the lease holder remembers of one node. Scheduler thread only.
     *
     * <p>Lag: when the node is first seen behind the log, the log's latest id then is the target and the time
     * is noted; the node lags for as long as it has not reached that target (then, if still behind, a new
     * target starts a new clock). So the lag is how long the oldest entry it has not applied has been waiting,
     * judged from heartbeats ({@code lastApplied}).
     */
    private static final class Tracker {
        int passes;
        int fails;
        /** When it went down (nanoTime), oldest first, pruned to the flap window. */
        final Deque<Long> downs = new ArrayDeque<>();
        boolean behind;
        long target;
        long behindSince;

        Duration lag(long lastApplied, long latest, long now) {
            if (behind && lastApplied >= target) {
                behind = false;
            }
            if (!behind && lastApplied < latest) {
                behind = true;
                target = latest;
                behindSince = now;
            }
            return behind ? Duration.ofNanos(now - behindSince) : Duration.ZERO;
        }

        int recentDowns(long now, Duration window) {
            while (!downs.isEmpty() && now - downs.peekFirst() > window.toNanos()) {
                downs.removeFirst();
            }
            return downs.size();
        }
    }
}
