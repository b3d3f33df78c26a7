package io.blueorigin.cdn.httpcache.range;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.EntityTag;
import io.blueorigin.cdn.httpcache.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The arithmetic of a representation cut into fixed-size slices (nginx {@code slice}; stored as partial responses,
 * RFC 9111 §3.3, combined only under one strong validator, §3.4). Pure and table-tested ({@code SlicesTest}).
 *
 * <p>Slice {@code i} of a representation of {@code total} bytes cut in slices of {@code size} bytes covers bytes
 * {@code i*size} to {@code min((i+1)*size, total)-1}; there are {@code ceil(total/size)} of them, and a zero-length
 * representation has none (it is never sliced). Each slice is asked upstream as
 * {@code Range: bytes=i*size-((i+1)*size-1)} whatever the total (the upstream clips the last one), so the request
 * for a slice never depends on knowing the length.
 *
 * <p>Invariants: {@code size >= 1}; every index is {@code >= 0}; {@code size * (index + 1)} never overflows for an
 * index this class returns (indices are at most {@code Long.MAX_VALUE / size}).
 */
public final class Slices {
    /** The most slices one representation may have; more and it is not sliced (fetched whole, as without slicing). */
    public static final long MAX_SLICES = 100_000;
    /** What separates a primary key from its slice index in a slice entry's key. */
    public static final String KEY_SEPARATOR = "\u0000slice=";
    /** The prefix of the internal surrogate key every slice entry of one primary key carries (never sent). */
    private static final String TAG_PREFIX = "\u0000slices ";

    private Slices() {}

    /** The slice holding byte {@code offset}. */
    public static long indexOf(long offset, long size) {
        check(size);
        if (offset < 0) {
            throw new IllegalArgumentException("offset : " + offset + " (expected: >= 0)");
        }
        return offset / size;
    }

    /** How many slices a representation of {@code total} bytes has (0 for an empty one). */
    public static long count(long total, long size) {
        check(size);
        if (total < 0) {
            throw new IllegalArgumentException("total : " + total + " (expected: >= 0)");
        }
        return total / size + (total % size == 0 ? 0 : 1);
    }

    /** Whether a representation of {@code total} bytes is sliced: not empty, and at most {@link #MAX_SLICES} slices. */
    public static boolean sliceable(long total, long size) {
        return total > 0 && count(total, size) <= MAX_SLICES;
    }

    /** The bytes slice {@code index} holds of a representation of {@code total} bytes; empty past the end. */
    public static Optional<ByteRange> bytesOf(long index, long size, long total) {
        check(size);
        if (index < 0 || index >= count(total, size)) {
            return Optional.empty();
        }
        long first = index * size;
        return Optional.of(new ByteRange(first, Math.min(total, first + size) - 1));
    }

    /** The {@code Range} field value that asks upstream for slice {@code index}: {@code bytes=first-last}, unclipped. */
    public static String requestRange(long index, long size) {
        check(size);
        if (index < 0 || index > Long.MAX_VALUE / size - 1) {
            throw new IllegalArgumentException("index : " + index + " (expected: 0 to " + (Long.MAX_VALUE / size - 1) + ")");
        }
        return "bytes=" + index * size + "-" + ((index + 1) * size - 1);
    }

    /**
     * The slices that hold the bytes of {@code range}: {@code first} to {@code last} inclusive.
     *
     * @param first index of the first slice
     * @param last index of the last slice
     */
    public record Covering(long first, long last) {
        public Covering {
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("slices : " + first + "-" + last);
            }
        }

