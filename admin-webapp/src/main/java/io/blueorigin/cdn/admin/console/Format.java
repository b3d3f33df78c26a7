package io.blueorigin.cdn.admin.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** How the console writes times, ages and lists (UTC, like the API). */
final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Format() {}

    static String time(Instant at) {
        return TIME.format(at);
    }

    /** {@code 3d 4h}, {@code 5h 2m}, {@code 4m 10s}, {@code 12s}. */
    static String age(Duration duration) {
        long s = Math.max(0, duration.toSeconds());
        if (s >= 86_400) {
            return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
        }
        if (s >= 3600) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s + "s";
    }

    /** The first {@code max} items, and how many more. */
    static String joinCut(List<?> items, int max) {
        String shown = String.join(" ", items.stream().limit(max).map(String::valueOf).toList());
        return items.size() > max ? shown + " … and " + (items.size() - max) + " more" : shown;
    }

    static String cut(String text, int max) {
        return text.length() > max ? text.substring(0, max) + "…" : text;
    }
}
