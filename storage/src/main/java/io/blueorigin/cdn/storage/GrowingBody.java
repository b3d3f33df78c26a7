package io.blueorigin.cdn.storage;

import java.nio.ByteBuffer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A body that is still arriving: one writer appends, any number of readers follow it and read what has
 * arrived so far (read-while-writer), each at its own pace.
 *
 * <h2>Design</h2>
 * Bytes are copied into chunks of at most {@code chunkSize} bytes ({@code byte[]}, the last one grown by
 * doubling while the length is unknown). {@code committed} counts the bytes readers may see. The writer
 * fills chunk bytes, then publishes the chunk table, then {@code committed} (a volatile write), so a reader
 * that reads {@code committed} first sees everything below it.
 *
 * <p>Two modes:
 * <ul>
 *   <li><b>retain</b> (the body is being stored): every chunk is kept; the writer never waits; a reader
 *       may start at any time from any offset;</li>
 *   <li><b>pass-through</b> (not stored): chunks every reader has passed are released, and the writer is
 *       told to pause ({@link #isBacklogged()}, {@link #whenDrained}) while the slowest reader is more than
 *       {@code highWater} bytes behind, so a large object flows through in bounded memory at the client's
 *       speed. Readers must start before the first chunk is released.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Writer methods ({@link #write}, {@link #complete}, {@link #fail}) are called by one thread at a time.
 * Readers are thread-confined to their delivery. Wake-ups run on the thread that caused them (the writer's
 * for new bytes, a reader's for drained backlog). Chunk table growth and chunk release hold {@code this}.
 */
public final class GrowingBody implements Body {
    private static final int INITIAL_CHUNK = 16 * 1024;

    private final int chunkSize;
    private final long announcedLength;
    /** True while the body is being stored; may turn false once (see {@link #passThrough()}). */
    private volatile boolean retain;
    private final long highWater;
    private final long lowWater;

    /** Chunk table; replaced (not resized in place) when it grows. Guarded by this for writes. */
    private volatile byte[] @Nullable [] table = new byte[8][];
    /** Bytes readers may read. Single writer. */
    private volatile long committed;
    /** Bytes written; ahead of {@code committed} only while the final bytes are held back. Writer only. */
    private long written;
    /** Chunks below this index have been released (pass-through only). */
    private volatile int released;
    private volatile boolean complete;
    private volatile @Nullable Throwable failure;

    private final CopyOnWriteArrayList<Reader> readers = new CopyOnWriteArrayList<>();
    private final AtomicReference<@Nullable Runnable> drained = new AtomicReference<>();

    /**
     * @param chunkSize largest chunk, e.g. 256 KiB
     * @param announcedLength the length announced by {@code Content-Length}, or -1
     * @param retain keep every byte (the body is being stored) rather than pass it through
     * @param highWater pass-through: the writer pauses while the slowest reader is this many bytes behind
     */
    public GrowingBody(int chunkSize, long announcedLength, boolean retain, long highWater) {
        if (chunkSize < 1024) {
            throw new IllegalArgumentException("chunkSize : " + chunkSize + " (expected: >= 1024)");
        }
        this.chunkSize = chunkSize;
        this.announcedLength = announcedLength;
        this.retain = retain;
        this.highWater = Math.max(highWater, chunkSize);
        this.lowWater = this.highWater / 2;
    }

    // ------------------------------------------------------------------ writer side

    /**
     * Appends {@code data} (copied; the caller may reuse its buffer at once) and wakes readers.
     *
     * <p>A retained body of announced length holds back its final bytes until {@link #complete}: a client
     * knows a {@code Content-Length} response is whole once the last byte arrives, so the object must be in
     * the store by then (the store commits before completing the body).
     */
    public void write(ByteBuffer data) {
        if (complete || failure != null) {
            throw new IllegalStateException("body already " + (complete ? "complete" : "failed"));
        }
        long position = written;
        while (data.hasRemaining()) {
            int index = (int) (position / chunkSize);
            int offset = (int) (position % chunkSize);
            byte[] chunk = chunkFor(index, offset, data.remaining(), position);
            int n = Math.min(data.remaining(), chunk.length - offset);
            data.get(chunk, offset, n);
            position += n;
        }
        written = position;
        if (retain && announcedLength >= 0 && position >= announcedLength) {
            return; // the final bytes: published by complete()
        }
        committed = position;
        signal();
    }

    /** The chunk to write at {@code offset} of chunk {@code index}, allocating or growing it as needed. */
    private byte[] chunkFor(int index, int offset, int incoming, long position) {
        byte[][] t = table;
        byte[] chunk = index < t.length ? t[index] : null;
        if (chunk != null && offset < chunk.length) {
            return chunk;
        }
        int capacity;
        if (announcedLength >= 0) {
            long remainingInChunk = Math.min(chunkSize, announcedLength - (long) index * chunkSize);
            capacity = (int) Math.max(Math.max(remainingInChunk, offset + incoming), 1);
            capacity = Math.min(capacity, chunkSize);
        } else {
            capacity = Math.max(INITIAL_CHUNK, chunk == null ? 0 : chunk.length * 2);
            while (capacity < offset + Math.min(incoming, chunkSize - offset)) {
                capacity *= 2;
            }
            capacity = Math.min(capacity, chunkSize);
        }
        byte[] grown = new byte[capacity];
        if (chunk != null) {
            System.arraycopy(chunk, 0, grown, 0, offset);
        }
        synchronized (this) {
            t = table;
            if (index >= t.length) {
                byte[][] bigger = new byte[Math.max(t.length * 2, index + 1)][];
                System.arraycopy(t, 0, bigger, 0, t.length);
                t = bigger;
            }
            t[index] = grown;
            table = t; // publish (volatile); committed is written after the bytes
        }
        return grown;
    }

    /** No more bytes: readers finish once they have read everything. */
    public void complete() {
        committed = written;
        complete = true;
        signal();
    }

    /** The body will never complete: readers see {@code cause}. */
    public void fail(Throwable cause) {
        failure = cause;
        signal();
    }

    /**
     * Switches a retained body to pass-through (it will not be stored after all): from now on chunks every
     * reader has passed are released and the writer is paced by the slowest reader. Readers keep reading.
     */
    public void passThrough() {
        retain = false;
        committed = written;
        signal();
        readerAdvanced();
    }

    /** Pass-through only: whether the writer should stop reading upstream until {@link #whenDrained}. */
    public boolean isBacklogged() {
        return !retain && committed - slowestReader() > highWater;
    }

    /** Runs {@code resume} once the backlog has fallen below half the high-water mark (at once if it has). */
    public void whenDrained(Runnable resume) {
        drained.set(resume);
        if (!isBacklogged() || readers.isEmpty()) {
            Runnable r = drained.getAndSet(null);
            if (r != null) {
                r.run();
            }
        }
    }

    /** How many readers are open: in pass-through, none left means nobody wants the bytes. */
    public int readerCount() {
        return readers.size();
    }

    /** Bytes written so far (readers may not see the last ones before {@link #complete}). */
    public long committed() {
        return written;
    }

    public boolean isComplete() {
        return complete;
    }

    public @Nullable Throwable failure() {
        return failure;
    }

    public boolean retains() {
        return retain;
    }

    public int chunkSize() {
        return chunkSize;
    }

    /**
     * The body's chunks, trimmed to their exact sizes, once the writer has written its last byte (retain
     * mode; called by the writer before or after {@link #complete}). The arrays are shared with readers of
     * this body, who only read them.
     */
    public byte[][] chunks() {
        if (!retain) {
            throw new IllegalStateException("chunks() needs a retained body");
        }
        long length = written;
        int count = (int) ((length + chunkSize - 1) / chunkSize);
        byte[][] t = table;
        byte[][] out = new byte[count][];
        for (int i = 0; i < count; i++) {
            int size = (int) Math.min(chunkSize, length - (long) i * chunkSize);
            byte[] chunk = t[i];
            out[i] = chunk.length == size ? chunk : java.util.Arrays.copyOf(chunk, size);
        }
        return out;
    }

    private void signal() {
        for (Reader r : readers) {
            r.wake();
        }
    }

    private long slowestReader() {
        long min = committed;
        for (Reader r : readers) {
            min = Math.min(min, r.absolutePosition);
        }
        return min;
    }

    /** Pass-through: drops chunks every reader is past, and resumes a paused writer. */
    private void readerAdvanced() {
        if (retain) {
            return;
        }
        long slowest = slowestReader();
        int releasable = (int) (slowest / chunkSize);
        if (releasable > released) {
            synchronized (this) {
                byte[][] t = table;
                for (int i = released; i < releasable && i < t.length; i++) {
                    t[i] = null;
                }
                released = Math.max(released, releasable);
            }
        }
        if (drained.get() != null && committed - slowest <= lowWater) {
            Runnable r = drained.getAndSet(null);
            if (r != null) {
                r.run();
            }
        }
    }

    // ------------------------------------------------------------------ reader side

    @Override
    public long length() {
        return complete ? committed : announcedLength;
    }

    @Override
    public BodyReader reader(long from) {
        if (from < 0) {
            throw new IllegalArgumentException("from : " + from + " (expected: >= 0)");
        }
        Reader reader = new Reader(from);
        readers.add(reader);
        if (!retain && (long) released * chunkSize > from) {
            readers.remove(reader);
            reader.failure = new IllegalStateException("pass-through body already released past byte " + from);
        }
        return reader;
    }

    private final class Reader implements BodyReader {
        /** Absolute byte offset of the next byte to return; written by the reader, read by the writer. */
        private volatile long absolutePosition;
        private final long start;
        private final AtomicReference<@Nullable Runnable> wakeup = new AtomicReference<>();
        private @Nullable Throwable failure;
        private boolean closed;

        Reader(long from) {
            this.start = from;
            this.absolutePosition = from;
        }

        @Override
        public @Nullable ByteBuffer next() {
            if (closed || failure != null) {
                return null;
            }
            long available = committed;
            long pos = absolutePosition;
            if (pos >= available) {
                return null;
            }
            int index = (int) (pos / chunkSize);
            int offset = (int) (pos % chunkSize);
            long chunkEnd = Math.min(available, (long) (index + 1) * chunkSize);
            int length = (int) (chunkEnd - pos);
            byte[] chunk = table[index];
            if (chunk == null) {
                failure = new IllegalStateException("chunk " + index + " was released");
                return null;
            }
            ByteBuffer out = ByteBuffer.wrap(chunk, offset, length).asReadOnlyBuffer();
            absolutePosition = pos + length;
            readerAdvanced();
            return out;
        }

        @Override
        public boolean isFinished() {
            return complete && absolutePosition >= committed;
        }

        @Override
        public @Nullable Throwable failure() {
            return failure != null ? failure : GrowingBody.this.failure;
        }

        @Override
        public void demand(Runnable r) {
            wakeup.set(r);
            // re-check after registering, so a write that raced with registration is not missed
            if (absolutePosition < committed || complete || GrowingBody.this.failure != null || closed) {
                wake();
            }
        }

        void wake() {
            Runnable r = wakeup.getAndSet(null);
            if (r != null) {
                r.run();
            }
        }

        @Override
        public long position() {
            return absolutePosition - start;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                readers.remove(this);
                readerAdvanced();
            }
        }
    }
}
