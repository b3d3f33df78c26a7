package io.blueorigin.cdn.httpcache.range;

/**
 * A satisfiable byte range of a representation: bytes {@code first} to {@code last}, both inclusive
 * (RFC 9110 §14.1.2), already resolved against the representation's length.
 *
 * <p>Invariant: {@code 0 <= first <= last}.
 *
 * @param first offset of the first byte
 * @param last offset of the last byte
 */
public record ByteRange(long first, long last) {

    public ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("range : " + first + "-" + last + " (expected: 0 <= first <= last)");
        }
    }

    /** How many bytes the range holds. */
    public long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} field value for this range of a representation of {@code completeLength} bytes (RFC 9110 §14.4). */
    public String contentRange(long completeLength) {
        return "bytes " + first + "-" + last + "/" + completeLength;
    }

    /** The {@code Content-Range} field value of a 416 (RFC 9110 §14.4, §15.5.17): {@code bytes *}{@code /len}. */
    public static String unsatisfiedContentRange(long completeLength) {
        return "bytes */" + completeLength;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
