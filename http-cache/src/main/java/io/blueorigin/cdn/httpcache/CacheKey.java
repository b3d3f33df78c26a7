package io.blueorigin.cdn.httpcache;

import static java.util.Objects.requireNonNull;

/**
 * The primary cache key (RFC 9111 §2: the target URI): the site, then the request's canonical path and
 * query ({@link RequestTarget}: RFC 3986 §6.2.2 normalization, the same form the node sends upstream).
 * The site replaces scheme and authority: it is what the node's configuration maps the {@code Host} to,
 * so one object has one key at every edge, shield and port. Query parameter order is kept (origins may
 * depend on it).
 *
 * @param site the configured site name
 * @param pathAndQuery the canonical path and, if any, {@code ?query}
 */
public record CacheKey(String site, String pathAndQuery) {
    public CacheKey {
        requireNonNull(site, "site is null");
        requireNonNull(pathAndQuery, "pathAndQuery is null");
    }

    /** The key of a canonical target. */
    public static CacheKey of(String site, RequestTarget target) {
        return new CacheKey(site, target.pathAndQuery());
    }

    /**
     * @param site configured site name
     * @param rawPath the request-target's path, as received (percent-encoded)
     * @param rawQuery the query as received, or null
     * @throws RequestTarget.InvalidTarget when no request could have that target (see {@link RequestTarget})
     */
    public static CacheKey of(String site, String rawPath, @org.jspecify.annotations.Nullable String rawQuery) {
        return of(site, RequestTarget.parse(rawPath, rawQuery));
    }

    /** The key as one string, {@code site + " " + pathAndQuery} (the space cannot occur in either). */
    public String asString() {
        return site + " " + pathAndQuery;
    }

    /**
     * {@code of(site, target).asString()} in one concatenation, without the record or the {@code pathAndQuery}
     * string in between: the key a request is looked up under, built once per request (CacheKeyBenchmark).
     */
    public static String stringOf(String site, RequestTarget target) {
        String query = target.query();
        return query == null ? site + " " + target.path() : site + " " + target.path() + "?" + query;
    }

    /** Parses {@link #asString()}. */
    public static CacheKey parse(String keyString) {
        int space = keyString.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("not a cache key: " + keyString);
        }
        return new CacheKey(keyString.substring(0, space), keyString.substring(space + 1));
    }

    /** The path without the query. */
    public String path() {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }
}
