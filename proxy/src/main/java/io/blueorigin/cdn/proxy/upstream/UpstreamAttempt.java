package io.blueorigin.cdn.proxy.upstream;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One request's hold on an upstream: its {@link ConcurrencyGate} permit and its {@link CircuitBreaker}
 * admission (possibly the half-open probe). Both are returned by {@link #end}, exactly once whatever the
 * path: a response, a failure, a request that threw before it was sent. This is the one settle point of
 * an upstream attempt; code that holds an attempt calls {@code end} in every branch and may call it again
 * harmlessly. Thread-safe.
 */
public final class UpstreamAttempt {
    /** What an attempt tells the breaker about its upstream. */
    public enum Verdict {
        /** The upstream answered (any status that is not its own failure). */
        SUCCESS,
        /** No response, a timeout, or a 5xx that is the upstream's own failure. */
        FAILURE,
        /** Nothing to say: never sent, or ended for reasons of ours. A probe's turn passes on. */
        NONE
    }

    private final Upstream upstream;
    private final ConcurrencyGate.Permit permit;
    private final CircuitBreaker.Admission admission;
    private final AtomicBoolean ended = new AtomicBoolean();

    private UpstreamAttempt(Upstream upstream, ConcurrencyGate.Permit permit, CircuitBreaker.Admission admission) {
        this.upstream = upstream;
        this.permit = permit;
        this.admission = admission;
    }

    /**
     * Asks {@code upstream}'s breaker to admit a request that holds {@code permit}: an attempt, or null
     * when the breaker refuses (the permit is then already returned).
     */
    public static @Nullable UpstreamAttempt begin(Upstream upstream, ConcurrencyGate.Permit permit) {
        requireNonNull(upstream, "upstream is null");
        CircuitBreaker.Admission admission = upstream.breaker().admit();
        if (admission == CircuitBreaker.Admission.REFUSED) {
            permit.close();
            return null;
        }
        return new UpstreamAttempt(upstream, permit, admission);
    }

    public Upstream upstream() {
        return upstream;
    }

    /** Returns the permit and reports {@code verdict} to the breaker; only the first call counts. */
    public void end(Verdict verdict) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            switch (verdict) {
                case SUCCESS -> upstream.breaker().onSuccess();
                case FAILURE -> upstream.breaker().onFailure();
                case NONE -> upstream.breaker().abandon(admission);
                default -> throw new IllegalStateException("unknown verdict " + verdict);
            }
        } finally {
            permit.close();
        }
    }

    public boolean isEnded() {
        return ended.get();
    }
}
