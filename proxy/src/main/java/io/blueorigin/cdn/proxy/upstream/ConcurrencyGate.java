package io.blueorigin.cdn.proxy.upstream;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.LongAdder;

/**
 * At most {@code maxConcurrent} requests to one upstream at a time, and at most {@code maxQueued} waiting
 * for a turn; beyond that a request is refused at once (the proxy answers stale or a fast 503 with
 * {@code Retry-After}), so an overloaded origin sees a bounded load and the proxy holds bounded state.
 * A waiting request runs when a permit is released, in arrival order. Thread-safe (one lock).
 */
public final class ConcurrencyGate {
    private final int maxConcurrent;
    private final int maxQueued;
    /** Guarded by this. */
    private int inFlight;
    /** Guarded by this. */
    private final Deque<Runnable> queue = new ArrayDeque<>();
    private final LongAdder rejected = new LongAdder();

    public ConcurrencyGate(int maxConcurrent, int maxQueued) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("upstream.max-concurrent : " + maxConcurrent + " (expected: >= 1)");
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("upstream.max-queued : " + maxQueued + " (expected: >= 0)");
        }
        this.maxConcurrent = maxConcurrent;
        this.maxQueued = maxQueued;
    }

    /**
     * Runs {@code go} now if a permit is free, later if the queue has room; returns false (and runs nothing)
     * when both are full. Whoever runs {@code go} must call {@link #release()} exactly once afterwards.
     */
    public boolean enter(Runnable go) {
        synchronized (this) {
            if (inFlight < maxConcurrent) {
                inFlight++;
            } else if (queue.size() < maxQueued) {
                queue.addLast(go);
                return true;
            } else {
                rejected.increment();
                return false;
            }
        }
        go.run();
        return true;
    }

    /** Frees a permit, handing it straight to the oldest waiting request if there is one. */
    public void release() {
        Runnable next;
        synchronized (this) {
            next = queue.pollFirst();
            if (next == null) {
                inFlight--;
                return;
            }
        }
        next.run();
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    public synchronized int queued() {
        return queue.size();
    }

    public long rejected() {
        return rejected.sum();
    }
}
