package io.blueorigin.cdn.admin.console;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The console's settings ({@code console.*}): sessions end after {@code sessionIdle} without a request, and
 * {@code sessionLifetime} after the login whatever happens.
 */
public record ConsoleConfig(Duration sessionIdle, Duration sessionLifetime) {
    /** Longest {@code console.session-lifetime} (declared before {@link #DEFAULTS}, which checks against it). */
    static final Duration MAX_LIFETIME = Duration.ofDays(30);
    public static final ConsoleConfig DEFAULTS = new ConsoleConfig(Duration.ofMinutes(30), Duration.ofHours(12));

    public ConsoleConfig {
        requireNonNull(sessionIdle, "sessionIdle is null");
        requireNonNull(sessionLifetime, "sessionLifetime is null");
        if (sessionIdle.toSeconds() < 60 || sessionIdle.compareTo(sessionLifetime) > 0) {
            throw new IllegalArgumentException("console.session-idle : " + sessionIdle.toSeconds() + "s (expected: 1m.."
                    + "console.session-lifetime, which is " + sessionLifetime.toSeconds() + "s)");
        }
        if (sessionLifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("console.session-lifetime : " + sessionLifetime.toSeconds()
                    + "s (expected: at most 30d; a stolen cookie works that long)");
        }
    }
}