        public long count() {
            return last - first + 1;
        }
    }

    /** Which slices cover {@code range}. */
    public static Covering covering(ByteRange range, long size) {
        return new Covering(indexOf(range.first(), size), indexOf(range.last(), size));
    }

    /**
     * The slice to fetch first for a request whose {@code Range} field lines are {@code range}: the one holding the
     * first byte the first range-spec asks for, when it names one; slice 0 otherwise (no or an invalid {@code Range},
     * a suffix-range: the length is not known before a slice tells it).
     */
    public static long firstIndex(List<String> range, long size) {
        check(size);
        if (range.size() != 1) {
            return 0;
        }
        RangeHeader.Parsed parsed = RangeHeader.parse(range.get(0), RangePolicy.DEFAULT_MAX_RANGES);
        if (!parsed.isValid() || parsed.specs().isEmpty() || parsed.specs().get(0).isSuffix()) {
            return 0;
        }
        long first = parsed.specs().get(0).first();
        return Math.min(first / size, Long.MAX_VALUE / size - 1);
    }

    /**
     * A {@code Content-Range} of a 206 with one part (RFC 9110 §14.4): bytes {@code first} to {@code last} of
     * {@code complete} ({@code -1}: {@code *}, unknown).
     */
    public record ContentRange(long first, long last, long complete) {}

    /** Parses {@code bytes first-last/complete}; empty for anything else (other units, {@code bytes *}{@code /n}, junk). */
    public static Optional<ContentRange> parseContentRange(@Nullable String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.length() < 6 || !v.substring(0, 6).toLowerCase(Locale.ROOT).equals("bytes ")) {
            return Optional.empty();
        }
        v = v.substring(6).trim();
        int dash = v.indexOf('-');
        int slash = v.indexOf('/');
        if (dash <= 0 || slash <= dash + 1 || slash == v.length() - 1) {
            return Optional.empty();
        }
        long first = digits(v.substring(0, dash));
        long last = digits(v.substring(dash + 1, slash));
        String c = v.substring(slash + 1);
        long complete = c.equals("*") ? -1 : digits(c);
        if (first < 0 || last < first || (!c.equals("*") && (complete < 0 || last >= complete))) {
            return Optional.empty();
        }
        return Optional.of(new ContentRange(first, last, complete));
    }

    /**
     * Whether {@code contentRange} is exactly slice {@code index} of a complete length it names: the check a 206
     * answering a slice request must pass before it is stored as that slice.
     */
    public static boolean isSlice(ContentRange contentRange, long index, long size) {
        if (contentRange.complete() < 0) {
            return false;
        }
        Optional<ByteRange> expected = bytesOf(index, size, contentRange.complete());
        return expected.isPresent() && expected.get().first() == contentRange.first()
                && expected.get().last() == contentRange.last();
    }

    /**
     * The strong validator of a slice, to compare with the other slices' before they are combined (RFC 9111 §3.4):
     * its strong {@code ETag}, else its {@code Last-Modified} (RFC 9110 §8.8.2.2: a date is weak unless the server
     * knows better; nginx and RFC 9111 §3.4 accept it when no entity tag is sent); empty when it has neither, and
     * then it is never combined with another.
     */
    public static Optional<String> validator(CachedResponse slice) {
        Optional<EntityTag> tag = slice.etag();
        if (tag.isPresent()) {
            return tag.get().weak() ? Optional.empty() : Optional.of(tag.get().toString());
        }
        return slice.lastModifiedMillis() >= 0 ? Optional.of("lm:" + slice.lastModifiedMillis()) : Optional.empty();
    }

    /** Whether two slices are of one representation: the same strong validator (RFC 9111 §3.4). */
    public static boolean combinable(CachedResponse a, CachedResponse b) {
        Optional<String> va = validator(a);
        return va.isPresent() && va.equals(validator(b));
    }

    /** The key a slice entry is stored under. */
    public static String key(String primaryKey, long index) {
        return primaryKey + KEY_SEPARATOR + index;
    }

    /** The primary key a slice entry's key belongs to ({@code key} itself when it is not a slice entry's). */
    public static String primaryKeyOf(String key) {
        int at = key.indexOf(KEY_SEPARATOR);
        return at < 0 ? key : key.substring(0, at);
    }

    /**
     * The internal surrogate key every slice entry of {@code primaryKey} is tagged with, so a purge of the URL finds
     * them all in the store's tag index. It starts with a NUL, which no {@code Surrogate-Key} from upstream can.
     */
    public static String tag(String primaryKey) {
        return TAG_PREFIX + primaryKey;
    }

    /** Whether {@code tag} is a slice tag ({@link #tag}), internal to a node, never a tag an origin sent. */
    public static boolean isSliceTag(String tag) {
        return tag.startsWith(TAG_PREFIX);
    }

    /** {@code slice} with its {@link #tag} added to its surrogate keys (its fields are unchanged: the tag is never sent). */
    public static CachedResponse tagged(CachedResponse slice, String primaryKey) {
        List<String> keys = new ArrayList<>(slice.surrogateKeys());
        keys.add(tag(primaryKey));
        return new CachedResponse(slice.status(), slice.fields(), slice.requestTimeMillis(), slice.responseTimeMillis(),
                slice.correctedInitialAgeMillis(), slice.freshnessLifetimeMillis(), slice.staleWhileRevalidateMillis(),
                slice.staleIfErrorMillis(), slice.mustRevalidate(), slice.sharedMaxAge(), slice.noCache(), slice.etag(),
                slice.lastModifiedMillis(), slice.dateMillis(), slice.varyFields(), slice.varyKey(), keys,
                slice.contentLength());
    }

    /**
     * The whole representation as slice {@code slice} describes it: a 200 of {@code total} bytes with the slice's
     * fields but {@code Content-Range} and {@code Content-Length}, and its freshness.
     */
    public static CachedResponse whole(CachedResponse slice, long total) {
        List<Field> fields = new ArrayList<>(slice.fields().size());
        for (Field f : slice.fields()) {
            if (!f.name().equalsIgnoreCase("Content-Range") && !f.name().equalsIgnoreCase("Content-Length")) {
                fields.add(f);
            }
        }
        return new CachedResponse(200, fields, slice.requestTimeMillis(), slice.responseTimeMillis(),
                slice.correctedInitialAgeMillis(), slice.freshnessLifetimeMillis(), slice.staleWhileRevalidateMillis(),
                slice.staleIfErrorMillis(), slice.mustRevalidate(), slice.sharedMaxAge(), slice.noCache(), slice.etag(),
                slice.lastModifiedMillis(), slice.dateMillis(), slice.varyFields(), slice.varyKey(), slice.surrogateKeys(),
                total);
    }

    /** 1*DIGIT as a long; -1 when not digits, saturated at {@link Long#MAX_VALUE}. */
    private static long digits(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n > (Long.MAX_VALUE - (c - '0')) / 10 ? Long.MAX_VALUE : n * 10 + (c - '0');
        }
        return n;
    }

    private static void check(long size) {
        if (size < 1) {
            throw new IllegalArgumentException("slice size : " + size + " (expected: >= 1)");
        }
    }
}
