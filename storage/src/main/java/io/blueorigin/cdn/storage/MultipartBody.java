package io.blueorigin.cdn.storage;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.range.MultipartByteranges;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@code multipart/byteranges} payload (RFC 9110 §14.6) as a body: the framing's part heads and closing
 * ({@link MultipartByteranges}) around {@link BodySlice}s of the whole body, read one after the other.
 * Its {@link #length()} is the framing's exact {@code Content-Length}.
 *
 * <p>A reader holds at most one reader of the whole body at a time (the current part's), opened when the
 * part starts and closed when it ends; so each part follows a body still arriving like a {@link BodySlice}
 * does. Meant for stored (retained, spilled or disk) bodies: a pass-through {@link GrowingBody} releases
 * what its readers have passed, so a part that starts behind an earlier one could find its bytes gone.
 */
public final class MultipartBody implements Body {
    /** The segments in order: head 0, part 0, head 1, part 1, ..., closing. */
    private final List<Body> segments;
    private final long length;

    private MultipartBody(List<Body> segments) {
        this.segments = List.copyOf(segments);
        long total = 0;
        for (Body s : this.segments) {
            total += s.length();
        }
        this.length = total;
    }

    /** The payload framed by {@code framing}, its parts cut from {@code whole}. */
    public static MultipartBody of(MultipartByteranges framing, Body whole) {
        requireNonNull(framing, "framing is null");
        requireNonNull(whole, "whole is null");
        List<Body> segments = new ArrayList<>(2 * framing.partCount() + 1);
        for (int i = 0; i < framing.partCount(); i++) {
            segments.add(bytes(framing.partHead(i)));
            segments.add(BodySlice.of(whole, framing.ranges().get(i)));
        }
        segments.add(bytes(framing.closing()));
        MultipartBody body = new MultipartBody(segments);
        if (body.length != framing.contentLength()) {
            throw new IllegalStateException("multipart body of " + body.length + " bytes, framing says " + framing.contentLength());
        }
        return body;
    }

    private static Body bytes(byte[] b) {
        return new ChunkedBody(new byte[][] {b}, b.length);
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
        int index = 0;
        long offset = Math.min(from, length);
        while (index < segments.size() && offset >= segments.get(index).length()) {
            offset -= segments.get(index).length();
            index++;
        }
        return new Reader(index, offset);
    }

    /** Reads the segments in turn; {@code current} reads segment {@code index}, opened on first use. */
    private final class Reader implements BodyReader {
        private int index;
        private long offset;
        private @Nullable BodyReader current;
        /** Bytes handed out so far. */
        private long returned;

        Reader(int index, long offset) {
            this.index = index;
            this.offset = offset;
        }

        @Override
        public @Nullable ByteBuffer next() {
            while (index < segments.size()) {
                BodyReader r = current;
                if (r == null) {
                    r = segments.get(index).reader(offset);
                    current = r;
                    offset = 0;
                }
                ByteBuffer b = r.next();
                if (b != null) {
                    returned += b.remaining();
                    return b;
                }
                if (!r.isFinished()) {
                    return null; // waiting, or failed
                }
                r.close();
                current = null;
                index++;
            }
            return null;
        }

        @Override
        public boolean isFinished() {
            return index == segments.size();
        }

        @Override
        public @Nullable Throwable failure() {
            BodyReader r = current;
            return r == null ? null : r.failure();
        }

        @Override
        public void demand(Runnable wakeup) {
            BodyReader r = current;
            if (r == null) {
                wakeup.run();
            } else {
                r.demand(wakeup);
            }
        }

        @Override
        public long position() {
            return returned;
        }

        @Override
        public void close() {
            BodyReader r = current;
            if (r != null) {
                current = null;
                r.close();
            }
            index = segments.size() + 1; // closed: nothing more, not finished
        }
    }
}
