package io.blueorigin.cdn.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock tests move by hand, in place of sleeping: {@code clock.advance(Duration.ofSeconds(61))} expires a
 * {@code max-age=60} object at once. Starts at the real time (so HTTP dates look sane) and only moves when
 * told to. Thread-safe.
 */
public final class TestClock extends Clock {
    private final AtomicLong millis;

    /** Now, truncated to the second, so HTTP dates (whole seconds) and ages come out exact. */
    public TestClock() {
        this(System.currentTimeMillis() / 1000 * 1000);
    }

    public TestClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    public void advance(Duration duration) {
        millis.addAndGet(duration.toMillis());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
