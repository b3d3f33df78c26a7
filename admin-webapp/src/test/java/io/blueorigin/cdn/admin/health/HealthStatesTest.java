package io.blueorigin.cdn.admin.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.admin.db.NodeState;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The health decision as a table: rise 2, fall 2, max invalidation lag 30 s, flap window 60 s. */
class HealthStatesTest {
    private static final HealthCheckConfig CONFIG = HealthCheckConfig.DEFAULTS;

    /**
     * state | passes, fails before | downs within the window | probe passed? | lag (s) | next state | passes,
     * fails after | reason (empty: no change).
     */
    @ParameterizedTest(name = "row {0}: {1} p{2} f{3} downs {4}, probe {5}, lag {6}s -> {7}")
    @CsvSource(delimiter = '|', textBlock = """
         1 | HEALTHY  | 5 | 0 | 0 | false |  0 | HEALTHY  | 0 | 1 |
         2 | HEALTHY  | 0 | 1 | 0 | false |  0 | DOWN     | 0 | 2 | 2 failed probes: connection refused
         3 | DEGRADED | 0 | 1 | 0 | false | 99 | DOWN     | 0 | 2 | 2 failed probes: connection refused
         4 | DOWN     | 0 | 7 | 1 | false |  0 | DOWN     | 0 | 8 |
         5 | DOWN     | 0 | 2 | 1 | true  |  0 | DOWN     | 1 | 0 |
         6 | DOWN     | 1 | 0 | 1 | true  |  0 | HEALTHY  | 2 | 0 | 2 passed probes
         7 | DOWN     | 0 | 0 | 0 | true  |  0 | DOWN     | 1 | 0 |
         8 | DOWN     | 1 | 0 | 0 | true  |  0 | HEALTHY  | 2 | 0 | 2 passed probes
         9 | DOWN     | 1 | 0 | 2 | true  |  0 | DOWN     | 2 | 0 |
        10 | DOWN     | 3 | 0 | 2 | true  |  0 | HEALTHY  | 4 | 0 | 4 passed probes (flap damping: 2 downs within 60s)
        11 | DOWN     | 6 | 0 | 3 | true  |  0 | DOWN     | 7 | 0 |
        12 | DOWN     | 7 | 0 | 3 | true  |  0 | HEALTHY  | 8 | 0 | 8 passed probes (flap damping: 3 downs within 60s)
        13 | DOWN     | 14 | 0 | 9 | true |  0 | DOWN     | 15 | 0 |
        14 | DOWN     | 15 | 0 | 9 | true |  0 | HEALTHY  | 16 | 0 | 16 passed probes (flap damping: 9 downs within 60s)
        15 | DOWN     | 1 | 0 | 1 | true  | 31 | DEGRADED | 2 | 0 | 2 passed probes; invalidation lag: behind the log for 31s (health.max-invalidation-lag 30s)
        16 | HEALTHY  | 3 | 0 | 0 | true  | 30 | HEALTHY  | 4 | 0 |
        17 | HEALTHY  | 3 | 0 | 0 | true  | 31 | DEGRADED | 4 | 0 | invalidation lag: behind the log for 31s (health.max-invalidation-lag 30s)
        18 | DEGRADED | 3 | 0 | 0 | true  | 45 | DEGRADED | 4 | 0 |
        19 | DEGRADED | 3 | 0 | 0 | true  |  0 | HEALTHY  | 4 | 0 | caught up with the invalidation log
        20 | DEGRADED | 0 | 0 | 0 | false | 45 | DEGRADED | 0 | 1 |
        21 | HEALTHY  | 0 | 3 | 0 | true  |  0 | HEALTHY  | 1 | 0 |
        """)
    void decides(int row, NodeState state, int passes, int fails, int downs, boolean passed, long lagSeconds,
            NodeState expected, int passesAfter, int failsAfter, String reason) {
        HealthStates.Probe probe = passed ? HealthStates.Probe.pass() : HealthStates.Probe.fail("connection refused");
        HealthStates.After after = HealthStates.next(CONFIG,
                new HealthStates.Before(state, passes, fails, downs, Duration.ofSeconds(lagSeconds)), probe);
        assertThat(after.state()).isEqualTo(expected);
        assertThat(after.passes()).isEqualTo(passesAfter);
        assertThat(after.fails()).isEqualTo(failsAfter);
        assertThat(after.reason().orElse(null)).isEqualTo(reason);
        assertThat(after.changed()).isEqualTo(expected != state);
    }

    /** rise | downs within the window | passes needed. */
    @ParameterizedTest(name = "rise {0}, {1} downs -> {2}")
    @CsvSource({"2, 0, 2", "2, 1, 2", "2, 2, 4", "2, 3, 8", "2, 4, 16", "2, 5, 16", "2, 100, 16", "1, 3, 4", "3, 9, 24"})
    void flapDampingDoublesUpToEightTimesRise(int rise, int downs, int needed) {
        assertThat(HealthStates.passesNeeded(rise, downs)).isEqualTo(needed);
    }

    @Test
    void aFallOfOneTakesANodeDownAtTheFirstFailure() {
        HealthCheckConfig config = new HealthCheckConfig(Duration.ofMillis(500), Duration.ofMillis(400), 1, 1,
                Duration.ofSeconds(30), Duration.ofSeconds(60));
        HealthStates.After after = HealthStates.next(config,
                new HealthStates.Before(NodeState.HEALTHY, 9, 0, 0, Duration.ZERO), HealthStates.Probe.fail("/readyz answered 503"));
        assertThat(after.state()).isEqualTo(NodeState.DOWN);
        assertThat(after.reason()).contains("1 failed probe: /readyz answered 503");
    }

    @Test
    void drainingIsNotAHealthState() {
        assertThatThrownBy(() -> new HealthStates.Before(NodeState.DRAINING, 0, 0, 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
