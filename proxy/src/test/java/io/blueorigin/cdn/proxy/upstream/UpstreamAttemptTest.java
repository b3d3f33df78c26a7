package io.blueorigin.cdn.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** An attempt returns its permit and breaker admission exactly once, on every path. */
class UpstreamAttemptTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final CircuitBreaker breaker = new CircuitBreaker(1, 100, now::get);
    private final ConcurrencyGate gate = new ConcurrencyGate(1, 0);
    private final Upstream upstream = new Upstream(URI.create("http://127.0.0.1:1"), breaker, gate, false);

    private UpstreamAttempt begin() {
        UpstreamAttempt[] attempt = new UpstreamAttempt[1];
        assertThat(gate.enter(ConcurrencyGate.Kind.FILL, permit -> attempt[0] = UpstreamAttempt.begin(upstream, permit))).isTrue();
        return attempt[0];
    }

    @Test
    void endingTwiceCountsOnce() {
        UpstreamAttempt attempt = begin();
        attempt.end(UpstreamAttempt.Verdict.FAILURE);
        attempt.end(UpstreamAttempt.Verdict.FAILURE);
        assertThat(gate.inFlight()).isZero();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void aProbeThatIsNeverSentPassesItsTurnOnAndTheBreakerCanStillClose() {
        UpstreamAttempt failing = begin();
        failing.end(UpstreamAttempt.Verdict.FAILURE);
        now.addAndGet(100); // open time over: half-open
        UpstreamAttempt probe = begin();
        assertThat(breaker.isProbing()).isTrue();
        probe.end(UpstreamAttempt.Verdict.NONE); // e.g. its request could not be built
        assertThat(breaker.isProbing()).as("the probe was given back").isFalse();
        assertThat(gate.inFlight()).isZero();
        UpstreamAttempt next = begin();
        assertThat(next).as("the next request probes").isNotNull();
        next.end(UpstreamAttempt.Verdict.SUCCESS);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aRefusingBreakerReturnsThePermitAtOnce() {
        begin().end(UpstreamAttempt.Verdict.FAILURE);
        boolean[] refused = {false};
        gate.enter(ConcurrencyGate.Kind.FILL, permit -> refused[0] = UpstreamAttempt.begin(upstream, permit) == null);
        assertThat(refused[0]).isTrue();
        assertThat(gate.inFlight()).isZero();
    }
}
