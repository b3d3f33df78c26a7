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
 * <p>Three modes:
 * <ul>
 *   <li><b>retain</b> (the body is being stored in memory): every chunk is kept; the writer never waits; a
 *       reader may start at any time from any offset;</li>
 *   <li><b>spill</b> (the body is being stored on disk): each full chunk is handed to a {@link ChunkSink}
 *       and released from memory once every reader is past it; a reader behind reads it back from the
 *       sink; the writer never waits, memory stays about one chunk per reader;</li>
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
    /** Spill mode: where full chunks go; null otherwise (or after a spill failure). Writer only. */
    private @Nullable ChunkSink sink;
    /** Runs once when the body completes or fails (the store deletes an abandoned object's chunks then). */
    private final AtomicReference<@Nullable Runnable> onDone = new AtomicReference<>();
    /** Chunks below this index are persisted in {@link #sink}. */
    private volatile int persisted;
    /** The sink readers read released chunks back from (kept after spilling stops: what was persisted stays readable). */
    private volatile @Nullable ChunkSink sinkForReaders;
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
        this(chunkSize, announcedLength, retain, highWater, null);
    }

    /** A body stored on disk as it arrives: full chunks go to {@code sink}; see the class comment. */
    public static GrowingBody spilling(int chunkSize, long announcedLength, ChunkSink sink) {
        return new GrowingBody(chunkSize, announcedLength, true, 0, sink);
    }

    private GrowingBody(int chunkSize, long announcedLength, boolean retain, long highWater, @Nullable ChunkSink sink) {
        this.sink = sink;
        this.sinkForReaders = sink;
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
        spillFullChunks(false);
        if (retain && announcedLength >= 0 && position >= announcedLength) {
            return; // the final bytes: published by complete()
        }
        committed = position;
        signal();
    }

    /** Spill mode: persists every chunk that is full (and, at the end, the last one), then releases what readers passed. */
    private void spillFullChunks(boolean last) {
        ChunkSink s = sink;
        if (s == null) {
            return;
        }
        int full = (int) (written / chunkSize);
        int upTo = last && written % chunkSize != 0 ? full + 1 : full;
        try {
            for (int i = persisted; i < upTo; i++) {
                int length = (int) Math.min(chunkSize, written - (long) i * chunkSize);
                s.persist(i, table[i], length);
                persisted = i + 1;
            }
        } catch (RuntimeException e) {
            // the disk refused: stop spilling, keep what is in memory, pace the writer by its readers
            sink = null;
            spillFailure = e;
            passThrough();
            return;
        }
        readerAdvanced();
    }

    /** Why spilling stopped, if it did (the store then does not commit the object). */
    private volatile @Nullable RuntimeException spillFailure;

    public @Nullable RuntimeException spillFailure() {
        return spillFailure;
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

    /**
     * Switches a retained in-memory body to spill mode (it turned out too large for memory): the chunks
     * written so far and every later full chunk go to {@code newSink}. Writer thread only.
     */
    public void startSpilling(ChunkSink newSink) {
        if (!retain || sink != null) {
            throw new IllegalStateException("startSpilling needs a retained, not yet spilling body");
        }
        sinkForReaders = newSink;
        sink = newSink;
        spillFullChunks(false);
    }

    public boolean isSpilling() {
        return sink != null;
    }

    /** Runs {@code action} once, when the body completes or fails (at once if it already has). */
    public void whenDone(Runnable action) {
        onDone.set(action);
        if (complete || failure != null) {
            runOnDone();
        }
    }

    private void runOnDone() {
        Runnable r = onDone.getAndSet(null);
        if (r != null) {
            r.run();
        }
    }

    /**
     * The writer has written everything: in spill mode the last chunk is persisted now. Call before
     * committing the object to the store, then {@link #complete()}.
     */
    public void finishWriting() {
        spillFullChunks(true);
    }

    /** No more bytes: readers finish once they have read everything. */
    public void complete() {
        spillFullChunks(true);
        committed = written;
        complete = true;
        signal();
        runOnDone();
    }

    /** The body will never complete: readers see {@code cause}. */
    public void fail(Throwable cause) {
        failure = cause;
        signal();
        runOnDone();
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

    /**
     * Drops chunks no reader needs from memory: in pass-through, those every reader is past; in spill mode,
     * those every reader is past and that are persisted (a later reader reads them back). Resumes a paused
     * pass-through writer.
     */
    private void readerAdvanced() {
        if (retain && sink == null) {
            return;
        }
        long slowest = slowestReader();
        int releasable = (int) (slowest / chunkSize);
        if (retain) {
            releasable = Math.min(releasable, persisted);
        }
        if (releasable > released) {
            synchronized (this) {
                byte[][] t = table;
                for (int i = released; i < releasable && i < t.length; i++) {
                    t[i] = null;
                }
                released = Math.max(released, releasable);
            }
        }
        if (!retain && drained.get() != null && committed - slowest <= lowWater) {
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
        if (!retain && sink == null && (long) released * chunkSize > from) {
            readers.remove(reader);
            reader.failure = new IllegalStateException("pass-through body already released past byte " + from);
        }
        return reader;
    }

    private final class Reader implements BodyReader {
        /** Absolute byte offset of the next byte to return; written by the reader, read by the writer. */
        private volatile long absolutePosition;
        /** A released chunk read back from the sink, and which one; handed over by the read's callback. */
        private volatile @Nullable ByteBuffer fetched;
        private volatile int fetchedIndex = -1;
        /** A read from the sink is under way (reset by its callback). */
        private volatile boolean fetching;
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
            ByteBuffer fetched = this.fetched;
            if (fetched != null && fetchedIndex == index) {
                this.fetched = null;
                ByteBuffer out = fetched.position(offset).limit((int) (chunkEnd - (long) index * chunkSize));
                absolutePosition = chunkEnd;
                readerAdvanced();
                return out.slice().asReadOnlyBuffer();
            }
            byte[] chunk = table[index];
            if (chunk == null) {
                ChunkSink s = sinkForReaders;
                if (s != null && index < persisted) {
                    fetch(s, index);
                    return null;
                }
                failure = new IllegalStateException("chunk " + index + " was released");
                return null;
            }
            ByteBuffer out = ByteBuffer.wrap(chunk, offset, length).asReadOnlyBuffer();
            absolutePosition = pos + length;
            readerAdvanced();
            return out;
        }

        /** Reads a released chunk back from the sink; the waiting demand is woken when it arrives. */
        private void fetch(ChunkSink s, int index) {
            if (fetching) {
                return;
            }
            fetching = true;
            s.read(index, (buffer, error) -> {
                if (buffer != null) {
                    fetchedIndex = index;
                    fetched = buffer;
                } else {
                    failure = error != null ? error : new IllegalStateException("chunk " + index + " missing");
                }
                fetching = false;
                wake();
            });
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
            if (fetching) {
                return; // the sink read's callback wakes us
            }
            // re-check after registering, so a write that raced with registration is not missed
            if (absolutePosition < committed || complete || GrowingBody.this.failure != null || closed || failure != null) {
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
