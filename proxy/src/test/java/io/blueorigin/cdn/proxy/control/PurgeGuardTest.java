package io.blueorigin.cdn.proxy.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The PURGE guard: refusals remembered briefly, failures limited per address, memory bounded. Time is a ticker. */
class PurgeGuardTest {
    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final PurgeGuard guard = new PurgeGuard(ticker);

    private void advanceSeconds(long seconds) {
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void anAddressIsLimitedAfterMaxFailuresUntilItsWindowEnds() {
        for (int i = 0; i < PurgeGuard.MAX_FAILURES - 1; i++) {
            guard.failed("192.0.2.7");
        }
        assertThat(guard.limited("192.0.2.7")).isEmpty();
        guard.failed("192.0.2.7");
        assertThat(guard.limited("192.0.2.7")).contains(60L);
        assertThat(guard.limited("192.0.2.8")).as("others are not").isEmpty();
        advanceSeconds(45);
        assertThat(guard.limited("192.0.2.7")).contains(15L);
        advanceSeconds(15);
        assertThat(guard.limited("192.0.2.7")).as("a new window").isEmpty();
    }

    @Test
    void refusalsAreRememberedForAMinuteByHash() {
        guard.refused("Bearer bo_bad", 401, "{\"error\": \"unauthorized\"}");
        assertThat(guard.refusal("Bearer bo_bad")).contains(new PurgeGuard.Refusal(401, "{\"error\": \"unauthorized\"}"));
        assertThat(guard.refusal("Bearer bo_other")).isEmpty();
        advanceSeconds(61);
        assertThat(guard.refusal("Bearer bo_bad")).isEmpty();
    }

    @Test
    void memoryIsBoundedWhateverTheFlood() {
        for (int i = 0; i < 3 * PurgeGuard.MAX_ADDRESSES; i++) {
            guard.failed("10.0." + (i >> 8 & 255) + "." + (i & 255) + "/" + i);
            guard.refused("Bearer bo_" + i, 401, "{}");
        }
        assertThat(guard.size()).isLessThanOrEqualTo(PurgeGuard.MAX_ADDRESSES + PurgeGuard.MAX_REFUSALS);
    }
}
