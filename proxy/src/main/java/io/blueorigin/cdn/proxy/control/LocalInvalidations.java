package io.blueorigin.cdn.proxy.control;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.storage.StoredObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * What the request path must know of the invalidations this node applied: the active bans, the time of
 * the last soft purge-all, the id of the last entry applied (with futures waiting for a later one), and the
 * tier keys that sign and verify {@link #ORDERING_FIELD}. The agent is the only writer; the request path
 * reads. Thread-safe: the hit path reads two volatile fields and does nothing more while no ban is active.
 *
 * <p>Waiters ({@link #whenApplied}) leave {@code waiters} on every path: completed by {@link #applied}, or
 * removed by their own timeout. So the map holds only futures still waiting, at most one per request held
 * by a shield ({@link #waiting()} counts them).
 */
public final class LocalInvalidations {
    /**
     * Request field an edge puts on its fetches: the id of the last invalidation it applied, signed with a
     * tier key ({@link TierKeys}). A shield that has not applied that id yet holds the request until it has
     * (bounded by {@code control.ordering-wait}), so an edge never refills from a shield copy the edge's own
     * purge has already removed. Unsigned or badly signed values are ignored.
     */
    public static final String ORDERING_FIELD = "Blue-Origin-Invalidation";

    /**
     * Copy-on-write; replaced by the agent only: by its follower (screen, retire) and its sweeper (lift), each
     * replacement under {@link #banWrites} so that neither loses the other's change.
     */
    private volatile Ban[] bans = new Ban[0];
    private final Object banWrites = new Object();
    /** Objects whose response arrived at or before this are stale (a soft purge-all); 0: none. */
    private volatile long softPurgeAllAtMillis;
    private volatile long lastApplied;
    /**
     * The highest id whose effects have begun here: written before an entry's effects by the agent, and by an
     * edge's own {@code PURGE} (applied at once, before the agent reads it from the log); so it is at least
     * {@link #lastApplied} once set. What an edge's fetches carry ({@link #signedOrdering()}): a purge that
     * has removed an object but is not yet marked applied must already make the shield wait for it, or a fetch in
     * that window refills the edge from the shield's stale copy (seen by purge-propagation.sh, 1 run in 5).
     */
    private final java.util.concurrent.atomic.AtomicLong applying = new java.util.concurrent.atomic.AtomicLong();
    /**
     * Completes when this node may serve from its store after a start: true once it has replayed what it
     * missed, false when admin could not be reached (it then serves, and reports the lag). Completed at
     * once for a standalone node.
     */
    private final CompletableFuture<Boolean> replayed = new CompletableFuture<>();
    /** Guarded by itself: futures waiting for an id, by id. */
    private final TreeMap<Long, Set<CompletableFuture<Boolean>>> waiters = new TreeMap<>();
    /** Keys of the tier; replaced by the agent when admin hands out others. */
    private volatile TierKeys tierKeys = TierKeys.NONE;
    /** This node's name, as it signs {@link #ORDERING_FIELD}; set with the first keys. */
    private volatile String nodeName = "";

    /**
     * What a lookup may use of {@code stored} under {@code primaryKey}: null if a ban invalidates it, a
     * stale copy if a soft purge-all came after it, else {@code stored} itself.
     */
    public @Nullable StoredObject screen(String primaryKey, StoredObject stored, long nowMillis) {
        CachedResponse screened = screen(primaryKey, stored.response(), nowMillis);
        return screened == null ? null : screened == stored.response() ? stored : stored.withResponse(screened);
    }

    /**
     * {@link #screen(String, StoredObject, long)} for metadata alone (the cache inspector): null if a ban
     * invalidates it, a stale copy if a soft purge-all came after it, else {@code response} itself.
     */
    public @Nullable CachedResponse screen(String primaryKey, CachedResponse response, long nowMillis) {
        long responseTime = response.responseTimeMillis();
        for (Ban ban : bans) {
            if (ban.bans(primaryKey, responseTime)) {
                return null;
            }
        }
        if (responseTime <= softPurgeAllAtMillis) {
            return response.markedStale(nowMillis);
        }
        return response;
    }

    /** The ids of the bans covering an object under {@code primaryKey} that arrived at {@code responseTimeMillis}. */
    public List<Long> bansCovering(String primaryKey, long responseTimeMillis) {
        List<Long> ids = new ArrayList<>(1);
        for (Ban ban : bans) {
            if (ban.bans(primaryKey, responseTimeMillis)) {
                ids.add(ban.id());
            }
        }
        return ids;
    }

    /** Whether a ban covers {@code primaryKey} now (for removing what it invalidated). */
    public boolean anyBanMatches(String primaryKey, long responseTimeMillis) {
        for (Ban ban : bans) {
            if (ban.bans(primaryKey, responseTimeMillis)) {
                return true;
            }
        }
        return false;
    }

    public long lastApplied() {
        return lastApplied;
    }

    /**
     * Completes with true once entry {@code id} is applied (at once if it is), or with false when
     * {@code timeoutMillis} pass first; a future that times out leaves the waiters at once.
     */
    public CompletableFuture<Boolean> whenApplied(long id, long timeoutMillis) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        synchronized (waiters) {
            if (lastApplied >= id) {
                return CompletableFuture.completedFuture(Boolean.TRUE);
            }
            waiters.computeIfAbsent(id, k -> new HashSet<>(2)).add(f);
        }
        // leave the map first, then complete: whoever sees the timeout sees the map without it
        CompletableFuture.delayedExecutor(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS).execute(() -> {
            forget(id, f);
            f.complete(Boolean.FALSE);
        });
        return f;
    }

    private void forget(long id, CompletableFuture<Boolean> f) {
        synchronized (waiters) {
            Set<CompletableFuture<Boolean>> list = waiters.get(id);
            if (list != null && list.remove(f) && list.isEmpty()) {
                waiters.remove(id);
            }
        }
    }

    /** Futures of {@link #whenApplied} still waiting (for readiness details and tests). */
    public int waiting() {
        synchronized (waiters) {
            int n = 0;
            for (Set<CompletableFuture<Boolean>> list : waiters.values()) {
                n += list.size();
            }
            return n;
        }
    }

    /**
     * The signed {@link #ORDERING_FIELD} value an edge sends: the last id whose effects began here (applied, or
     * being applied: {@link #applying}), signed with the tier key; empty while this node holds no keys (then it
     * sends none, and a shield would ignore an unsigned one).
     */
    public Optional<String> signedOrdering() {
        return tierKeys.sign(Math.max(applying.get(), lastApplied), nodeName);
    }

    /**
     * Names the site of an edge's fetch for its shield (the shield's upstream is the site's origin): signed with the
     * tier key, or, with no keys (a node not following admin), the bare name, which a shield takes only from a
     * trusted proxy.
     */
    public static final String SITE_FIELD = "Blue-Origin-Site";

    /** The {@link #SITE_FIELD} value for {@code site}: signed when this node holds tier keys, else the bare name. */
    public String siteField(String site) {
        return tierKeys.signSite(site).orElse(site);
    }

    /**
     * The site a {@link #SITE_FIELD} value names: signed by a node of the tier; or, when this node holds no keys
     * and {@code peerTrusted}, the bare name. Null otherwise (as if absent).
     */
    public @Nullable String verifiedSite(@Nullable String value, boolean peerTrusted) {
        TierKeys keys = tierKeys;
        if (keys.present()) {
            return keys.verifiedSite(value);
        }
        return peerTrusted && value != null && io.blueorigin.cdn.httpcache.site.Site.isValidName(value) ? value : null;
    }

    /** The id a {@link #ORDERING_FIELD} value carries if a node of the tier signed it; 0 otherwise (as if absent). */
    public long verifiedOrdering(@Nullable String value) {
        return tierKeys.verifiedId(value);
    }

    /** Whether the start-up replay is over (done, or given up because admin was unreachable). */
    public boolean replayOver() {
        return replayed.isDone();
    }

    /** {@link #replayOver()} as a future, giving up with false after {@code timeoutMillis}. */
    public CompletableFuture<Boolean> whenReplayOver(long timeoutMillis) {
        return replayed.copy().completeOnTimeout(Boolean.FALSE, timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void replayOver(boolean caughtUp) {
        replayed.complete(caughtUp);
    }

    List<Ban> bans() {
        return List.of(bans);
    }

    /** Entry {@code id}'s effects begin now (before they change the store): see {@link #applying}. */
    void applying(long id) {
        applying.accumulateAndGet(id, Math::max);
    }

    // --- written by the agent only ---

    void applied(long id) {
        List<CompletableFuture<Boolean>> ready = new ArrayList<>();
        synchronized (waiters) {
            lastApplied = id;
            Map<Long, Set<CompletableFuture<Boolean>>> head = waiters.headMap(id, true);
            head.values().forEach(ready::addAll);
            head.clear();
        }
        ready.forEach(f -> f.complete(Boolean.TRUE));
    }

    void tierKeys(TierKeys keys, String name) {
        nodeName = name; // written before the keys, read after them: a reader that sees the keys sees the name
        tierKeys = keys;
    }

    TierKeys tierKeys() {
        return tierKeys;
    }

    void addBan(Ban ban) {
        synchronized (banWrites) {
            List<Ban> next = new ArrayList<>(List.of(bans));
            next.removeIf(b -> b.id() == ban.id());
            next.add(ban);
            bans = next.toArray(new Ban[0]);
        }
    }

    /** Drops ban {@code id} from the screen (a lift, by the agent's sweeper); nothing if this node does not hold it. */
    void liftBan(long id) {
        retireBans(b -> b.id() == id);
    }

    /** Drops the bans that may no longer invalidate anything: expired, or retired after their sweep. */
    void retireBans(java.util.function.Predicate<Ban> retire) {
        synchronized (banWrites) {
            List<Ban> next = new ArrayList<>(List.of(bans));
            if (next.removeIf(retire)) {
                bans = next.toArray(new Ban[0]);
            }
        }
    }

    void softPurgeAll(long atMillis) {
        softPurgeAllAtMillis = Math.max(softPurgeAllAtMillis, atMillis);
    }

    long softPurgeAllAtMillis() {
        return softPurgeAllAtMillis;
    }
}
