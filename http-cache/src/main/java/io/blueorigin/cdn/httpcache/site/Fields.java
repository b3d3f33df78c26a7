package io.blueorigin.cdn.httpcache.site;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads from a decoded JSON or YAML object ({@code Map}, {@code List}, {@code String}, {@code Number},
 * {@code Boolean}), each failure a {@link SiteException} naming the field. Unknown fields are refused, so a
 * misspelt setting is an error rather than silently ignored.
 */
final class Fields {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private final Map<String, ?> map;
    private final String prefix;

    private Fields(Map<String, ?> map, String prefix) {
        this.map = map;
        this.prefix = prefix;
    }

    /** The object at {@code path}, whose fields must all be among {@code known}. */
    static Fields of(@Nullable Object value, String path, Set<String> known) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new SiteException(path.isEmpty() ? "(body)" : path, "expected an object");
        }
        for (Object k : m.keySet()) {
            if (!known.contains(String.valueOf(k))) {
                throw new SiteException(join(path, String.valueOf(k)), known.isEmpty()
                        ? "unknown field (none is defined yet: expected an empty object)"
                        : "unknown field (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> typed = (Map<String, ?>) m;
        return new Fields(typed, path);
    }

    String path(String name) {
        return join(prefix, name);
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    boolean has(String name) {
        return map.get(name) != null;
    }

    @Nullable Object raw(String name) {
        return map.get(name);
    }

    String string(String name) {
        Object v = map.get(name);
        if (v == null) {
            throw new SiteException(path(name), "required");
        }
        if (!(v instanceof String s)) {
            throw new SiteException(path(name), "expected a string");
        }
        return s;
    }

    @Nullable String optionalString(String name) {
        return has(name) ? string(name) : null;
    }

    boolean bool(String name, boolean orElse) {
        Object v = map.get(name);
        if (v == null) {
            return orElse;
        }
        if (!(v instanceof Boolean b)) {
            throw new SiteException(path(name), "expected true or false");
        }
        return b;
    }

    int integer(String name, int orElse, int min, int max) {
        Object v = map.get(name);
        if (v == null) {
            return orElse;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < min
                || n.doubleValue() > max || v instanceof BigDecimal d && d.stripTrailingZeros().scale() > 0) {
            // (a BigDecimal such as 256.0000000000000000001, from a decoder keeping decimals exact, is no whole
            // number although its double is)
            throw new SiteException(path(name), "expected a whole number from " + min + " to " + max + ", not " + v);
        }
        return n.intValue();
    }

    /** A duration written {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h} or {@code 7d}, within [min, max]. */
    @Nullable Duration duration(String name, Duration min, Duration max) {
        Object v = map.get(name);
        if (v == null) {
            return null;
        }
        Duration d = v instanceof String s ? parseDuration(s) : null;
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new SiteException(path(name), "expected a duration from " + format(min) + " to " + format(max)
                    + " written like 250ms, 30s, 5m, 2h or 7d, not " + v);
        }
        return d;
    }

    List<Object> list(String name) {
        Object v = map.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw new SiteException(path(name), "expected a list");
        }
        return new ArrayList<>(l);
    }

    <E extends Enum<E>> E choice(String name, Class<E> type, E orElse) {
        Object v = map.get(name);
        if (v == null) {
            return orElse;
        }
        for (E e : type.getEnumConstants()) {
            if (label(e).equals(v)) {
                return e;
            }
        }
        List<String> labels = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            labels.add(label(e));
        }
        throw new SiteException(path(name), "expected one of " + String.join(", ", labels) + ", not " + v);
    }

    /** An enum constant as written in JSON: lower case, '-' for '_'. */
    static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static @Nullable Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** The shortest exact form {@link #parseDuration} reads back. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms > 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0 && ms > 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0 && ms > 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }
}
