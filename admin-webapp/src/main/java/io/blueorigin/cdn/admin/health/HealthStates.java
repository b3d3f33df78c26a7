package io.blueorigin.cdn.admin.health;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.NodeState;
import java.time.Duration;
import java.util.Optional;

/**
 * The health decision for one node after one probe. Pure: the checker keeps the counters and feeds them back.
 *
 * <ul>
 *   <li>A failed probe: {@code fall} failures in a row take a healthy or degraded node down.
 *   <li>A passed probe of a down node: it comes back after {@link #passesNeeded} passes in a row: {@code rise},
 *       doubled for each further down transition within {@code flapWindow} (flap damping), at most
 *       {@value #MAX_DAMPING}× {@code rise}. It comes back degraded if it lags.
 *   <li>A passed probe of a ready node: degraded while it has been behind the invalidation log for longer than
 *       {@code maxInvalidationLag}, healthy otherwise.
 * </ul>
 */
final class HealthStates {
    /** The most the passes needed to come back are multiplied by flap damping. */
    static final int MAX_DAMPING = 8;
    /** Counters stop here (a node healthy for years must not overflow them). */
    static final int MAX_COUNT = 1_000_000;

    private HealthStates() {}

    /**
     * A probe's outcome.
     *
     * @param passed {@code /readyz} answered 200 within the timeout
     * @param detail what happened, for the reason: {@code connection refused}, {@code /readyz answered 503}
     */
    record Probe(boolean passed, String detail) {
        Probe {
            requireNonNull(detail, "detail is null");
        }

        static Probe pass() {
            return new Probe(true, "/readyz answered 200");
        }

        static Probe fail(String detail) {
            return new Probe(false, detail);
        }
    }

    /**
     * What the checker knows of a node before the probe.
     *
     * @param state its health now (as stored; never draining: drain does not stop the checks)
     * @param passes consecutive passed probes before this one
     * @param fails consecutive failed probes before this one
     * @param recentDowns its down transitions within the flap window, including the one that made it down
     * @param lag how long it has been behind the invalidation log ({@link Duration#ZERO}: it is not)
     */
    record Before(NodeState state, int passes, int fails, int recentDowns, Duration lag) {
        Before {
            requireNonNull(state, "state is null");
            requireNonNull(lag, "lag is null");
            if (!state.isHealth()) {
                throw new IllegalArgumentException("not a health state: " + state);
            }
        }
    }

    /**
     * The outcome.
     *
     * @param state the health after the probe
     * @param reason why it changed; empty when it did not
     * @param passes consecutive passes now
     * @param fails consecutive failures now
     */
    record After(NodeState state, Optional<String> reason, int passes, int fails) {
        boolean changed() {
            return reason.isPresent();
        }
    }

    static After next(HealthCheckConfig config, Before before, Probe probe) {
        if (!probe.passed()) {
            int fails = Math.min(before.fails() + 1, MAX_COUNT);
            if (before.state() != NodeState.DOWN && fails >= config.fall()) {
                return new After(NodeState.DOWN, Optional.of(count(fails, "failed probe") + ": " + probe.detail()), 0, fails);
            }
            return new After(before.state(), Optional.empty(), 0, fails);
        }
        int passes = Math.min(before.passes() + 1, MAX_COUNT);
        boolean lagging = before.lag().compareTo(config.maxInvalidationLag()) > 0;
        NodeState ready = lagging ? NodeState.DEGRADED : NodeState.HEALTHY;
        switch (before.state()) {
            case DOWN -> {
                int needed = passesNeeded(config.rise(), before.recentDowns());
                if (passes < needed) {
                    return new After(NodeState.DOWN, Optional.empty(), passes, 0);
                }
                String reason = count(passes, "passed probe")
                        + (needed > config.rise() ? " (flap damping: " + before.recentDowns() + " downs within "
                                + HealthCheckConfig.describe(config.flapWindow()) + ")" : "")
                        + (lagging ? "; " + lagReason(config, before.lag()) : "");
                return new After(ready, Optional.of(reason), passes, 0);
            }
            case HEALTHY, DEGRADED -> {
                if (ready == before.state()) {
                    return new After(ready, Optional.empty(), passes, 0);
                }
                return new After(ready, Optional.of(lagging ? lagReason(config, before.lag())
                        : "caught up with the invalidation log"), passes, 0);
            }
            default -> throw new IllegalArgumentException("not a health state: " + before.state());
        }
    }

    /**
     * Passes in a row a down node needs to come back: {@code rise} for its first down within the flap window,
     * doubled for each further one, at most {@value #MAX_DAMPING}× {@code rise}.
     */
    static int passesNeeded(int rise, int recentDowns) {
        int doublings = Math.min(Math.max(0, recentDowns - 1), Integer.numberOfTrailingZeros(MAX_DAMPING));
        return rise << doublings;
    }

    private static String lagReason(HealthCheckConfig config, Duration lag) {
        return "invalidation lag: behind the log for " + lag.toSeconds() + "s (health.max-invalidation-lag "
                + HealthCheckConfig.describe(config.maxInvalidationLag()) + ")";
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
