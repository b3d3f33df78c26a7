package io.blueorigin.cdn.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request collapsing: concurrent misses (and revalidations) of one key share one upstream fetch. The
 * first request registers a {@link Fetch} and leads; the others follow it, get its outcome when the
 * headers arrive and read the body as it streams in (read-while-writer).
 *
 * <p>Invariants:
 * <ul>
 *   <li>An entry leaves the in-flight map as soon as its fetch can take no more followers: at the outcome
 *       when that is a failure, a 304 or a response that is not stored; when its body is complete
 *       otherwise. {@code Fetcher} calls {@link #settle} on every path, success or failure, so no entry
 *       outlives its fetch; a client that goes away does not touch the map.</li>
 *   <li>The map holds at most {@code maxInFlight} entries; beyond that requests fetch on their own.</li>
 *   <li>A key whose response could not be shared (not storable: private, no-store, Set-Cookie, Vary: *) is
 *       remembered for {@code hitForMissTtl} (hit-for-miss), so later requests fetch at once instead of
 *       queueing behind a fetch they could not use; the memory is bounded (Caffeine, size and time).</li>
 * </ul>
 * Thread-safe.
 */
final class Collapser {
    private final ConcurrentHashMap<String, Fetch> inFlight = new ConcurrentHashMap<>();
    private final int maxInFlight;
    private final Cache<String, Boolean> hitForMiss;
    private final LongAdder followers = new LongAdder();
    private final AtomicInteger waiting = new AtomicInteger();

    Collapser(int maxInFlight, Duration hitForMissTtl) {
        this.maxInFlight = maxInFlight;
        this.hitForMiss = Caffeine.newBuilder().executor(Runnable::run).maximumSize(100_000)
                .expireAfterWrite(hitForMissTtl.isZero() ? Duration.ofMillis(1) : hitForMissTtl).build();
    }

    /** Who a request is for a key: the leader of {@code fetch} (it must send it), or a follower of it. */
    record Registration(Fetch fetch, boolean leader) {}

    /** Registers {@code candidate} for {@code flightKey}, or returns the fetch already in flight. */
    Registration register(String flightKey, Fetch candidate) {
        if (inFlight.size() >= maxInFlight) {
            return new Registration(candidate, true); // not collapsed: the map is full
        }
        Fetch existing = inFlight.putIfAbsent(flightKey, candidate);
        if (existing == null) {
            return new Registration(candidate, true);
        }
        followers.increment();
        return new Registration(existing, false);
    }

    /** Removes {@code fetch} from the in-flight map (idempotent; a newer fetch of the key stays). */
    void settle(String flightKey, Fetch fetch) {
        inFlight.remove(flightKey, fetch);
    }

    boolean isHitForMiss(String primaryKey) {
        return hitForMiss.getIfPresent(primaryKey) != null;
    }

    void markHitForMiss(String primaryKey) {
        hitForMiss.put(primaryKey, Boolean.TRUE);
    }

    void clearHitForMiss(String primaryKey) {
        hitForMiss.invalidate(primaryKey);
    }

    /** Fetches in flight that more requests may join. */
    int inFlight() {
        return inFlight.size();
    }

    /** Requests that joined another's fetch, ever. */
    long collapsed() {
        return followers.sum();
    }

    /** Followers waiting for their leader's headers now. */
    AtomicInteger waiting() {
        return waiting;
    }
}
