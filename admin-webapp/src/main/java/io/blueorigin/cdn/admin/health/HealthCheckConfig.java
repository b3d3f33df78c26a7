package io.blueorigin.cdn.admin.health;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Settings of admin's active health checks (docs/control-plane.md "Health checks"). Errors name the
 * setting ({@code health.interval} ...), so the launcher can pass them on as they are.
 *
 * @param interval how often every node's {@code /readyz} is probed ({@code health.interval}, 100ms..1m)
 * @param timeout a probe's total timeout ({@code health.timeout}, at least 50ms, below the interval)
 * @param rise consecutive passes that bring a down node back ({@code health.rise}, 1..100)
 * @param fall consecutive failures that take a node down ({@code health.fall}, 1..100)
 * @param maxInvalidationLag a ready node behind the invalidation log for longer than this is degraded
 *     ({@code health.max-invalidation-lag}, at least 1s)
 * @param flapWindow down transitions within this window double the passes needed to come back
 *     ({@code health.flap-window}, 0 turns damping off)
 */
public record HealthCheckConfig(Duration interval, Duration timeout, int rise, int fall, Duration maxInvalidationLag,
        Duration flapWindow) {

    // bounds first: DEFAULTS below is validated against them during class initialisation
    static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_INTERVAL = Duration.ofMinutes(1);
    static final Duration MIN_TIMEOUT = Duration.ofMillis(50);
    static final int MAX_COUNT = 100;
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(400);
    public static final int DEFAULT_RISE = 2;
    public static final int DEFAULT_FALL = 2;
    public static final Duration DEFAULT_MAX_INVALIDATION_LAG = Duration.ofSeconds(30);
    public static final Duration DEFAULT_FLAP_WINDOW = Duration.ofSeconds(60);
    /** The defaults: probe every 500 ms (400 ms timeout), down after 2 failures, back after 2 passes. */
    public static final HealthCheckConfig DEFAULTS = new HealthCheckConfig(DEFAULT_INTERVAL, DEFAULT_TIMEOUT,
            DEFAULT_RISE, DEFAULT_FALL, DEFAULT_MAX_INVALIDATION_LAG, DEFAULT_FLAP_WINDOW);

    public HealthCheckConfig {
        requireNonNull(interval, "health.interval is null");
        requireNonNull(timeout, "health.timeout is null");
        requireNonNull(maxInvalidationLag, "health.max-invalidation-lag is null");
        requireNonNull(flapWindow, "health.flap-window is null");
        if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("health.interval : " + describe(interval) + " (expected: 100ms..1m)");
        }
        if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(interval) >= 0) {
            throw new IllegalArgumentException("health.timeout : " + describe(timeout) + " (expected: at least 50ms and"
                    + " less than health.interval, " + describe(interval) + ", so a probe ends before the next starts)");
        }
        if (rise < 1 || rise > MAX_COUNT) {
            throw new IllegalArgumentException("health.rise : " + rise + " (expected: 1.." + MAX_COUNT + ")");
        }
        if (fall < 1 || fall > MAX_COUNT) {
            throw new IllegalArgumentException("health.fall : " + fall + " (expected: 1.." + MAX_COUNT + ")");
        }
        if (maxInvalidationLag.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("health.max-invalidation-lag : " + describe(maxInvalidationLag)
                    + " (expected: at least 1s; nodes apply entries about a heartbeat after they are committed)");
        }
        if (flapWindow.isNegative()) {
            throw new IllegalArgumentException("health.flap-window : " + describe(flapWindow)
                    + " (expected: 0s (no flap damping) or more)");
        }
    }

    /** A duration as configuration spells it: {@code 500ms}, {@code 30s}. */
    static String describe(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
