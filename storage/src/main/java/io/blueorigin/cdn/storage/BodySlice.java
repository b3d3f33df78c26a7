package io.blueorigin.cdn.storage;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.range.ByteRange;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Bytes {@code first} to {@code last} (inclusive) of another body, as a body of their own: what a 206
 * sends for one range (RFC 9110 §14.1.2), with no new write code.
 *
 * <p>A reader starts the whole body's reader at {@code first} (via {@link Body#reader(long, long)}, so the
 * disk tier reads only the chunks the slice covers), hands out at most the slice's bytes (the last buffer
 * trimmed), and is finished as soon as they are out. It follows a {@link GrowingBody} that is still
 * arriving: a range is answered once its own bytes have arrived, not the whole object. The whole body's
 * reader is closed at the first call after the last byte was handed out (its buffer has been written by
 * then) or at {@link BodyReader#close()}, whichever comes first.
 *
 * <p>If the whole body ends before {@code last} (it was shorter than announced), the reader fails instead
 * of finishing: the response promised the slice's length.
 */
public final class BodySlice implements Body {
    private final Body whole;
    private final long first;
    private final long length;

    private BodySlice(Body whole, long first, long last) {
        this.whole = requireNonNull(whole, "whole is null");
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("slice : " + first + "-" + last + " (expected: 0 <= first <= last)");
        }
        if (whole.length() >= 0 && last >= whole.length()) {
            throw new IllegalArgumentException("slice : " + first + "-" + last + " (expected: within " + whole.length() + " bytes)");
        }
        this.first = first;
        this.length = last - first + 1;
    }

    /** Bytes {@code first..last} of {@code whole}; {@code last} must be below its length when that is known. */
    public static BodySlice of(Body whole, long first, long last) {
        return new BodySlice(whole, first, last);
    }

    /** The bytes of {@code range} of {@code whole}. */
    public static BodySlice of(Body whole, ByteRange range) {
        return new BodySlice(whole, range.first(), range.last());
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public BodyReader reader(long from) {
        if (from < 0) {
            throw new IllegalArgumentException("from : " + from + " (expected: >= 0)");
        }
        long start = Math.min(from, length);
        return new Reader(start == length ? null : whole.reader(first + start, first + length), length - start);
    }

    private static final class Reader implements BodyReader {
        /** The whole body's reader; null once closed (or when nothing was left to read). */
        private @Nullable BodyReader inner;
        /** Bytes of the slice not handed out yet. */
        private long remaining;
        private final long total;
        private @Nullable Throwable failure;

        Reader(@Nullable BodyReader inner, long remaining) {
            this.inner = inner;
            this.remaining = remaining;
            this.total = remaining;
        }

        @Override
        public @Nullable ByteBuffer next() {
            BodyReader in = inner;
            if (in == null) {
                return null;
            }
            if (remaining == 0) {
                close(); // the last buffer has been written: let the whole body go
                return null;
            }
            ByteBuffer b = in.next();
            if (b == null) {
                return null;
            }
            if (b.remaining() > remaining) {
                b.limit(b.position() + (int) remaining);
            }
            remaining -= b.remaining();
            return b;
        }

        @Override
        public boolean isFinished() {
            return remaining == 0;
        }

        @Override
        public @Nullable Throwable failure() {
            BodyReader in = inner;
            if (failure == null && in != null && remaining > 0) {
                if (in.failure() != null) {
                    failure = in.failure();
                } else if (in.isFinished()) {
                    failure = new IllegalStateException("body ended " + remaining + " bytes before the end of the slice");
                }
            }
            return failure;
        }

        @Override
        public void demand(Runnable wakeup) {
            BodyReader in = inner;
            if (in == null || remaining == 0 || failure() != null) {
                wakeup.run();
            } else {
                in.demand(wakeup);
            }
        }

        @Override
        public long position() {
            return total - remaining;
        }

        @Override
        public void close() {
            BodyReader in = inner;
            if (in != null) {
                inner = null;
                in.close();
            }
        }
    }
}
