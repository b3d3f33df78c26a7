package io.blueorigin.cdn.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConcurrencyGateTest {
    private final ConcurrencyGate gate = new ConcurrencyGate(2, 3);
    private final List<Integer> ran = new ArrayList<>();

    @Test
    void runsUpToTheLimitQueuesUpToTheQueueAndRefusesTheRest() {
        for (int i = 0; i < 5; i++) {
            int id = i;
            assertThat(gate.enter(() -> ran.add(id))).isTrue();
        }
        assertThat(ran).containsExactly(0, 1);
        assertThat(gate.inFlight()).isEqualTo(2);
        assertThat(gate.queued()).isEqualTo(3);
        assertThat(gate.enter(() -> ran.add(99))).as("queue full").isFalse();
        assertThat(gate.rejected()).isEqualTo(1);
        assertThat(ran).doesNotContain(99);
    }

    @Test
    void aReleasedPermitGoesToTheOldestWaiterInOrder() {
        for (int i = 0; i < 5; i++) {
            int id = i;
            gate.enter(() -> ran.add(id));
        }
        gate.release();
        assertThat(ran).containsExactly(0, 1, 2);
        gate.release();
        gate.release();
        assertThat(ran).containsExactly(0, 1, 2, 3, 4);
        assertThat(gate.inFlight()).isEqualTo(2);
        gate.release();
        gate.release();
        assertThat(gate.inFlight()).isZero();
        assertThat(gate.queued()).isZero();
    }

    @Test
    void stateStaysBoundedUnderAFlood() {
        for (int i = 0; i < 100_000; i++) {
            gate.enter(() -> { });
        }
        assertThat(gate.inFlight()).isEqualTo(2);
        assertThat(gate.queued()).isEqualTo(3);
        assertThat(gate.rejected()).isEqualTo(100_000 - 5);
    }

    @Test
    void badLimitsAreRejectedNamingTheSetting() {
        assertThatThrownBy(() -> new ConcurrencyGate(0, 1)).hasMessageContaining("upstream.max-concurrent : 0");
        assertThatThrownBy(() -> new ConcurrencyGate(1, -1)).hasMessageContaining("upstream.max-queued : -1");
    }
}
