package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.storage.Body;
import io.blueorigin.cdn.storage.BodyReader;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * A representation of {@code total} bytes read from its slices one after another (docs/ranges.md): a reader asks its
 * {@link Source} for a slice only when it reaches the slice's first byte, so a range reads only the slices it covers,
 * and a reader holds at most one slice at a time (the one it is in; bounded memory whatever the object's size).
 *
 * <p>Invariants: each slice body is exactly its slice's bytes (the source checked its {@code Content-Range});
 * a reader hands out bytes in order, never past {@code total}; a slice the source cannot give fails the reader (the
 * delivery then aborts the response: a body promised whole is never cut short silently).
 */
final class SlicedBody implements Body {

    /** Gives slice bodies by index. */
    interface Source {
        /** The body of slice {@code index} (its bytes only), possibly still arriving; failed when it cannot be had. */
        CompletableFuture<Body> slice(long index);
    }

    private final long total;
    private final long size;
    private final Source source;

    SlicedBody(long total, long size, Source source) {
        if (total < 0 || size < 1) {
            throw new IllegalArgumentException("sliced body : " + total + " bytes in slices of " + size);
        }
        this.total = total;
        this.size = size;
        this.source = requireNonNull(source, "source is null");
    }

    @Override
    public long length() {
        return total;
    }

    @Override
    public BodyReader reader(long from) {
        if (from < 0) {
            throw new IllegalArgumentException("from : " + from + " (expected: >= 0)");
        }
        return new Reader(Math.min(from, total));
    }

    /** One reader's walk over the slices. Not thread-safe (one delivery owns it, as {@link BodyReader} says). */
    private final class Reader implements BodyReader {
        private final long start;
        /** The offset of the next byte to hand out. */
        private long position;
        /** The slice {@link #position} is in, while it is asked for or read; null between slices. */
        private @Nullable CompletableFuture<Body> current;
        private @Nullable BodyReader inner;
        /** The end (exclusive) of the slice being read. */
        private long sliceEnd;
        private @Nullable Throwable failure;
        private boolean closed;

        Reader(long start) {
            this.start = start;
            this.position = start;
        }

        @Override
        public @Nullable ByteBuffer next() {
            while (!closed && failure == null && position < total) {
                if (inner != null && position == sliceEnd) {
                    inner.close(); // its last buffer has been written by now: let the slice go
                    inner = null;
                    current = null;
                }
                if (inner == null) {
                    if (current == null) {
                        long index = position / size;
                        sliceEnd = Math.min(total, (index + 1) * size);
                        current = source.slice(index);
                    }
                    if (!current.isDone()) {
                        return null;
                    }
                    Body body;
                    try {
                        body = current.join();
                    } catch (CompletionException | java.util.concurrent.CancellationException e) {
                        failure = e.getCause() == null ? e : e.getCause();
                        return null;
                    }
                    long sliceStart = (position / size) * size;
                    inner = body.reader(position - sliceStart, sliceEnd - sliceStart);
                }
                ByteBuffer b = inner.next();
                if (b == null) {
                    if (inner.failure() != null) {
                        failure = inner.failure();
                    } else if (inner.isFinished()) {
                        failure = new IllegalStateException("slice ended " + (sliceEnd - position) + " bytes early");
                    }
                    return null;
                }
                if (b.remaining() > sliceEnd - position) {
                    b.limit(b.position() + (int) (sliceEnd - position));
                }
                position += b.remaining();
                if (b.hasRemaining()) {
                    return b;
                }
            }
            if (position >= total && inner != null) {
                inner.close();
                inner = null;
            }
            return null;
        }

        @Override
        public boolean isFinished() {
            return position >= total && failure == null;
        }

        @Override
        public @Nullable Throwable failure() {
            return failure;
        }

        @Override
        public void demand(Runnable wakeup) {
            BodyReader in = inner;
            CompletableFuture<Body> pending = current;
            if (closed || failure != null || position >= total) {
                wakeup.run();
            } else if (in != null && position < sliceEnd) {
                in.demand(wakeup);
            } else if (in == null && pending != null && !pending.isDone()) {
                pending.whenComplete((b, e) -> wakeup.run());
            } else {
                wakeup.run();
            }
        }

        @Override
        public long position() {
            return position - start;
        }

        @Override
        public void close() {
            closed = true;
            if (inner != null) {
                inner.close();
                inner = null;
            }
        }
    }
}
