package io.blueorigin.cdn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The accounting itself: reservations, releases, exhaustion, waiters, the process-wide instance. */
class MemoryBudgetTest {

    @Test
    void reservationsAreCountedUntilReleasedAndExhaustionIsReachingTheMaximum() {
        MemoryBudget budget = new MemoryBudget(100);
        budget.reserve(60);
        assertThat(budget.isExhausted()).isFalse();
        budget.reserve(40);
        assertThat(budget.isExhausted()).isTrue();
        assertThat(budget.usedBytes()).isEqualTo(100);
        budget.reserve(30); // a holder's first chunk is never refused: progress over precision
        assertThat(budget.usedBytes()).isEqualTo(130);
        budget.release(130);
        assertThat(budget.usedBytes()).isZero();
        assertThat(budget.isExhausted()).isFalse();
    }

    @Test
    void releasingMoreThanWasReservedIsABugReportedAtOnce() {
        MemoryBudget budget = new MemoryBudget(100);
        budget.reserve(10);
        assertThatThrownBy(() -> budget.release(11)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released more than reserved");
        assertThatThrownBy(() -> budget.reserve(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MemoryBudget(0)).hasMessageContaining("store.in-flight.max-size");
    }

    @Test
    void aWaiterRunsOnceWhenAReleaseMakesRoomAndAtOnceWhenThereIsRoom() {
        MemoryBudget budget = new MemoryBudget(100);
        budget.reserve(100);
        AtomicInteger woken = new AtomicInteger();
        budget.whenAvailable(woken::incrementAndGet);
        assertThat(woken).hasValue(0);
        budget.reserve(10);
        budget.release(10); // back to exactly full: still no room
        assertThat(woken).hasValue(0);
        budget.release(1);
        assertThat(woken).hasValue(1);
        budget.release(50);
        assertThat(woken).as("once").hasValue(1);
        budget.whenAvailable(woken::incrementAndGet);
        assertThat(woken).as("room already").hasValue(2);
        budget.release(49);
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void nodesOfOneProcessShareOneBudgetAndTheSmallestSizeWins() {
        MemoryBudget.Shared process = new MemoryBudget.Shared();
        MemoryBudget first = process.budget(64L << 20);
        assertThat(process.budget(64L << 20)).isSameAs(first);
        assertThat(process.budget(128L << 20)).isSameAs(first);
        assertThat(first.maxBytes()).as("a larger setting does not loosen it").isEqualTo(64L << 20);
        assertThat(process.budget(32L << 20)).isSameAs(first);
        assertThat(first.maxBytes()).as("a smaller one tightens it").isEqualTo(32L << 20);
    }
}
