package io.blueorigin.cdn.storage;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's budget for body bytes in transit ({@code store.in-flight.max-size}): the chunks of bodies
 * still arriving ({@link GrowingBody}: kept for the heap tier, on their way to disk, passing through) and
 * the chunks read back from disk for delivery. Every node in a JVM shares one instance
 * ({@link #forProcess}), because the heap they compete for is one.
 *
 * <h2>Accounting</h2>
 * Holders {@link #reserve} bytes when they allocate and {@link #release} exactly what they reserved when
 * they drop it; the budget itself never refuses a reservation. {@link #isExhausted()} is the signal holders
 * act on: a body kept for the heap spills to disk (or, without a disk tier, stops being stored), a spilling
 * body keeps no chunk it need not, a body passing through pauses its upstream ({@link #whenAvailable}) while
 * it holds more than one chunk, and a disk reader stops reading ahead. Since a holder may always take its
 * first chunk, {@link #usedBytes()} can exceed {@link #maxBytes()} by about one chunk per active body: the
 * price of progress (no body ever waits for another to finish).
 *
 * <p>At rest (no body in transit) {@link #usedBytes()} is 0; the tests check it after every path.
 *
 * <h2>Threading</h2>
 * Thread-safe and lock-free. Waiters run once, on the thread whose release made room (or at once on the
 * registering thread when there is room already).
 */
public final class MemoryBudget {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryBudget.class);
    /** The process's budget, sized by the first store opened without an explicit one. */
    private static final Shared PROCESS = new Shared();

    private volatile long maxBytes;
    private final AtomicLong used = new AtomicLong();
    private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();

    /** A budget of its own (tests, benchmarks); nodes share {@link #forProcess}. */
    public MemoryBudget(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("store.in-flight.max-size : " + maxBytes + " bytes (expected: > 0)");
        }
        this.maxBytes = maxBytes;
    }

    /**
     * The process's budget. The first call sizes it; a later call asking for a smaller budget lowers it
     * (the smallest value any node in the process configured wins, so one node's setting never lets
     * another run the heap out) and logs a warning naming both values; a larger one is ignored, with the
     * same warning.
     */
    public static MemoryBudget forProcess(long maxBytes) {
        return PROCESS.budget(maxBytes);
    }

    /** One budget shared by its callers, sized by the smallest size asked for (see {@link #forProcess}). */
    static final class Shared {
        private @Nullable MemoryBudget budget;

        synchronized MemoryBudget budget(long maxBytes) {
            MemoryBudget b = budget;
            if (b == null) {
                b = new MemoryBudget(maxBytes);
                budget = b;
            } else if (b.maxBytes != maxBytes) {
                long chosen = Math.min(b.maxBytes, maxBytes);
                LOG.warn("store.in-flight.max-size: nodes in this process configure {} and {} bytes; the process has one "
                        + "budget for bodies in transit, and uses the smaller, {} bytes", b.maxBytes, maxBytes, chosen);
                b.maxBytes = chosen;
            }
            return b;
        }
    }

    /** Counts {@code bytes} more as held. Never refuses (see the class comment); pair with {@link #release}. */
    public void reserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes : " + bytes + " (expected: >= 0)");
        }
        used.addAndGet(bytes);
    }

    /** Gives back {@code bytes} reserved earlier and runs the waiters if that made room. */
    public void release(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes : " + bytes + " (expected: >= 0)");
        }
        long now = used.addAndGet(-bytes);
        if (now < 0) {
            throw new IllegalStateException("released more than reserved: " + now + " bytes");
        }
        if (now < maxBytes) {
            runWaiters();
        }
    }

    /** Whether holders should stop taking more than they must: every byte of the budget is held. */
    public boolean isExhausted() {
        return used.get() >= maxBytes;
    }

    /** Runs {@code action} once there is room (at once if there is). */
    public void whenAvailable(Runnable action) {
        waiters.add(action);
        if (!isExhausted()) {
            runWaiters();
        }
    }

    private void runWaiters() {
        for (Runnable r; !isExhausted() && (r = waiters.poll()) != null; ) {
            r.run();
        }
    }

    /** Bytes held now (at rest: 0). */
    public long usedBytes() {
        return used.get();
    }

    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public String toString() {
        return "MemoryBudget[" + used.get() + " of " + maxBytes + " bytes]";
    }
}
