package io.blueorigin.cdn.httpcache;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code Surrogate-Key} field of a response: purge tags separated by whitespace (Fastly's convention,
 * e.g. {@code Surrogate-Key: item-3 items}). The store indexes an object under each of its keys so that a
 * purge by tag finds it.
 *
 * <p>Bounds, so that what an origin sends cannot grow the index without limit:
 * <ul>
 *   <li>a key the purge API could never name (longer than {@link #MAX_KEY_LENGTH}, or holding a control
 *       character, a non-ASCII character or a comma; the admin API's rule for tags) is not kept: no purge by
 *       tag could reach it, and purges by URL, ban and purge-all still do;</li>
 *   <li>a response with more than {@link #MAX_KEYS} distinct keys is not stored at all
 *       ({@link CachePolicy#onResponse} refuses it), rather than stored with some keys dropped, which would
 *       let a purge by a dropped key miss it.</li>
 * </ul>
 * One pass over each value, keys de-duplicated with a hash set: linear in the field's length.
 */
final class SurrogateKeys {
    /** Most distinct keys a stored response may carry. */
    static final int MAX_KEYS = 512;
    /** Longest key kept, in characters (the admin API accepts tags of 1 to 256 characters). */
    static final int MAX_KEY_LENGTH = 256;

    private SurrogateKeys() {}

    /**
     * The distinct keys of the {@code Surrogate-Key} lines, in order of first appearance; empty when there
     * are more than {@link #MAX_KEYS} of them.
     */
    static Optional<List<String>> parse(List<String> values) {
        Set<String> keys = new LinkedHashSet<>();
        for (String value : values) {
            int n = value.length();
            int i = 0;
            while (i < n) {
                while (i < n && isSeparator(value.charAt(i))) {
                    i++;
                }
                int start = i;
                boolean nameable = true;
                while (i < n && !isSeparator(value.charAt(i))) {
                    char c = value.charAt(i);
                    nameable &= c > 0x20 && c < 0x7f && c != ',';
                    i++;
                }
                if (i > start && nameable && i - start <= MAX_KEY_LENGTH) {
                    keys.add(value.substring(start, i));
                    if (keys.size() > MAX_KEYS) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.of(new ArrayList<>(keys));
    }

    /** Whitespace as {@code \s} in a Java regex: the separators the field has always been split on. */
    private static boolean isSeparator(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }
}
