package io.blueorigin.cdn.httpcache.range;

import java.util.Optional;

/**
 * One {@code range-spec} of a {@code bytes} range set as received (RFC 9110 §14.1.2), not yet resolved
 * against a length. Numbers too large for a {@code long} are held as {@link Long#MAX_VALUE}: no
 * representation is that long, so the outcome is the same (a first-pos past the end, a last-pos or a
 * suffix-length covering the rest).
 *
 * @param first the int-range's first-pos, or {@link #SUFFIX} for a suffix-range
 * @param last the int-range's last-pos ({@link #OPEN} when absent), or the suffix-range's suffix-length
 */
public record RangeSpec(long first, long last) {
    /** {@link #first} of a suffix-range ({@code -500}). */
    public static final long SUFFIX = -1;
    /** {@link #last} of an int-range without last-pos ({@code 9500-}). */
    public static final long OPEN = -1;

    public RangeSpec {
        if (first < SUFFIX || last < OPEN || (first == SUFFIX && last < 0) || (first >= 0 && last != OPEN && last < first)) {
            throw new IllegalArgumentException("range-spec : " + first + ", " + last);
        }
    }

    public static RangeSpec from(long firstPos, long lastPos) {
        return new RangeSpec(firstPos, lastPos);
    }

    public static RangeSpec startingAt(long firstPos) {
        return new RangeSpec(firstPos, OPEN);
    }

    public static RangeSpec suffix(long suffixLength) {
        return new RangeSpec(SUFFIX, suffixLength);
    }

    public boolean isSuffix() {
        return first == SUFFIX;
    }

    /**
     * The bytes this spec selects of a representation of {@code length} bytes, or empty when it is not
     * satisfiable (RFC 9110 §14.1.2): an int-range is satisfiable when first-pos &lt; length (a last-pos at or
     * past the end means the rest); a suffix-range when its suffix-length is not zero (longer than the
     * representation means all of it). A zero-length representation has no byte to select: empty.
     */
    public Optional<ByteRange> resolve(long length) {
        if (length <= 0) {
            return Optional.empty();
        }
        if (isSuffix()) {
            return last == 0 ? Optional.empty() : Optional.of(new ByteRange(length - Math.min(last, length), length - 1));
        }
        if (first >= length) {
            return Optional.empty();
        }
        return Optional.of(new ByteRange(first, last == OPEN ? length - 1 : Math.min(last, length - 1)));
    }

    /** The field form: {@code 0-499}, {@code 9500-} or {@code -500}. */
    @Override
    public String toString() {
        return isSuffix() ? "-" + last : first + "-" + (last == OPEN ? "" : String.valueOf(last));
    }
}
