package io.blueorigin.cdn.proxy.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.ReadinessCheck;
import io.blueorigin.cdn.storage.CacheStore;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Threading: one daemon thread runs the loop (blocking calls, each bounded); it is the only writer of
 * {@link LocalInvalidations}. The readiness check and accessors read volatile fields.
 */
public final class InvalidationAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InvalidationAgent.class);
    /** Marker: the id of the last entry whose effects are in the store. */
    static final String APPLIED_MARKER = "invalidation.applied";
    /** A ban stays screened this long after its sweep, for objects whose fetch was in flight during it. */
    private static final long BAN_GRACE_MILLIS = 60_000;
    /** Acks per request (admin takes up to 10,000). */
    private static final int ACK_CHUNK = 1_000;
    private static final int MAX_PENDING_ACKS = 100_000;

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
    private final Thread thread;
    private final long startedAtMillis;

    private volatile boolean caughtUp;
    private volatile long latestKnown;
    private volatile long lastContactMillis;
    private volatile String lastError = "";
    private volatile boolean closed;
    private long nextHeartbeatMillis;
    /** Bans swept, with the time they may be retired (agent thread only). */
    private final Map<Long, Long> retireAt = new LinkedHashMap<>();
    private final List<AdminClient.Ack> pendingAcks = new ArrayList<>();
    /** Entries applied since start, by {@link Invalidation.Kind} ordinal; objects they affected (for metrics). */
    private final AtomicLongArray appliedByKind = new AtomicLongArray(Invalidation.Kind.values().length);
    private final AtomicLong objectsAffected = new AtomicLong();

    InvalidationAgent(ControlConfig config, NodeIdentity identity, AdminClient admin, CacheStore store, LocalInvalidations local,
            Invalidator invalidator, Clock clock, Supplier<URI> trafficUrl, Supplier<URI> managementUrl, Supplier<JsonNode> stats) {
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
        this.thread = new Thread(this::run, identity.name() + "-invalidations");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Ready once the store has caught up with the log, or once {@code control.startup-wait} has passed. */
    public ReadinessCheck.Result readiness() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("admin", config.adminUrl().map(URI::toString).orElse(""));
        details.put("lastApplied", local.lastApplied());
        details.put("latest", latestKnown);
        details.put("lagEntries", lagEntries());
        details.put("lastContactAgoMs", contactAgeMillis());
        details.put("activeBans", local.bans().size());
        if (!lastError.isEmpty()) {
            details.put("error", lastError);
        }
        boolean waitedEnough = System.currentTimeMillis() - startedAtMillis >= config.startupWait().toMillis();
        if (caughtUp || waitedEnough) {
            if (!caughtUp) {
                details.put("degraded", "not caught up with admin's invalidation log since start; serving anyway "
                        + "(control.startup-wait passed)");
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

    /** Milliseconds since admin last answered, or -1 if it never has. */
    public long contactAgeMillis() {
        long last = lastContactMillis;
        return last == 0 ? -1 : System.currentTimeMillis() - last;
    }

    /** Entries admin holds that this node has not applied, as far as it knows. */
    public long lagEntries() {
        return Math.max(0, latestKnown - local.lastApplied());
    }

    private void run() {
        long backoff = 200;
        boolean registered = false;
        while (!closed) {
            try {
                if (!registered) {
                    register();
                    registered = true;
                }
                pollOnce();
                backoff = 200;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                local.replayOver(false); // admin unreachable at start: serve what is stored rather than hold requests
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                if (!message.equals(lastError)) {
                    LOG.warn("{}: invalidation log: {} (retrying; the node keeps serving)", identity.name(), message);
                }
                lastError = message;
                if (e instanceof AdminClient.AdminError err && err.status == 404) {
                    registered = false; // admin forgot this node (a fresh database): register again
                }
                sleep(backoff);
                backoff = Math.min(5_000, backoff * 2);
            }
        }
    }

    /** Registers and decides where to resume: the stored marker, or (gap, unknown history) a dropped cache. */
    private void register() throws IOException {
        invalidator.restore();
        long marker = store.marker(APPLIED_MARKER, -1);
        AdminClient.Registration r = admin.register(identity.name(), identity.role().label(), identity.pop(), trafficUrl.get(),
                managementUrl.get(), Math.max(0, marker));
        contact(r.latest());
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
                invalidator.apply(ban); // still active: screen and sweep (the store may predate it)
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
        heartbeatIfDue();
        boolean behind = local.lastApplied() < latestKnown;
        // wait about until the next heartbeat is due (whole seconds, rounded up: a quiet log must not turn
        // into a loop of zero-second polls), so a quiet log does not delay it
        long untilHeartbeat = Math.max(0, nextHeartbeatMillis - System.currentTimeMillis());
        int wait = behind ? 0 : (int) ((Math.min(config.pollWait().toMillis(), untilHeartbeat) + 999) / 1000);
        AdminClient.Poll poll = admin.poll(local.lastApplied(), wait);
        contact(poll.latest());
        for (Invalidation entry : poll.entries()) {
            if (entry.id() <= local.lastApplied()) {
                continue;
            }
            int affected = invalidator.apply(entry);
            store.putMarker(APPLIED_MARKER, entry.id()); // after the entry's effects, in the same write-ahead log
            local.applied(entry.id());
            appliedByKind.incrementAndGet(entry.kind().ordinal());
            objectsAffected.addAndGet(affected);
            pendingAcks.add(new AdminClient.Ack(entry.id(), affected, Instant.ofEpochMilli(clock.millis())));
            if (entry.kind() == Invalidation.Kind.BAN) {
                retireAt.put(entry.id(), System.currentTimeMillis() + BAN_GRACE_MILLIS);
            }
        }
        // acks go in chunks admin accepts; a backlog (admin was unreachable) is bounded, oldest dropped first:
        // they feed the status view only, the heartbeat's lastApplied says how far this node got anyway
        while (pendingAcks.size() > MAX_PENDING_ACKS) {
            pendingAcks.remove(0);
        }
        while (!pendingAcks.isEmpty()) {
            List<AdminClient.Ack> chunk = pendingAcks.subList(0, Math.min(ACK_CHUNK, pendingAcks.size()));
            admin.ack(identity.name(), List.copyOf(chunk));
            chunk.clear();
        }
        if (local.lastApplied() >= poll.latest()) {
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

    private void heartbeatIfDue() throws IOException {
        long now = System.currentTimeMillis();
        if (now < nextHeartbeatMillis) {
            return;
        }
        admin.heartbeat(identity.name(), local.lastApplied(), stats.get());
        nextHeartbeatMillis = now + config.heartbeatInterval().toMillis();
    }

    private void retireBans() {
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
        lastError = "";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
