package io.blueorigin.cdn.proxy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The operator's URL patterns of the traffic breakdown ({@code stats.url-patterns}; {@code traffic.urlPatterns}
 * of the heartbeat, {@code byUrlPattern} of admin's {@code GET /api/v1/stats}): globs on the request path, tried
 * in the order given, the first that matches labels the request; a request none matches is {@value #OTHER}.
 *
 * <p>A pattern starts with {@code /}; {@code *} matches any run of characters, {@code /} included
 * ({@code /static/*} matches {@code /static/a/b.css}); every other character matches itself, case-sensitively.
 * It is matched against the path as the client sent it (percent-encoding kept), without the query. At most
 * {@link #MAX_PATTERNS} patterns of at most {@link #MAX_LENGTH} visible ASCII characters, no {@code ?} or
 * {@code #}, no duplicates: the labels are bounded by configuration, never by what clients send.
 *
 * <p>Matching runs on every request: each pattern is split at its stars once, here, and a path is matched by
 * comparing its start and end and finding each middle piece in order ({@code String.indexOf}), leftmost first
 * (which finds a match whenever one exists, as a star can absorb anything). No allocation. Immutable.
 */
public final class UrlPatterns {
    /** The setting this comes from, named in error messages. */
    public static final String KEY = "stats.url-patterns";
    /** Most patterns. */
    public static final int MAX_PATTERNS = 32;
    /** Longest pattern, in characters. */
    public static final int MAX_LENGTH = 200;
    /** The label of a request no pattern matches. */
    public static final String OTHER = "other";
    /** No patterns: every request is {@value #OTHER}. */
    public static final UrlPatterns NONE = new UrlPatterns(List.of());

    private final List<String> patterns;
    /** Per pattern, its pieces between stars; a pattern without a star is one piece. */
    private final String[][] pieces;
    private final List<String> labels;

    private UrlPatterns(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        this.pieces = new String[patterns.size()][];
        for (int i = 0; i < pieces.length; i++) {
            pieces[i] = patterns.get(i).split("\\*", -1);
        }
        List<String> all = new ArrayList<>(patterns);
        all.add(OTHER);
        this.labels = List.copyOf(all);
    }

    /**
     * Validates {@code patterns}, in their order.
     *
     * @throws IllegalArgumentException {@code "stats.url-patterns : ..."}, naming the pattern at fault and the rule
     */
    public static UrlPatterns of(List<String> patterns) {
        if (patterns.size() > MAX_PATTERNS) {
            throw new IllegalArgumentException(KEY + " : " + patterns.size() + " patterns, at most " + MAX_PATTERNS
                    + " are allowed (each one is a label admin stores per heartbeat); merge some with *");
        }
        Set<String> seen = new HashSet<>();
        for (String pattern : patterns) {
            check(pattern);
            if (!seen.add(pattern)) {
                throw new IllegalArgumentException(KEY + " : '" + pattern + "' is given twice (the first match wins,"
                        + " so the second would never count); remove one");
            }
        }
        return new UrlPatterns(patterns);
    }

    private static void check(String pattern) {
        String shown = pattern.length() > MAX_LENGTH ? pattern.substring(0, MAX_LENGTH) + "..." : pattern;
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException(KEY + " : '" + shown + "' does not start with / (a pattern is a glob"
                    + " on the request path, e.g. /static/*)");
        }
        if (pattern.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(KEY + " : '" + shown + "' is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '?' || c == '#') {
                throw new IllegalArgumentException(KEY + " : '" + pattern.replaceAll("[^\\x21-\\x7e]", "?") + "' has "
                        + (c == '?' || c == '#' ? "'" + c + "' (a pattern matches the path only, without query or"
                        + " fragment; * is the only wildcard)" : "a space, control or non-ASCII character at " + i
                        + " (write the path as clients send it, percent-encoded)"));
            }
        }
    }

    /** The patterns, in order. */
    public List<String> patterns() {
        return patterns;
    }

    /** The labels, by index: the patterns in order, then {@value #OTHER}. */
    List<String> labels() {
        return labels;
    }

    /** The label index of a request path: the first matching pattern's, else {@code patterns().size()} (other). */
    int index(@Nullable String path) {
        if (path != null) {
            for (int i = 0; i < pieces.length; i++) {
                if (matches(pieces[i], path)) {
                    return i;
                }
            }
        }
        return pieces.length;
    }

    private static boolean matches(String[] pieces, String path) {
        String first = pieces[0];
        if (pieces.length == 1) {
            return path.equals(first);
        }
        String last = pieces[pieces.length - 1];
        int end = path.length() - last.length();
        if (end < first.length() || !path.startsWith(first) || !path.startsWith(last, end)) {
            return false;
        }
        int at = first.length();
        for (int i = 1; i < pieces.length - 1; i++) {
            String piece = pieces[i];
            int found = path.indexOf(piece, at);
            if (found < 0 || found + piece.length() > end) {
                return false;
            }
            at = found + piece.length();
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UrlPatterns other && other.patterns.equals(patterns);
    }

    @Override
    public int hashCode() {
        return patterns.hashCode();
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
