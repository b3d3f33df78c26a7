package io.blueorigin.cdn.httpcache;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The primary cache key (RFC 9111 §2: the target URI): the site, then the normalized path and query.
 * The site replaces scheme and authority: it is what the node's configuration maps the {@code Host} to,
 * so one object has one key at every edge, shield and port.
 *
 * <p>Normalization (RFC 3986 §6.2.2, semantics-preserving): percent-encodings are upper-cased and those
 * of unreserved characters decoded ({@code %7e} to {@code ~}, {@code %41} to {@code A}); dot segments are
 * removed; an empty path is {@code /}; an empty query ({@code /a?}) equals no query. Encoded reserved
 * characters such as {@code %2F} stay encoded (they differ from {@code /}). A {@code %} that starts no valid
 * triplet is a literal {@code %} and is written {@code %25}, so normalizing a key again changes nothing.
 * Query parameter order is kept (origins may depend on it).
 *
 * @param site the configured site name
 * @param pathAndQuery the normalized path and, if any, {@code ?query}
 */
public record CacheKey(String site, String pathAndQuery) {
    public CacheKey {
        requireNonNull(site, "site is null");
        requireNonNull(pathAndQuery, "pathAndQuery is null");
    }

    /**
     * @param site configured site name
     * @param rawPath the request-target's path, as received (percent-encoded)
     * @param rawQuery the query as received, or null
     */
    public static CacheKey of(String site, String rawPath, @org.jspecify.annotations.Nullable String rawQuery) {
        String path = removeDotSegments(normalizeEncoding(rawPath.isEmpty() ? "/" : rawPath));
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new CacheKey(site, path);
        }
        return new CacheKey(site, path + "?" + normalizeEncoding(rawQuery));
    }

    /** The key as one string, {@code site + " " + pathAndQuery} (the space cannot occur in either). */
    public String asString() {
        return site + " " + pathAndQuery;
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

    static String normalizeEncoding(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                int v = hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2));
                if (isUnreserved(v)) {
                    out.append((char) v);
                } else {
                    out.append('%').append(Character.toUpperCase(s.charAt(i + 1))).append(Character.toUpperCase(s.charAt(i + 2)));
                }
                i += 2;
            } else if (c == '%') {
                // RFC 3986 §2.1, §2.4: a '%' that starts no triplet can only be a literal '%', i.e. %25.
                // Left bare it could join later decoded octets into a new triplet ("%%34%31" -> "%41"),
                // and normalizing the normalized key would then change it.
                out.append("%25");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** RFC 3986 §5.2.4, on an absolute path. */
    static String removeDotSegments(String path) {
        if (!path.contains("/.") && !path.startsWith(".")) {
            return path;
        }
        Deque<String> out = new ArrayDeque<>();
        String[] segments = path.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            String seg = segments[i];
            boolean last = i == segments.length - 1;
            if (seg.equals(".")) {
                if (last) {
                    out.addLast("");
                }
            } else if (seg.equals("..")) {
                out.pollLast();
                if (last) {
                    out.addLast("");
                }
            } else {
                out.addLast(seg);
            }
        }
        return "/" + String.join("/", out);
    }
}
