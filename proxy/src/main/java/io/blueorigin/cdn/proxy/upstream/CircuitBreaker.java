package io.blueorigin.cdn.proxy.upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A circuit breaker for one upstream (Nygard's pattern): <b>closed</b> lets everything through and counts
 * consecutive failures; {@code failureThreshold} of them <b>open</b> it, and for {@code openMillis} every
 * request fails fast (the proxy serves stale or a fast 503); then it is <b>half-open</b>: one probe goes
 * through, its success closes the breaker, its failure opens it again. Thread-safe (atomics).
 */
public final class CircuitBreaker {
    /** The breaker's states. */
    public enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private record Snapshot(State state, long openedAtMillis, boolean probing) {}

    private final int failureThreshold;
    private final long openMillis;
    private final LongSupplier clock;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(State.CLOSED, 0, false));

    public CircuitBreaker(int failureThreshold, long openMillis, LongSupplier clock) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("upstream.breaker.failures : " + failureThreshold + " (expected: >= 1)");
        }
        this.failureThreshold = failureThreshold;
        this.openMillis = openMillis;
        this.clock = clock;
    }

    /** What {@link #admit()} decided for one request. */
    public enum Admission {
        /** The breaker is open (or another request is probing): fail fast. */
        REFUSED,
        /** Closed: go ahead, and report the result. */
        ALLOWED,
        /** Half-open and this request is the one probe: its result decides. */
        PROBE
    }

    /**
     * Whether a request may go upstream now. In half-open state only the first caller is let through (the
     * probe); every admitted request must end with exactly one of {@link #onSuccess}, {@link #onFailure} or
     * {@link #abandon} (a request that was never sent: a probe gives its turn to the next request).
     */
    public Admission admit() {
        while (true) {
            Snapshot s = snapshot.get();
            switch (s.state()) {
                case CLOSED -> {
                    return Admission.ALLOWED;
                }
                case OPEN -> {
                    if (clock.getAsLong() - s.openedAtMillis() < openMillis) {
                        return Admission.REFUSED;
                    }
                    if (snapshot.compareAndSet(s, new Snapshot(State.HALF_OPEN, s.openedAtMillis(), true))) {
                        return Admission.PROBE;
                    }
                }
                case HALF_OPEN -> {
                    if (s.probing()) {
                        return Admission.REFUSED;
                    }
                    if (snapshot.compareAndSet(s, new Snapshot(State.HALF_OPEN, s.openedAtMillis(), true))) {
                        return Admission.PROBE;
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    /** {@link #admit()} as a yes or no. */
    public boolean tryAcquire() {
        return admit() != Admission.REFUSED;
    }

    /**
     * A request admitted as {@code admission} ended without a verdict on the upstream (it was never sent, or
     * its client's request was malformed): a probe's turn passes to the next request; nothing else changes.
     */
    public void abandon(Admission admission) {
        if (admission != Admission.PROBE) {
            return;
        }
        Snapshot s = snapshot.get();
        if (s.state() == State.HALF_OPEN && s.probing()) {
            snapshot.compareAndSet(s, new Snapshot(State.HALF_OPEN, s.openedAtMillis(), false));
        }
    }

    /** Whether a probe is out now (half-open, waiting for its result): for tests and readiness. */
    public boolean isProbing() {
        return snapshot.get().probing();
    }

    public void onSuccess() {
        consecutiveFailures.set(0);
        Snapshot s = snapshot.get();
        if (s.state() != State.CLOSED) {
            snapshot.compareAndSet(s, new Snapshot(State.CLOSED, 0, false));
        }
    }

    public void onFailure() {
        Snapshot s = snapshot.get();
        if (s.state() == State.HALF_OPEN) {
            snapshot.compareAndSet(s, new Snapshot(State.OPEN, clock.getAsLong(), false));
            return;
        }
        if (consecutiveFailures.incrementAndGet() >= failureThreshold && s.state() == State.CLOSED) {
            snapshot.compareAndSet(s, new Snapshot(State.OPEN, clock.getAsLong(), false));
        }
    }

    /** The state now (an open breaker whose time is up reports half-open). */
    public State state() {
        Snapshot s = snapshot.get();
        if (s.state() == State.OPEN && clock.getAsLong() - s.openedAtMillis() >= openMillis) {
            return State.HALF_OPEN;
        }
        return s.state();
    }
}
