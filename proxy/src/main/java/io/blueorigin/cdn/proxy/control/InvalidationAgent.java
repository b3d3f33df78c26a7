package io.blueorigin.cdn.proxy.control;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.httpcache.site.SiteTable;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.ReadinessCheck;
import io.blueorigin.cdn.storage.CacheStore;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's follower of admin's invalidation log (SPEC §5): registers, long-polls for entries after the
 * last one applied, applies them in order ({@link Invalidator}), records the id with the store (a
 * durable marker written after the entry's effects), acknowledges with the number of objects affected,
 * and sends a heartbeat with stats.
 *
 * <p>At start it replays what the store missed before the node reports ready (readiness check
 * {@code invalidations}); if admin no longer holds that part of the log, or the store was filled without
 * a control plane, it drops the cache. If admin cannot be reached the node keeps serving: not ready for at
 * most {@code control.startup-wait}, then ready with the lag in the details.
 *
 * <p>Threads, each with one job, so that nothing slow holds up the rest:
 * <ul>
 *   <li>the <em>follower</em> (one thread): register, long-poll, apply entries in id order, advance the marker.
 *       It is the only writer of {@link LocalInvalidations} (bans, position, tier keys from registration), but
 *       for lifts, which the sweeper applies (the bans' writes are serialised there);
 *   <li>the <em>reporter</em> (one scheduled thread): heartbeats every {@code control.heartbeat-interval} and
 *       acknowledgements as soon as entries are applied, so neither waits behind a long apply or a long-poll
 *       (tier keys from heartbeat answers are written here too: a volatile swap, see below);
 *   <li>the <em>sweeper</em> (one thread): ban sweeps ({@link Invalidator#sweep}), one after the other, off the
 *       follower: a ban is effective as soon as it is screened, and a sweep over a large store must not delay
 *       the entries after it. Ban lifts run here too, in the same FIFO order, so a ban leaves the screen only
 *       after its sweep has finished.
 * </ul>
 *
 * <p>Invariant kept (crash safety): the marker {@value #APPLIED_MARKER} never claims more than the store
 * reflects after a crash. Every entry's store mutations are issued before the marker is written, in the
 * store's write-ahead order ({@link CacheStore#putMarker}). A ban is the one entry whose effect is not in the
 * store: it is the screen ({@link LocalInvalidations}), and the sweep only tidies up. The marker may pass a
 * ban whose sweep has not finished because every start re-screens (and re-sweeps) every ban admin still
 * holds active with an id at or below the marker ({@link #register}) before the node serves; a ban that
 * expired meanwhile covers only objects that have expired too (its TTL outlives what it bans).
 *
 * <p>Readiness: ready once caught up (or after {@code control.startup-wait} without admin). Later failures
 * of the follower are of two kinds. Admin unavailable (no connection, timeouts, 5xx): the node stays ready and
 * says so in the details, because an admin or PostgreSQL outage must not take every node out of rotation
 * (SPEC §2: nodes keep serving). Admin answers but this node cannot follow (a refused token, an answer it
 * cannot read, an entry it cannot apply): the rest of the fleet is being invalidated and this node is not, so
 * once that has lasted {@code control.startup-wait} it reports not ready until it follows again.
 */
public final class InvalidationAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InvalidationAgent.class);
    /** Marker: the id of the last entry whose effects are in the store. */
    static final String APPLIED_MARKER = "invalidation.applied";
    /** A ban stays screened this long after its sweep, for objects whose fetch was in flight during it. */
    private static final long BAN_GRACE_MILLIS = 60_000;
    /** Acks per request (admin takes up to 10,000). */
    private static final int ACK_CHUNK = 1_000;
    /** Acks kept while admin cannot take them; beyond, the oldest are dropped (heartbeats report the position anyway). */
    private static final int MAX_PENDING_ACKS = 100_000;
    /** How long closing waits for a running sweep to stop (it stops judging at once; the store finishes its pass). */
    private static final long SWEEP_STOP_WAIT_MILLIS = 10_000;

    /** Why the follower's last attempt failed. */
    enum Failure {
        /** It did not fail. */
        NONE,
        /** Admin could not be reached or is failing (no connection, timeout, 5xx): keep serving. */
        ADMIN_UNAVAILABLE,
        /** Admin answers, but this node cannot follow: refused (4xx), an unreadable answer, an entry it cannot apply. */
        CANNOT_FOLLOW
    }

    private final ControlConfig config;
    private final NodeIdentity identity;
    private final AdminClient admin;
    private final CacheStore store;
    private final LocalInvalidations local;
    private final Invalidator invalidator;
    private final Clock clock;
    private final Supplier<URI> trafficUrl;
    private final Supplier<URI> managementUrl;
    private final Supplier<JsonNode> stats;
    private final Thread follower;
    private final ScheduledExecutorService reporter;
    private final ExecutorService sweeper;
    private final long startedAtMillis;

    private volatile boolean caughtUp;
    private volatile long latestKnown;
    private volatile long lastContactMillis;
    private volatile boolean closed;
    /** The follower's last failure: kind, message, and since when it has failed without a success. */
    private volatile Failure failure = Failure.NONE;
    private volatile String lastError = "";
    private volatile long failingSinceMillis;
    /** The reporter's last failure ("" when its last call succeeded); shown, never decides readiness. */
    private volatile String reportError = "";
    /** The node's sites: admin's table at registration, then the log's site entries (through the invalidator). */
    private final SiteDirectory sites;
    /** Set by the reporter when admin no longer knows this node (404): the follower registers again. */
    private volatile boolean registerAgain;
    private final AtomicBoolean reporting = new AtomicBoolean();
    /** Bans swept, with the time they may be retired (follower only). */
    private final Map<Long, Long> retireAt = new LinkedHashMap<>();
    /** Bans whose sweep finished, with when (written by the sweeper, drained by the follower). */
    private final Map<Long, Long> swept = new ConcurrentHashMap<>();
    /** Acks to send (any thread adds, the reporter drains into {@link #unsent}). */
    private final ConcurrentLinkedQueue<AdminClient.Ack> acks = new ConcurrentLinkedQueue<>();
    /** Acks taken from {@link #acks} that admin has not accepted yet (reporter thread only). */
    private final ArrayDeque<AdminClient.Ack> unsent = new ArrayDeque<>();
    private final AtomicBoolean ackFlushQueued = new AtomicBoolean();
    private final AtomicLong droppedAcks = new AtomicLong();
    /** Entries applied since start, by {@link Invalidation.Kind} ordinal; objects they affected (for metrics). */
    private final AtomicLongArray appliedByKind = new AtomicLongArray(Invalidation.Kind.values().length);
    private final AtomicLong objectsAffected = new AtomicLong();
    /**
     * Where an entry's time goes, per stage (exported as {@code cdn_invalidation_stage_seconds}): {@code delivery}
     * from its commit in admin's log (its {@code createdAt}, the database's clock) to this node reading it (this
     * node's clock: across machines it includes their clock offset), and {@code apply} from reading it to its
     * effects and the marker being in the store. Follower thread writes; Dropwizard's lock-free reservoir.
     */
    private final Timer deliveryTimes = new Timer(LockFreeExponentiallyDecayingReservoir.builder().build());
    private final Timer applyTimes = new Timer(LockFreeExponentiallyDecayingReservoir.builder().build());

    InvalidationAgent(ControlConfig config, NodeIdentity identity, AdminClient admin, CacheStore store, LocalInvalidations local,
            Invalidator invalidator, SiteDirectory sites, Clock clock, Supplier<URI> trafficUrl, Supplier<URI> managementUrl,
            Supplier<JsonNode> stats) {
        this.sites = requireNonNull(sites, "sites is null");
        this.config = requireNonNull(config, "config is null");
        this.identity = requireNonNull(identity, "identity is null");
        this.admin = requireNonNull(admin, "admin is null");
        this.store = requireNonNull(store, "store is null");
        this.local = requireNonNull(local, "local is null");
        this.invalidator = requireNonNull(invalidator, "invalidator is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.trafficUrl = trafficUrl;
        this.managementUrl = managementUrl;
        this.stats = stats;
        this.startedAtMillis = System.currentTimeMillis();
        this.follower = new Thread(this::run, identity.name() + "-invalidations");
        this.follower.setDaemon(true);
        this.reporter = Executors.newSingleThreadScheduledExecutor(daemon(identity.name() + "-control-reports"));
        this.sweeper = Executors.newSingleThreadExecutor(daemon(identity.name() + "-ban-sweeps"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    void start() {
        follower.start();
    }

    /**
     * Ready once the store has caught up with the log, or once {@code control.startup-wait} has passed; not
     * ready while this node has been unable to follow a reachable admin for {@code control.startup-wait}.
     */
    public ReadinessCheck.Result readiness() {
        long now = System.currentTimeMillis();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("admin", admin.currentAdmin().toString());
        if (config.adminUrls().size() > 1) {
            details.put("adminReplicas", config.adminUrls().size());
            details.put("adminFailovers", admin.failovers());
        }
        details.put("lastApplied", local.lastApplied());
        details.put("sitesVersion", sites.table().version());
        details.put("sites", sites.table().size());
        details.put("latest", latestKnown);
        details.put("lagEntries", lagEntries());
        details.put("lastContactAgoMs", contactAgeMillis());
        details.put("activeBans", local.bans().size());
        details.put("heldForOrdering", local.waiting());
        Failure current = failure;
        if (current != Failure.NONE) {
            details.put("error", lastError);
            details.put("failingForMs", now - failingSinceMillis);
        }
        if (!reportError.isEmpty()) {
            details.put("reportError", reportError);
        }
        if (current == Failure.CANNOT_FOLLOW && now - failingSinceMillis >= config.startupWait().toMillis()) {
            details.put("stuck", "admin answers but this node cannot follow its invalidation log, so it may serve objects"
                    + " that were purged: fix what the error says (a node token for this node, a reachable admin)");
            return ReadinessCheck.Result.notReady(details);
        }
        boolean waitedEnough = now - startedAtMillis >= config.startupWait().toMillis();
        if (caughtUp || waitedEnough) {
            if (!caughtUp) {
                details.put("degraded", "not caught up with admin's invalidation log since start; serving anyway "
                        + "(control.startup-wait passed)");
            } else if (current == Failure.ADMIN_UNAVAILABLE) {
                details.put("degraded", "admin unavailable; serving from cache, invalidations resume when it is back");
            }
            return ReadinessCheck.Result.ready(details);
        }
        return ReadinessCheck.Result.notReady(details);
    }

    /** Entries of {@code kind} applied since this node started. */
    public long applied(Invalidation.Kind kind) {
        return appliedByKind.get(kind.ordinal());
    }

    /** Objects removed or marked stale by the entries applied since start. */
    public long objectsAffected() {
        return objectsAffected.get();
    }

    /** The per-stage timers of applied entries, by stage name ({@code delivery}, {@code apply}). */
    public Map<String, Timer> stageTimes() {
        return stages(deliveryTimes, applyTimes);
    }

    /** The stages by name: the labels of {@code cdn_invalidation_stage_seconds}, for every node, agent or not. */
    static Map<String, Timer> stages(Timer delivery, Timer apply) {
        return Map.of("delivery", delivery, "apply", apply);
    }

    /** Milliseconds since admin last answered, or -1 if it never has. */
    public long contactAgeMillis() {
        long last = lastContactMillis;
        return last == 0 ? -1 : System.currentTimeMillis() - last;
    }

    /** Entries admin holds that this node has not applied, as far as it knows. */
    public long lagEntries() {
        return Math.max(0, latestKnown - local.lastApplied());
    }

    // --- the follower ---

    private void run() {
        long backoff = 200;
        boolean registered = false;
        while (!closed) {
            try {
                if (!registered || registerAgain) {
                    registerAgain = false;
                    register();
                    registered = true;
                    startReporting();
                }
                pollOnce();
                failure = Failure.NONE;
                lastError = "";
                backoff = 200;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                local.replayOver(false); // admin unreachable at start: serve what is stored rather than hold requests
                failed(e);
                if (e instanceof AdminClient.AdminError err && err.status == 404) {
                    registered = false; // admin forgot this node (a fresh database): register again
                }
                sleep(backoff);
                backoff = Math.min(5_000, backoff * 2);
            }
        }
    }

    private void failed(Exception e) {
        Failure kind = classify(e);
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (!message.equals(lastError)) {
            LOG.warn("{}: invalidation log: {} ({}; retrying, the node keeps serving)", identity.name(), message,
                    kind == Failure.ADMIN_UNAVAILABLE ? "admin unavailable" : "cannot follow: fix this");
        }
        if (failure == Failure.NONE || failure != kind) {
            failingSinceMillis = System.currentTimeMillis();
        }
        lastError = message;
        failure = kind;
    }

    /** Which kind of failure {@code e} is (see {@link Failure}). */
    static Failure classify(Exception e) {
        if (e instanceof AdminClient.AdminError err) {
            return err.status >= 500 || err.status == 408 || err.status == 429 ? Failure.ADMIN_UNAVAILABLE : Failure.CANNOT_FOLLOW;
        }
        if (e instanceof AdminClient.UnreadableAnswer || e instanceof RuntimeException) {
            return Failure.CANNOT_FOLLOW;
        }
        return Failure.ADMIN_UNAVAILABLE;
    }

    /** Registers and decides where to resume: the stored marker, or (gap, unknown history) a dropped cache. */
    private void register() throws IOException {
        invalidator.restore();
        long marker = store.marker(APPLIED_MARKER, -1);
        AdminClient.Registration r = admin.register(identity.name(), identity.role().label(), identity.pop(), trafficUrl.get(),
                managementUrl.get(), Math.max(0, marker), config.placement());
        contact(r.latest());
        r.sites().ifPresent(table -> {
            if (table.version() != sites.table().version() || !table.sites().equals(sites.table().sites())) {
                LOG.info("{}: site table from admin: {} (had {})", identity.name(), table, sites.table());
                sites.replace(table); // admin's table is the truth; log entries up to its version are in it
            }
        });
        // every keyring as of registration; keys_put entries after it replace one site's keyring each
        r.signingKeys().ifPresent(keyrings -> sites.keyrings().replaceAll(keyrings));
        r.tierKeys().ifPresentOrElse(keys -> local.tierKeys(keys, identity.name()), () -> LOG.warn("{}: admin handed out"
                + " no tier keys (an older admin?): fetches between tiers are not ordered", identity.name()));
        long resumeAfter;
        if (marker < 0) {
            int dropped = store.primaryKeys().isEmpty() ? 0 : store.clear();
            if (dropped > 0) {
                LOG.warn("{}: the store holds {} object(s) from before this node followed admin's invalidation log; "
                        + "dropped them", identity.name(), dropped);
            }
            resumeAfter = r.latest();
        } else if (marker > r.latest()) {
            int dropped = store.clear();
            LOG.warn("{}: the store applied invalidations up to {} but admin's log ends at {} (a new database?); dropped "
                    + "the cache ({} object(s))", identity.name(), marker, r.latest(), dropped);
            resumeAfter = r.latest();
        } else if (marker < r.oldestRetained() - 1) {
            int dropped = store.clear();
            LOG.warn("{}: missed invalidations {}..{} that admin no longer retains; dropped the cache ({} object(s))",
                    identity.name(), marker + 1, r.oldestRetained() - 1, dropped);
            resumeAfter = r.latest();
        } else {
            resumeAfter = marker;
        }
        for (Invalidation ban : r.activeBans()) {
            if (ban.id() <= resumeAfter) {
                sweepLater(invalidator.screen(ban), null); // still active: screen now, sweep (the store may predate it)
            }
        }
        store.putMarker(APPLIED_MARKER, resumeAfter);
        local.applied(resumeAfter);
        LOG.info("{}: following admin's invalidation log from {} (latest {})", identity.name(), resumeAfter, r.latest());
        if (resumeAfter >= r.latest()) {
            caughtUp(); // nothing to replay: ready now, not after the first long-poll's wait
        }
    }

    private void pollOnce() throws IOException {
        boolean behind = local.lastApplied() < latestKnown;
        int wait = behind ? 0 : (int) config.pollWait().toSeconds();
        AdminClient.Poll poll = admin.poll(local.lastApplied(), wait);
        long readAtNanos = System.nanoTime();
        long readAtMillis = System.currentTimeMillis();
        contact(poll.latest());
        for (Invalidation entry : poll.entries()) {
            if (entry.id() <= local.lastApplied()) {
                continue;
            }
            Long createdAt = poll.createdAtMillis().get(entry.id());
            if (createdAt != null) {
                deliveryTimes.update(Math.max(0, readAtMillis - createdAt), TimeUnit.MILLISECONDS);
            }
            Instant appliedAt = Instant.ofEpochMilli(clock.millis());
            local.applying(entry.id()); // before the effects: fetches from now on make the shield wait for this entry
            if (entry.kind() == Invalidation.Kind.BAN) {
                sweepLater(invalidator.screen(entry), appliedAt); // acked with its count once swept
            } else if (entry.kind() == Invalidation.Kind.BAN_LIFT) {
                liftLater(entry, appliedAt); // acked once lifted
            } else {
                int affected = invalidator.applyNow(entry);
                objectsAffected.addAndGet(affected);
                ack(new AdminClient.Ack(entry.id(), affected, appliedAt));
            }
            store.putMarker(APPLIED_MARKER, entry.id()); // after the entry's effects, in the same write-ahead log
            local.applied(entry.id());
            appliedByKind.incrementAndGet(entry.kind().ordinal());
            applyTimes.update(System.nanoTime() - readAtNanos, TimeUnit.NANOSECONDS);
        }
        if (local.lastApplied() >= poll.latest()) {
            if (poll.sitesVersion() > sites.table().version()) {
                // caught up, yet a site change is missing: its entry left the log (retention) before this node read it
                SiteTable table = admin.sites();
                LOG.info("{}: site table {} is behind admin's ({}); replaced with {}", identity.name(), sites.table(),
                        poll.sitesVersion(), table);
                sites.replace(table);
            }
            caughtUp();
        }
        retireBans();
    }

    private void caughtUp() {
        if (!caughtUp) {
            caughtUp = true;
            local.replayOver(true);
            LOG.info("{}: caught up with admin's invalidation log at {}", identity.name(), local.lastApplied());
        }
    }

    private void retireBans() {
        swept.forEach((id, at) -> {
            retireAt.put(id, at + BAN_GRACE_MILLIS);
            swept.remove(id, at);
        });
        long now = System.currentTimeMillis();
        long nodeNow = clock.millis();
        local.retireBans(b -> {
            Long at = retireAt.get(b.id());
            return b.expiresAtMillis() <= nodeNow || (at != null && at <= now);
        });
        retireAt.values().removeIf(at -> at <= now);
    }

    private void contact(long latest) {
        lastContactMillis = System.currentTimeMillis();
        latestKnown = Math.max(latestKnown, latest);
    }

    // --- the sweeper ---

    /** Queues the sweep of {@code ban} (already screened); acks it with its count when {@code appliedAt} is given. */
    private void sweepLater(Ban ban, Instant appliedAt) {
        try {
            sweeper.execute(() -> {
                int removed;
                try {
                    removed = invalidator.sweep(ban, () -> closed);
                } catch (RuntimeException e) {
                    LOG.warn("{}: sweeping {} failed ({}); it stays screened until it expires", identity.name(), ban,
                            e.toString());
                    if (appliedAt != null) {
                        ack(new AdminClient.Ack(ban.id(), 0, appliedAt));
                    }
                    return;
                }
                swept.put(ban.id(), System.currentTimeMillis());
                objectsAffected.addAndGet(removed);
                if (appliedAt != null) {
                    ack(new AdminClient.Ack(ban.id(), removed, appliedAt));
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: closing; {} stays unswept (screened at the next start)", identity.name(), ban);
        }
    }

    /**
     * Queues lift {@code entry} behind the sweeps already queued: the sweeper runs them one after the other, so the
     * lifted ban's own sweep (queued when it was screened, here or at registration) has finished when its screen
     * goes, and nothing the ban covered comes back. Acks with 0 objects once lifted. The marker may pass the lift
     * before it runs: a restart screens only the bans admin still holds active, and a lifted one is not.
     */
    private void liftLater(Invalidation entry, Instant appliedAt) {
        try {
            sweeper.execute(() -> {
                invalidator.lift(entry);
                ack(new AdminClient.Ack(entry.id(), 0, appliedAt));
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: closing; lift {} not applied (the ban is not screened at the next start)", identity.name(),
                    entry.id());
        }
    }

    // --- the reporter ---

    private void startReporting() {
        if (reporting.compareAndSet(false, true)) {
            reporter.scheduleWithFixedDelay(this::report, 0, config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Queues an ack; the reporter sends it at once (with the ones before it that admin has not taken). */
    private void ack(AdminClient.Ack ack) {
        acks.add(ack);
        if (ackFlushQueued.compareAndSet(false, true)) {
            try {
                reporter.execute(this::flushAcks);
            } catch (RejectedExecutionException e) {
                LOG.trace("IGNORED: closing", e);
            }
        }
    }

    /** One heartbeat, then whatever acks are waiting. Runs on the reporter every heartbeat interval. */
    private void report() {
        try {
            AdminClient.Beat beat = admin.heartbeat(identity.name(), local.lastApplied(), stats.get());
            contact(beat.latest());
            beat.tierKeys().ifPresent(keys -> local.tierKeys(keys, identity.name()));
            reportError = "";
        } catch (IOException | RuntimeException e) {
            reported(e);
        }
        flushAcks();
    }

    private void flushAcks() {
        ackFlushQueued.set(false);
        for (AdminClient.Ack ack; (ack = acks.poll()) != null; ) {
            unsent.addLast(ack);
        }
        while (unsent.size() > MAX_PENDING_ACKS) {
            unsent.removeFirst(); // they feed the status view only: the heartbeat's lastApplied says how far this node got
            droppedAcks.incrementAndGet();
        }
        try {
            while (!unsent.isEmpty()) {
                List<AdminClient.Ack> chunk = new ArrayList<>(Math.min(ACK_CHUNK, unsent.size()));
                for (AdminClient.Ack ack : unsent) {
                    if (chunk.size() == ACK_CHUNK) {
                        break;
                    }
                    chunk.add(ack);
                }
                admin.ack(identity.name(), chunk);
                for (int i = 0; i < chunk.size(); i++) {
                    unsent.removeFirst();
                }
            }
        } catch (IOException | RuntimeException e) {
            reported(e); // kept for the next heartbeat's flush
        }
    }

    private void reported(Exception e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (!message.equals(reportError)) {
            LOG.warn("{}: heartbeat/acks: {} (retrying at the next heartbeat)", identity.name(), message);
        }
        reportError = message;
        if (e instanceof AdminClient.AdminError err && err.status == 404) {
            registerAgain = true;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the three threads; waits (bounded) for a running sweep, which stops judging at once, to leave the store. */
    @Override
    public void close() {
        closed = true;
        follower.interrupt();
        reporter.shutdownNow();
        sweeper.shutdownNow();
        try {
            if (!sweeper.awaitTermination(SWEEP_STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: a ban sweep is still running after {} ms", identity.name(), SWEEP_STOP_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
