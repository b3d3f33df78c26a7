package io.blueorigin.cdn.proxy.upstream;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * At most {@code maxConcurrent} requests to one upstream at a time, and at most {@code maxQueued} waiting
 * for a turn; beyond that a request is refused at once (the proxy answers stale or a fast 503 with
 * {@code Retry-After}), so an overloaded origin sees a bounded load and the proxy holds bounded state.
 *
 * <p>Two kinds of request share the gate: cache {@link Kind#FILL fills} and {@link Kind#PASS pass-through}
 * requests (methods other than GET and HEAD, whose bodies a slow client controls). Pass-through requests
 * may hold at most {@code maxPass} of the permits, so at least {@code maxConcurrent - maxPass} are always
 * left for fills: slow uploads cannot make every miss wait.
 *
 * <p>Invariants (one lock, {@code this}):
 * <ul>
 *   <li>{@code inFlight <= maxConcurrent}, {@code passInFlight <= min(inFlight, maxPass)},
 *       {@code queue size <= maxQueued};</li>
 *   <li>every admitted request holds exactly one {@link Permit}; {@link Permit#close()} returns it once (later
 *       calls do nothing), so a caller can close on every path without counting;</li>
 *   <li>a returned permit goes straight to the oldest waiter that may take it (a fill always may; a pass only
 *       while fewer than {@code maxPass} passes are in flight), in arrival order.</li>
 * </ul>
 */
public final class ConcurrencyGate {
    /** What a request is, for the share of permits it may take. */
    public enum Kind {
        /** A cache fill or revalidation (GET): may take any permit. */
        FILL,
        /** A pass-through request: at most {@code maxPass} at once. */
        PASS
    }

    private final int maxConcurrent;
    private final int maxPass;
    private final int maxQueued;
    /** Guarded by this. */
    private int inFlight;
    /** Guarded by this. */
    private int passInFlight;
    /** Guarded by this; in arrival order. */
    private final Deque<Waiter> fills = new ArrayDeque<>();
    /** Guarded by this; in arrival order. */
    private final Deque<Waiter> passes = new ArrayDeque<>();
    /** Guarded by this: arrival order across both queues. */
    private long arrivals;
    private final LongAdder rejected = new LongAdder();

    private record Waiter(long arrival, Permit permit, Consumer<Permit> go) {}

    /** A gate where pass-through may take every permit. */
    public ConcurrencyGate(int maxConcurrent, int maxQueued) {
        this(maxConcurrent, maxConcurrent, maxQueued);
    }

    public ConcurrencyGate(int maxConcurrent, int maxPass, int maxQueued) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("upstream.max-concurrent : " + maxConcurrent + " (expected: >= 1)");
        }
        if (maxPass < 1 || maxPass > maxConcurrent) {
            throw new IllegalArgumentException("upstream.max-concurrent-pass : " + maxPass
                    + " (expected: 1.." + maxConcurrent + ", at most upstream.max-concurrent)");
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("upstream.max-queued : " + maxQueued + " (expected: >= 0)");
        }
        this.maxConcurrent = maxConcurrent;
        this.maxPass = maxPass;
        this.maxQueued = maxQueued;
    }

    /**
     * Runs {@code go} with a permit now if one is free for {@code kind}, later if the queue has room; returns
     * false (and runs nothing) when both are full. {@code go} runs on the calling thread, or later on the
     * thread that returned a permit; it must close its permit exactly once, on every path (closing twice is
     * harmless). If {@code go} throws, the permit is closed and the exception propagates.
     */
    public boolean enter(Kind kind, Consumer<Permit> go) {
        Permit permit = new Permit(kind);
        synchronized (this) {
            if (mayRun(kind)) {
                take(kind);
            } else if (fills.size() + passes.size() < maxQueued) {
                (kind == Kind.FILL ? fills : passes).addLast(new Waiter(arrivals++, permit, go));
                return true;
            } else {
                rejected.increment();
                return false;
            }
        }
        run(permit, go);
        return true;
    }

    /** Guarded by this. */
    private boolean mayRun(Kind kind) {
        return inFlight < maxConcurrent && (kind == Kind.FILL || passInFlight < maxPass);
    }

    /** Guarded by this. */
    private void take(Kind kind) {
        inFlight++;
        if (kind == Kind.PASS) {
            passInFlight++;
        }
    }

    private static void run(Permit permit, Consumer<Permit> go) {
        try {
            go.accept(permit);
        } catch (RuntimeException | Error e) {
            permit.close();
            throw e;
        }
    }

    /** Returns {@code permit}'s slot, handing it to the oldest waiter that may take one. */
    private void release(Permit permit) {
        Waiter next;
        synchronized (this) {
            inFlight--;
            if (permit.kind == Kind.PASS) {
                passInFlight--;
            }
            next = nextWaiter();
            if (next != null) {
                take(next.permit.kind);
            }
        }
        if (next != null) {
            run(next.permit, next.go);
        }
    }

    /** Guarded by this: the oldest waiter allowed to run now, removed from its queue, or null. */
    private Waiter nextWaiter() {
        if (inFlight >= maxConcurrent) {
            return null;
        }
        Waiter fill = fills.peekFirst();
        Waiter pass = passInFlight < maxPass ? passes.peekFirst() : null;
        if (fill == null && pass == null) {
            return null;
        }
        if (pass == null || (fill != null && fill.arrival < pass.arrival)) {
            return fills.pollFirst();
        }
        return passes.pollFirst();
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    /** Pass-through requests holding a permit now. */
    public synchronized int passInFlight() {
        return passInFlight;
    }

    public synchronized int queued() {
        return fills.size() + passes.size();
    }

    public long rejected() {
        return rejected.sum();
    }

    /** Permits pass-through requests may hold at once. */
    public int maxPass() {
        return maxPass;
    }

    /** One admitted request's slot. Thread-safe; {@link #close()} is idempotent. */
    public final class Permit implements AutoCloseable {
        private final Kind kind;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Permit(Kind kind) {
            this.kind = kind;
        }

        /** Returns the slot (once; later calls do nothing). */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release(this);
            }
        }

        public boolean isClosed() {
            return closed.get();
        }
    }
}
