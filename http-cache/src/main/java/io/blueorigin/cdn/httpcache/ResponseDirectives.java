package io.blueorigin.cdn.httpcache;

import io.blueorigin.cdn.httpcache.internal.ListTokenizer;
import io.blueorigin.cdn.httpcache.internal.StructuredDictionary;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A response's cache directives (RFC 9111 §5.2.2, RFC 5861 for the stale extensions), parsed from
 * {@code Cache-Control} or from a targeted field such as {@code CDN-Cache-Control} (RFC 9213).
 *
 * <p>Never throws. Seconds are {@code -1} when absent. Rules for odd input, per RFC 9111:
 * <ul>
 *   <li>unknown directives are ignored (§5.2.3);</li>
 *   <li>a {@code max-age} or {@code s-maxage} with an invalid argument, or given twice with different
 *       values, makes the response stale ({@code 0}) (§4.2.1: "considered stale");</li>
 *   <li>qualified {@code no-cache="f"} and {@code private="f"} are treated as unqualified, which §5.2.2.4
 *       and §5.2.2.7 allow and which is the safe reading for a shared cache;</li>
 *   <li>a value too large to represent is 2^31 (§1.2.2).</li>
 * </ul>
 *
 * @param maxAgeSeconds {@code max-age}
 * @param sMaxAgeSeconds {@code s-maxage} (shared caches; also implies {@code proxy-revalidate}, §5.2.2.10)
 * @param noCache must not be used without successful validation
 * @param noStore must not be stored
 * @param isPrivate a shared cache must not store it
 * @param isPublic may be stored even where it otherwise could not (e.g. with {@code Authorization})
 * @param mustRevalidate once stale, must not be served without validation ({@code must-revalidate})
 * @param proxyRevalidate {@code must-revalidate} for shared caches only
 * @param mustUnderstand store only if the status code is understood
 * @param immutable the body will not change while fresh (RFC 8246)
 * @param staleWhileRevalidateSeconds RFC 5861 {@code stale-while-revalidate}
 * @param staleIfErrorSeconds RFC 5861 {@code stale-if-error}
 */
public record ResponseDirectives(long maxAgeSeconds, long sMaxAgeSeconds, boolean noCache, boolean noStore,
        boolean isPrivate, boolean isPublic, boolean mustRevalidate, boolean proxyRevalidate, boolean mustUnderstand,
        boolean immutable, long staleWhileRevalidateSeconds, long staleIfErrorSeconds) {

    /** No directives at all. */
    public static final ResponseDirectives NONE = new ResponseDirectives(-1, -1, false, false, false, false, false,
            false, false, false, -1, -1);

    /** Parses every {@code Cache-Control} field line of a response. */
    public static ResponseDirectives parse(List<String> cacheControlValues) {
        if (cacheControlValues.isEmpty()) {
            return NONE;
        }
        Builder b = new Builder();
        for (String member : ListTokenizer.members(cacheControlValues)) {
            int eq = member.indexOf('=');
            String name = (eq < 0 ? member : member.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String arg = eq < 0 ? null : ListTokenizer.unquote(member.substring(eq + 1).trim());
            b.apply(name, arg == null ? null : DeltaSeconds.parse(arg), eq >= 0);
        }
        return b.build();
    }

    /**
     * Parses a targeted field value (RFC 9213 §2.2: a Structured Fields Dictionary). Empty when the value is
     * empty or not a valid dictionary: the cache then ignores the field and falls back to
     * {@code Cache-Control}. A directive whose value has the wrong type is ignored.
     */
    public static Optional<ResponseDirectives> parseTargeted(String fieldValue) {
        Optional<Map<String, Object>> dictionary = StructuredDictionary.parse(fieldValue);
        if (dictionary.isEmpty() || dictionary.get().isEmpty()) {
            return Optional.empty();
        }
        Builder b = new Builder();
        dictionary.get().forEach((name, value) -> {
            // RFC 9213 §2.1: directives taking delta-seconds are Integers, the others Booleans; values that
            // violate these inferred constraints are not consumed (a bare "max-age" is not "max-age=0",
            // "no-store=1" is not "no-store")
            boolean takesSeconds = name.equals("max-age") || name.equals("s-maxage")
                    || name.equals("stale-while-revalidate") || name.equals("stale-if-error");
            if (value instanceof Boolean flag) {
                if (flag && !takesSeconds) {
                    b.apply(name, null, false);
                }
            } else if (value instanceof Long n) {
                if (takesSeconds) {
                    b.apply(name, n < 0 ? -1L : Math.min(n, DeltaSeconds.MAX), true);
                }
            } else if (value instanceof String && (name.equals("no-cache") || name.equals("private"))) {
                b.apply(name, null, false); // qualified form: treated as unqualified
            }
            // other types: the directive is ignored
        });
        return Optional.of(b.build());
    }

    /** A freshness lifetime was given explicitly ({@code s-maxage} or {@code max-age}). */
    public boolean hasExplicitLifetime() {
        return maxAgeSeconds >= 0 || sMaxAgeSeconds >= 0;
    }

    /**
     * Whether a shared cache may serve this response stale without validation: not after
     * {@code must-revalidate}, {@code proxy-revalidate}, {@code s-maxage} (§5.2.2.2, §5.2.2.8, §5.2.2.10)
     * or {@code no-cache}.
     */
    public boolean allowsStale() {
        return !mustRevalidate && !proxyRevalidate && sMaxAgeSeconds < 0 && !noCache;
    }

    private static final class Builder {
        long maxAge = -1;
        long sMaxAge = -1;
        boolean noCache;
        boolean noStore;
        boolean isPrivate;
        boolean isPublic;
        boolean mustRevalidate;
        boolean proxyRevalidate;
        boolean mustUnderstand;
        boolean immutable;
        long swr = -1;
        long sie = -1;

        /**
         * @param seconds the argument as delta-seconds (-1 if invalid), or null when there is none
         * @param hasArgument whether the directive had {@code =...}
         */
        void apply(String name, Long seconds, boolean hasArgument) {
            switch (name) {
                case "max-age" -> maxAge = lifetime(maxAge, seconds);
                case "s-maxage" -> sMaxAge = lifetime(sMaxAge, seconds);
                case "no-cache" -> noCache = true;
                case "no-store" -> noStore = true;
                case "private" -> isPrivate = true;
                case "public" -> isPublic = true;
                case "must-revalidate" -> mustRevalidate = true;
                case "proxy-revalidate" -> proxyRevalidate = true;
                case "must-understand" -> mustUnderstand = true;
                case "immutable" -> immutable = true;
                case "stale-while-revalidate" -> swr = extension(swr, seconds);
                case "stale-if-error" -> sie = extension(sie, seconds);
                default -> {
                    // §5.2.3: unknown directives (and no-transform, which a cache that never transforms obeys) are ignored
                }
            }
        }

        /** An invalid or conflicting lifetime makes the response stale (0). */
        private static long lifetime(long current, Long seconds) {
            long value = seconds == null || seconds < 0 ? 0 : seconds;
            if (current >= 0 && current != value) {
                return 0;
            }
            return value;
        }

        /** Stale extensions: an invalid value means the directive is absent; the first valid one wins. */
        private static long extension(long current, Long seconds) {
            if (current >= 0 || seconds == null || seconds < 0) {
                return current;
            }
            return seconds;
        }

        ResponseDirectives build() {
            return new ResponseDirectives(maxAge, sMaxAge, noCache, noStore, isPrivate, isPublic, mustRevalidate,
                    proxyRevalidate, mustUnderstand, immutable, swr, sie);
        }
    }
}
