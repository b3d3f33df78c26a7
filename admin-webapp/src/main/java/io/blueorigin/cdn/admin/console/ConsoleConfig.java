package io.blueorigin.cdn.admin.console;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The console's settings ({@code console.*}): sessions end after {@code sessionIdle} without a request, and
 * {@code sessionLifetime} after the login whatever happens.
 */
public record ConsoleConfig(Duration sessionIdle, Duration sessionLifetime) {
    public static final ConsoleConfig DEFAULTS = new ConsoleConfig(Duration.ofMinutes(30), Duration.ofHours(12));

    public ConsoleConfig {
        requireNonNull(sessionIdle, "sessionIdle is null");
        requireNonNull(sessionLifetime, "sessionLifetime is null");
        if (sessionIdle.toSeconds() < 1 || sessionLifetime.compareTo(sessionIdle) < 0) {
            throw new IllegalArgumentException("console.session-idle must be at least 1s and at most"
                    + " console.session-lifetime (got " + sessionIdle + " and " + sessionLifetime + ")");
        }
    }
}
