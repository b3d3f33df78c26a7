package io.blueorigin.cdn.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.proxy.upstream.CircuitBreaker.State;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final CircuitBreaker breaker = new CircuitBreaker(3, 5_000, now::get);

    @Test
    void opensAfterTheThresholdOfConsecutiveFailures() {
        failTimes(2);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.tryAcquire()).as("open: fail fast").isFalse();
    }

    @Test
    void aSuccessResetsTheCount() {
        failTimes(2);
        breaker.onSuccess();
        failTimes(2);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void afterTheOpenTimeOneProbeGoesThroughAndItsSuccessCloses() {
        failTimes(3);
        now.addAndGet(4_999);
        assertThat(breaker.tryAcquire()).isFalse();
        now.addAndGet(1);
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.tryAcquire()).as("the probe").isTrue();
        assertThat(breaker.tryAcquire()).as("only one probe at a time").isFalse();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
        failTimes(2);
        assertThat(breaker.state()).as("closing starts a fresh count").isEqualTo(State.CLOSED);
    }

    @Test
    void aFailedProbeOpensItAgainForAnotherPeriod() {
        failTimes(3);
        now.addAndGet(5_000);
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        now.addAndGet(4_999);
        assertThat(breaker.tryAcquire()).isFalse();
        now.addAndGet(1);
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void aThresholdBelowOneIsRejectedNamingTheSetting() {
        assertThatThrownBy(() -> new CircuitBreaker(0, 1, now::get)).hasMessageContaining("upstream.breaker.failures : 0");
    }

    private void failTimes(int n) {
        for (int i = 0; i < n; i++) {
            assertThat(breaker.tryAcquire()).isTrue();
            breaker.onFailure();
        }
    }
}
