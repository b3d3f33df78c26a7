package io.blueorigin.cdn.httpcache;

import io.blueorigin.cdn.httpcache.internal.ListTokenizer;
import java.util.List;
import java.util.Locale;

/**
 * The request's cache directives (RFC 9111 §5.2.1), with {@code Pragma: no-cache} read as
 * {@code Cache-Control: no-cache} when the request has no {@code Cache-Control} (§5.4).
 *
 * <p>Parsing never throws. Unknown directives are ignored (§5.2.3). A directive whose argument is invalid
 * counts as absent, except {@code max-stale} without a value, which means "any staleness" (§5.2.1.2).
 * Durations are seconds; {@code -1} means absent.
 *
 * @param maxAgeSeconds {@code max-age}: the client will not accept a response older than this
 * @param maxStaleSeconds {@code max-stale}: staleness the client accepts; {@link Long#MAX_VALUE} without a value
 * @param minFreshSeconds {@code min-fresh}: the response must stay fresh at least this long
 * @param noCache {@code no-cache} (or {@code Pragma: no-cache}): do not use a stored response without validation
 * @param noStore {@code no-store}: do not store the response to this request
 * @param onlyIfCached {@code only-if-cached}: answer from cache or 504
 */
public record RequestDirectives(long maxAgeSeconds, long maxStaleSeconds, long minFreshSeconds, boolean noCache,
        boolean noStore, boolean onlyIfCached) {

    /** A request without cache directives (the common case; shared, no allocation). */
    public static final RequestDirectives NONE = new RequestDirectives(-1, -1, -1, false, false, false);

    /** Parses the request's {@code Cache-Control} (and {@code Pragma}) fields. */
    public static RequestDirectives parse(FieldLookup request) {
        List<String> cacheControl = request.values("Cache-Control");
        if (cacheControl.isEmpty()) {
            for (String pragma : request.values("Pragma")) {
                for (String member : ListTokenizer.members(pragma)) {
                    if (member.equalsIgnoreCase("no-cache")) {
                        return new RequestDirectives(-1, -1, -1, true, false, false);
                    }
                }
            }
            return NONE;
        }
        long maxAge = -1;
        long maxStale = -1;
        long minFresh = -1;
        boolean noCache = false;
        boolean noStore = false;
        boolean onlyIfCached = false;
        for (String member : ListTokenizer.members(cacheControl)) {
            int eq = member.indexOf('=');
            String name = (eq < 0 ? member : member.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String arg = eq < 0 ? null : ListTokenizer.unquote(member.substring(eq + 1).trim());
            switch (name) {
                case "max-age" -> maxAge = first(maxAge, DeltaSeconds.parse(arg));
                case "max-stale" -> maxStale = first(maxStale, arg == null ? Long.MAX_VALUE : DeltaSeconds.parse(arg));
                case "min-fresh" -> minFresh = first(minFresh, DeltaSeconds.parse(arg));
                case "no-cache" -> noCache = true;
                case "no-store" -> noStore = true;
                case "only-if-cached" -> onlyIfCached = true;
                default -> {
                    // §5.2.3: unknown directives are ignored
                }
            }
        }
        return new RequestDirectives(maxAge, maxStale, minFresh, noCache, noStore, onlyIfCached);
    }

    /** The first valid occurrence wins (RFC 9111 §4.2.1 allows "first occurrence"). */
    private static long first(long current, long candidate) {
        return current >= 0 ? current : candidate;
    }

    public boolean hasMaxAge() {
        return maxAgeSeconds >= 0;
    }
}
