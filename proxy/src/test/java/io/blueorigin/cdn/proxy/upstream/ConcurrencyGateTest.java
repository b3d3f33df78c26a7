package io.blueorigin.cdn.proxy.upstream;

import static io.blueorigin.cdn.proxy.upstream.ConcurrencyGate.Kind.FILL;
import static io.blueorigin.cdn.proxy.upstream.ConcurrencyGate.Kind.PASS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConcurrencyGateTest {
    private final ConcurrencyGate gate = new ConcurrencyGate(2, 3);
    private final List<Integer> ran = new ArrayList<>();
    private final List<ConcurrencyGate.Permit> held = new ArrayList<>();

    /** Enters and keeps the permit (as a request in flight does). */
    private boolean enter(ConcurrencyGate g, ConcurrencyGate.Kind kind, int id) {
        return g.enter(kind, permit -> {
            ran.add(id);
            held.add(permit);
        });
    }

    @Test
    void runsUpToTheLimitQueuesUpToTheQueueAndRefusesTheRest() {
        for (int i = 0; i < 5; i++) {
            assertThat(enter(gate, FILL, i)).isTrue();
        }
        assertThat(ran).containsExactly(0, 1);
        assertThat(gate.inFlight()).isEqualTo(2);
        assertThat(gate.queued()).isEqualTo(3);
        assertThat(enter(gate, FILL, 99)).as("queue full").isFalse();
        assertThat(gate.rejected()).isEqualTo(1);
        assertThat(ran).doesNotContain(99);
    }

    @Test
    void aReturnedPermitGoesToTheOldestWaiterInOrder() {
        for (int i = 0; i < 5; i++) {
            enter(gate, FILL, i);
        }
        held.get(0).close();
        assertThat(ran).containsExactly(0, 1, 2);
        held.get(1).close();
        held.get(2).close();
        assertThat(ran).containsExactly(0, 1, 2, 3, 4);
        assertThat(gate.inFlight()).isEqualTo(2);
        held.get(3).close();
        held.get(4).close();
        assertThat(gate.inFlight()).isZero();
        assertThat(gate.queued()).isZero();
    }

    @Test
    void closingAPermitTwiceReturnsOneSlot() {
        enter(gate, FILL, 0);
        enter(gate, FILL, 1);
        enter(gate, FILL, 2); // queued
        held.get(0).close();
        held.get(0).close();
        held.get(0).close();
        assertThat(ran).containsExactly(0, 1, 2);
        assertThat(gate.inFlight()).as("one slot came back, and went to the waiter").isEqualTo(2);
        held.forEach(ConcurrencyGate.Permit::close);
        assertThat(gate.inFlight()).isZero();
    }

    @Test
    void aRequestThatThrowsBeforeItIsSentGivesItsSlotBack() {
        assertThatThrownBy(() -> gate.enter(FILL, permit -> {
            throw new IllegalArgumentException("URI.create failed");
        })).hasMessage("URI.create failed");
        assertThat(gate.inFlight()).as("the permit was returned by the gate").isZero();
        // and when it throws while being handed a released slot, the next waiter still gets one
        enter(gate, FILL, 0);
        enter(gate, FILL, 1);
        gate.enter(FILL, permit -> {
            throw new IllegalStateException("bad");
        });
        enter(gate, FILL, 3);
        assertThatThrownBy(() -> held.get(0).close()).hasMessage("bad");
        assertThat(ran).as("the slot 'bad' could not use went on to the next waiter").containsExactly(0, 1, 3);
        assertThat(gate.inFlight()).isEqualTo(2);
        held.get(1).close();
        held.get(2).close();
        assertThat(gate.inFlight()).isZero();
        assertThat(gate.queued()).isZero();
    }

    @Test
    void passThroughCannotTakeTheSlotsKeptForFills() {
        ConcurrencyGate shared = new ConcurrencyGate(4, 2, 10);
        for (int i = 0; i < 5; i++) {
            enter(shared, PASS, i);
        }
        assertThat(ran).as("two passes run, three wait").containsExactly(0, 1);
        assertThat(shared.passInFlight()).isEqualTo(2);
        assertThat(enter(shared, FILL, 10)).isTrue();
        assertThat(enter(shared, FILL, 11)).isTrue();
        assertThat(ran).as("fills take the kept slots at once").containsExactly(0, 1, 10, 11);
        assertThat(shared.inFlight()).isEqualTo(4);
        enter(shared, FILL, 12); // waits behind the queued passes, which cannot run
        held.get(2).close(); // fill 10 done: the oldest waiter that may run is fill 12 (the passes are at their share)
        assertThat(ran).containsExactly(0, 1, 10, 11, 12);
        held.get(0).close(); // a pass done: the oldest pass takes its slot
        assertThat(ran).containsExactly(0, 1, 10, 11, 12, 2);
        assertThat(shared.passInFlight()).isEqualTo(2);
        new ArrayList<>(held).forEach(ConcurrencyGate.Permit::close);
        new ArrayList<>(held).forEach(ConcurrencyGate.Permit::close);
        new ArrayList<>(held).forEach(ConcurrencyGate.Permit::close);
        assertThat(ran).containsExactly(0, 1, 10, 11, 12, 2, 3, 4);
        assertThat(shared.inFlight()).isZero();
        assertThat(shared.passInFlight()).isZero();
        assertThat(shared.queued()).isZero();
    }

    @Test
    void stateStaysBoundedUnderAFlood() {
        for (int i = 0; i < 100_000; i++) {
            gate.enter(i % 2 == 0 ? FILL : PASS, permit -> { });
        }
        assertThat(gate.inFlight()).isEqualTo(2);
        assertThat(gate.queued()).isEqualTo(3);
        assertThat(gate.rejected()).isEqualTo(100_000 - 5);
    }

    @Test
    void badLimitsAreRejectedNamingTheSetting() {
        assertThatThrownBy(() -> new ConcurrencyGate(0, 1)).hasMessageContaining("upstream.max-concurrent : 0");
        assertThatThrownBy(() -> new ConcurrencyGate(1, -1)).hasMessageContaining("upstream.max-queued : -1");
        assertThatThrownBy(() -> new ConcurrencyGate(4, 5, 1)).hasMessageContaining("upstream.max-concurrent-pass : 5");
        assertThatThrownBy(() -> new ConcurrencyGate(4, 0, 1)).hasMessageContaining("upstream.max-concurrent-pass : 0");
    }
}
