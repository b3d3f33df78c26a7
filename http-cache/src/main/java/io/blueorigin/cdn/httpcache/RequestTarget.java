package io.blueorigin.cdn.httpcache;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A request-target (RFC 9112 §3.2, origin-form) in the one canonical form a node uses both for the cache
 * key and for the request it sends upstream, so the object stored under a key is always the answer to that
 * key's own target. Computed once per request, at the door, before any resource is taken.
 *
 * <h2>Canonical form (RFC 3986 §6.2.2, syntax-based normalization, applied once)</h2>
 * <ul>
 *   <li>Percent-encodings are upper-cased; those of unreserved characters are decoded ({@code %7e} →
 *       {@code ~}); encoded reserved characters stay encoded ({@code %2F} differs from {@code /}).</li>
 *   <li>A {@code %} that starts no valid triplet can only be a literal {@code %} (§2.4) and is written
 *       {@code %25}; left bare it could join later octets into a new triplet.</li>
 *   <li>Every character not allowed raw in its component (path: pchar and {@code /}; query: pchar,
 *       {@code /} and {@code ?}) is percent-encoded as its UTF-8 octets: browsers send {@code | { } ^ `}
 *       and non-ASCII raw in queries, which a URI parser (and many origins) refuse.</li>
 *   <li>Dot segments are removed (§5.2.4; {@code ..} above the root stays at the root); an empty path is
 *       {@code /}; an empty query ({@code /a?}) is no query. The query is otherwise kept as it is
 *       (parameter order is the origin's business).</li>
 * </ul>
 * The result is a fixed point: parsing a canonical target again gives the same target.
 *
 * <h2>Refused (400): targets that cannot be made canonical without guessing</h2>
 * <ul>
 *   <li>A path that does not start with {@code /} (asterisk-form and authority-form are not for a cache).</li>
 *   <li>A dot segment carrying path parameters ({@code ..;x}, {@code .;x}): servlet containers such as
 *       Tomcat treat it as a dot segment, so the origin would resolve a path the key does not name.</li>
 *   <li>An encoded NUL ({@code %00}) or any control character in the path, raw or encoded (a NUL truncates
 *       file names in origins written in C); raw control characters in the query.</li>
 * </ul>
 * Input length is bounded by the server's request header size; the output is at most nine times the input
 * (one UTF-16 char to at most three UTF-8 octets, each {@code %XX}).
 *
 * @param path the canonical path, starting with {@code /}
 * @param query the canonical query without {@code ?}, or null when there is none
 */
public record RequestTarget(String path, @Nullable String query) {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public RequestTarget {
        requireNonNull(path, "path is null");
    }

    /** A target that cannot be made canonical; its message says why, for a 400 (never echoes the target). */
    public static final class InvalidTarget extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidTarget(String reason) {
            super(reason, null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // a client's mistake, answered with a 400: no stack to walk
        }
    }

    /**
     * Canonicalizes a target as received.
     *
     * @param rawPath the path, percent-encoded as received
     * @param rawQuery the query as received (without {@code ?}), or null
     * @throws InvalidTarget when it cannot be made canonical (see the class comment)
     */
    public static RequestTarget parse(String rawPath, @Nullable String rawQuery) {
        String path = rawPath.isEmpty() ? "/" : rawPath;
        if (path.charAt(0) != '/') {
            throw new InvalidTarget("the request-target must be an absolute path starting with '/'");
        }
        String normalized = removeDotSegments(encode(path, false));
        String query = rawQuery == null || rawQuery.isEmpty() ? null : encode(rawQuery, true);
        return new RequestTarget(normalized, query == null || query.isEmpty() ? null : query);
    }

    /** {@code path} or {@code path?query}: what is sent upstream and what the key names. */
    public String pathAndQuery() {
        return query == null ? path : path + "?" + query;
    }

    /** Percent-encoding normalized and illegal characters encoded, in one pass (linear in the input). */
    private static String encode(String s, boolean query) {
        StringBuilder out = null; // allocated at the first change: most targets are canonical already
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String replacement = null;
            if (c == '%') {
                int hi = i + 2 < n ? hex(s.charAt(i + 1)) : -1;
                int lo = hi >= 0 ? hex(s.charAt(i + 2)) : -1;
                if (lo < 0) {
                    replacement = "%25"; // RFC 3986 §2.4: a literal '%'
                } else {
                    int octet = hi * 16 + lo;
                    if (!query && octet < 0x20 || !query && octet == 0x7F) {
                        throw new InvalidTarget(octet == 0 ? "an encoded NUL (%00) in the path"
                                : "an encoded control character in the path");
                    }
                    char a = s.charAt(i + 1);
                    char b = s.charAt(i + 2);
                    if (isUnreserved(octet)) {
                        replacement = String.valueOf((char) octet);
                    } else if (Character.isLowerCase(a) || Character.isLowerCase(b)) {
                        replacement = "%" + Character.toUpperCase(a) + Character.toUpperCase(b);
                    }
                    if (replacement != null) {
                        out = started(out, s, i);
                        out.append(replacement);
                    } else if (out != null) {
                        out.append(c).append(a).append(b);
                    }
                    i += 2;
                    continue;
                }
            } else if (c < 0x20 || c == 0x7F) {
                throw new InvalidTarget(query ? "a control character in the query" : "a control character in the path");
            } else if (!allowed(c, query)) {
                out = started(out, s, i);
                i = appendUtf8(out, s, i);
                continue;
            }
            if (replacement != null) {
                out = started(out, s, i);
                out.append(replacement);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    private static StringBuilder started(@Nullable StringBuilder out, String s, int upTo) {
        if (out != null) {
            return out;
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        b.append(s, 0, upTo);
        return b;
    }

    /** Appends the UTF-8 octets of the code point at {@code i}, percent-encoded; returns the index of its last char. */
    private static int appendUtf8(StringBuilder out, String s, int i) {
        char c = s.charAt(i);
        int end = i;
        String codePoint;
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            codePoint = s.substring(i, i + 2);
            end = i + 1;
        } else if (Character.isSurrogate(c)) {
            codePoint = "\uFFFD"; // a lone surrogate has no UTF-8 form: the replacement character stands for it
        } else {
            codePoint = String.valueOf(c);
        }
        for (byte octet : codePoint.getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(HEX[(octet >> 4) & 0xF]).append(HEX[octet & 0xF]);
        }
        return end;
    }

    /** RFC 3986 §3.3 and §3.4: pchar, '/' and (in the query) '?'; '%' is handled by the caller. */
    private static boolean allowed(char c, boolean query) {
        if (c >= 0x80) {
            return false;
        }
        if (isUnreserved(c)) {
            return true;
        }
        return switch (c) {
            case '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=', ':', '@', '/' -> true;
            case '?' -> query;
            default -> false;
        };
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

    /**
     * RFC 3986 §5.2.4 on an absolute path whose unreserved encodings are already decoded (so {@code %2E%2E}
     * is {@code ..} here); refuses dot segments with parameters.
     */
    static String removeDotSegments(String path) {
        if (path.indexOf("/.") < 0) {
            return path;
        }
        String[] segments = path.split("/", -1); // a literal one-char split: linear, no regex engine
        String[] out = new String[segments.length];
        int size = 0;
        for (int i = 1; i < segments.length; i++) {
            String seg = segments[i];
            boolean last = i == segments.length - 1;
            if (seg.startsWith(".;") || seg.startsWith("..;")) {
                throw new InvalidTarget("a dot segment with path parameters ('..;' or '.;') in the path");
            }
            if (seg.equals(".")) {
                if (last) {
                    out[size++] = "";
                }
            } else if (seg.equals("..")) {
                if (size > 0) {
                    size--;
                }
                if (last) {
                    out[size++] = "";
                }
            } else {
                out[size++] = seg;
            }
        }
        StringBuilder b = new StringBuilder(path.length());
        for (int i = 0; i < size; i++) {
            b.append('/').append(out[i]);
        }
        return b.length() == 0 ? "/" : b.toString();
    }
}
