package io.blueorigin.cdn.storage;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
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
 *       and released from memory as soon as it is persisted, except the newest persisted one while a reader
 *       still needs it (readers that follow closely read it from memory); a reader behind reads chunks back
 *       from the sink. The writer never waits; the body holds at most two chunks;</li>
 *   <li><b>pass-through</b> (not stored): chunks every reader has passed are released, and the writer is
 *       told to pause ({@link #isBacklogged()}, {@link #whenDrained}) while the slowest reader is more than
 *       {@code highWater} bytes behind, so a large object flows through in bounded memory at the client's
 *       speed. Readers must start before the first chunk is released.</li>
 * </ul>
 *
 * <h2>Memory budget</h2>
 * Every chunk byte this body holds is reserved in the process's {@link MemoryBudget}, and given back when
 * the chunk is released; {@code heldBytes} (guarded by {@code this}) is always the sum of the chunks in the
 * table that are still counted, so the body's share of the budget is exactly {@code heldBytes}. The paths:
 * allocation and growth reserve (in {@link #chunkFor}); {@link #trim()} releases what no reader needs (a
 * passed pass-through chunk, a persisted spilled chunk, everything once the body ended and every reader
 * finished, everything at once when the body failed); {@link #handOverToStore()} gives the whole share up
 * when the store commits the chunks to the heap tier, whose own budget counts them from then on. Chunks a
 * reader reads back from the sink are reserved while that reader holds them. While the budget is exhausted,
 * a pass-through writer holding more than one chunk is paused until there is room, and a spilling body keeps
 * no persisted chunk; the store reacts for retained bodies (see {@code TieredStore}). A body may always take
 * one chunk, so it always makes progress.
 *
 * <h2>Threading</h2>
 * Writer methods ({@link #write}, {@link #complete}, {@link #fail}, {@link #passThrough},
 * {@link #startSpilling}, {@link #handOverToStore}) are called by one thread at a time. Readers are
 * thread-confined to their delivery. Wake-ups run on the thread that caused them (the writer's for new
 * bytes, a reader's for drained backlog, a releasing body's for budget room). Chunk table growth, chunk
 * release and {@code heldBytes} hold {@code this}; the budget is never called while holding it.
 */
public final class GrowingBody implements Body {
    private static final int INITIAL_CHUNK = 16 * 1024;

    private final int chunkSize;
    private final long announcedLength;
    private final MemoryBudget budget;
    /** True while the body is being stored; may turn false once (see {@link #passThrough()}). */
    private volatile boolean retain;
    /** Spill mode: where full chunks go; null otherwise (or after a spill failure). Writer only. */
    private volatile @Nullable ChunkSink sink;
    /** Runs once the body ended and its last reader closed (the store deletes an uncommitted object's chunks then). */
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
    /** Chunks below this index have been released. */
    private volatile int released;
    /** Bytes of the chunks in {@link #table} reserved in {@link #budget}; written under this. */
    private volatile long heldBytes;
    /** The store took the chunks over (heap tier): nothing is counted or released here any more. Under this. */
    private boolean handedOver;
    private volatile boolean complete;
    private volatile @Nullable Throwable failure;

    private final CopyOnWriteArrayList<Reader> readers = new CopyOnWriteArrayList<>();
    private final AtomicReference<@Nullable Runnable> drained = new AtomicReference<>();

    private GrowingBody(int chunkSize, long announcedLength, boolean retain, long highWater, @Nullable ChunkSink sink,
            MemoryBudget budget) {
        if (chunkSize < 1024) {
            throw new IllegalArgumentException("chunkSize : " + chunkSize + " (expected: >= 1024)");
        }
        this.budget = requireNonNull(budget, "budget is null");
        this.sink = sink;
        this.sinkForReaders = sink;
        this.chunkSize = chunkSize;
        this.announcedLength = announcedLength;
        this.retain = retain;
        this.highWater = Math.max(highWater, chunkSize);
        this.lowWater = this.highWater / 2;
    }

    /**
     * A body being stored in memory (every chunk kept until the store takes them or it turns into another mode).
     *
     * @param chunkSize largest chunk, e.g. 256 KiB
     * @param announcedLength the length announced by {@code Content-Length}, or -1
     */
    public static GrowingBody retained(int chunkSize, long announcedLength, MemoryBudget budget) {
        return new GrowingBody(chunkSize, announcedLength, true, 0, null, budget);
    }

    /**
     * A body that is not stored: it flows to its readers, the writer paced by the slowest one and by the budget.
     *
     * @param highWater the writer pauses while the slowest reader is this many bytes behind
     */
    public static GrowingBody passingThrough(int chunkSize, long announcedLength, long highWater, MemoryBudget budget) {
        return new GrowingBody(chunkSize, announcedLength, false, highWater, null, budget);
    }

    /** A body stored on disk as it arrives: full chunks go to {@code sink}; see the class comment. */
    public static GrowingBody spilling(int chunkSize, long announcedLength, ChunkSink sink, MemoryBudget budget) {
        return new GrowingBody(chunkSize, announcedLength, true, 0, requireNonNull(sink, "sink is null"), budget);
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
            byte[] chunk = chunkFor(index, offset, data.remaining());
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

    /** Spill mode: persists every chunk that is full (and, at the end, the last one), then releases what it may. */
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
                s.persist(i, requireNonNull(table[i], "a chunk to persist was released"), length);
                persisted = i + 1;
            }
        } catch (RuntimeException e) {
            // the disk refused: stop spilling, keep what is in memory, pace the writer by its readers
            sink = null;
            spillFailure = e;
            passThrough();
            return;
        }
        trim();
    }

    /** Why spilling stopped, if it did (the store then does not commit the object). */
    private volatile @Nullable RuntimeException spillFailure;

    public @Nullable RuntimeException spillFailure() {
        return spillFailure;
    }

    /** The chunk to write at {@code offset} of chunk {@code index}, allocating or growing it (reserved in the budget). */
    private byte[] chunkFor(int index, int offset, int incoming) {
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
        long delta = capacity - (chunk == null ? 0 : chunk.length);
        budget.reserve(delta); // before it is visible in heldBytes, so a concurrent release never goes below zero
        synchronized (this) {
            t = table;
            if (index >= t.length) {
                byte[][] bigger = new byte[Math.max(t.length * 2, index + 1)][];
                System.arraycopy(t, 0, bigger, 0, t.length);
                t = bigger;
            }
            t[index] = grown;
            table = t; // publish (volatile); committed is written after the bytes
            if (handedOver) {
                budget.release(delta); // not reached (no write follows a hand-over); keeps the invariant anyway
            } else {
                heldBytes += delta;
            }
        }
        return grown;
    }

    /**
     * Switches a retained in-memory body to spill mode (it turned out too large for memory, or memory is
     * short): the chunks written so far and every later full chunk go to {@code newSink}. Writer thread only.
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

    /**
     * Runs {@code action} once the body has ended (completed or failed) and no reader is open any more (at
     * once if that is so already): the store deletes the chunks of an object it did not commit then, when no
     * reader behind can still need to read them back.
     */
    public void whenDone(Runnable action) {
        onDone.set(action);
        runOnDoneIfIdle();
    }

    private void runOnDoneIfIdle() {
        if ((complete || failure != null) && readers.isEmpty()) {
            Runnable r = onDone.getAndSet(null);
            if (r != null) {
                r.run();
            }
        }
    }

    /**
     * The writer has written everything: in spill mode the last chunk is persisted now. Call before
     * committing the object to the store, then {@link #complete()}.
     */
    public void finishWriting() {
        spillFullChunks(true);
    }

    /**
     * The store committed this body's chunks to the heap tier ({@link #chunks()}), which counts them in its
     * own budget from now on: this body's share of the in-flight budget is given back. Writer thread, once,
     * before {@link #complete()}; readers keep reading the same arrays.
     */
    public void handOverToStore() {
        if (!retain || sink != null) {
            throw new IllegalStateException("only a retained in-memory body is handed over to the heap tier");
        }
        long freed;
        synchronized (this) {
            if (handedOver) {
                return;
            }
            handedOver = true;
            freed = heldBytes;
            heldBytes = 0;
        }
        budget.release(freed);
    }

    /** No more bytes: readers finish once they have read everything. */
    public void complete() {
        spillFullChunks(true);
        committed = written;
        complete = true;
        signal();
        trim();
        runOnDoneIfIdle();
    }

    /** The body will never complete: readers see {@code cause}; every chunk is released at once. */
    public void fail(Throwable cause) {
        failure = cause;
        signal();
        trim();
        runOnDoneIfIdle();
    }

    /**
     * Switches a retained (or spilling) body to pass-through (it will not be stored after all): from now on
     * chunks every reader has passed are released and the writer is paced by the slowest reader and the
     * budget. Nothing more is spilled; what was persisted stays readable. Readers keep reading.
     */
    public void passThrough() {
        retain = false;
        sink = null;
        committed = written;
        signal();
        trim();
    }

    /**
     * Pass-through only: whether the writer should stop reading upstream until {@link #whenDrained}: the
     * slowest reader is more than the high-water mark behind, or the budget is exhausted and this body holds
     * more than one chunk.
     */
    public boolean isBacklogged() {
        return !retain && (committed - slowestReader() > highWater || budgetBound());
    }

    /** The budget is exhausted and this body holds more than the one chunk it may always hold. */
    private boolean budgetBound() {
        return budget.isExhausted() && heldBytes > chunkSize;
    }

    /**
     * Runs {@code resume} once the backlog has fallen below half the high-water mark and the budget has room
     * (or this body holds at most one chunk); at once if that is so, or if no reader is left.
     */
    public void whenDrained(Runnable resume) {
        drained.set(resume);
        if (readers.isEmpty() || !isBacklogged()) {
            runDrained();
        } else if (budgetBound()) {
            budget.whenAvailable(this::checkDrained);
        }
    }

    /** Resumes a paused writer if nothing holds it back any more; waits for budget room if only that does. */
    private void checkDrained() {
        if (retain || drained.get() == null) {
            return;
        }
        boolean noReader = readers.isEmpty();
        boolean readerBehind = committed - slowestReader() > lowWater;
        if (noReader || (!readerBehind && !budgetBound())) {
            runDrained();
        } else if (!readerBehind) {
            budget.whenAvailable(this::checkDrained);
        }
    }

    private void runDrained() {
        Runnable r = drained.getAndSet(null);
        if (r != null) {
            r.run();
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

    /** Bytes of chunks this body holds in its share of the budget (0 once handed over, released, or at rest). */
    public long heldBytes() {
        return heldBytes;
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
        if (!retain || sink != null) {
            throw new IllegalStateException("chunks() needs a retained in-memory body");
        }
        long length = written;
        int count = (int) ((length + chunkSize - 1) / chunkSize);
        byte[][] t = table;
        byte[][] out = new byte[count][];
        for (int i = 0; i < count; i++) {
            int size = (int) Math.min(chunkSize, length - (long) i * chunkSize);
            byte[] chunk = requireNonNull(t[i], "chunk of a retained body released");
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
     * Releases the chunks no reader needs from memory (and from the budget), then resumes a paused
     * pass-through writer if it may go on. Which chunks: all of them once the body failed, or once it is
     * complete and every reader has read everything; else in pass-through those every reader is past; in
     * spill mode every persisted one but the newest, which is kept while a reader still needs it and the
     * budget has room; in retain mode none.
     */
    private void trim() {
        long slowest = slowestReader();
        boolean inMemory = retain && sink == null && persisted == 0;
        int upTo;
        if (failure != null) {
            upTo = Integer.MAX_VALUE;
        } else if (inMemory) {
            upTo = 0; // kept for the store, which hands it over, turns it pass-through, or fails it
        } else if (complete && slowest >= committed) {
            upTo = Integer.MAX_VALUE;
        } else if (!retain) {
            upTo = (int) (slowest / chunkSize);
        } else {
            int p = persisted;
            upTo = budget.isExhausted() ? p : Math.min(p, Math.max((int) (slowest / chunkSize), p - 1));
        }
        long freed = 0;
        if (upTo > released) {
            synchronized (this) {
                if (!handedOver) {
                    byte[][] t = table;
                    int end = Math.min(upTo, t.length);
                    for (int i = released; i < end; i++) {
                        byte[] chunk = t[i];
                        if (chunk != null) {
                            freed += chunk.length;
                            t[i] = null;
                        }
                    }
                    heldBytes -= freed;
                    released = Math.max(released, end);
                }
            }
        }
        if (freed > 0) {
            budget.release(freed);
        }
        checkDrained();
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
        int readableFromSink = sinkForReaders != null ? persisted : 0;
        if (released > Math.max(readableFromSink, (int) (from / chunkSize))) {
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
        /**
         * Bytes read back from the sink that this reader holds in the budget: the chunk fetched and not yet
         * returned, and the one returned last (its caller is writing it until it calls {@link #next()} again).
         * Added by the read's callback, given back by the reader.
         */
        private final AtomicLong readBack = new AtomicLong();
        /** Of {@link #readBack}, the bytes of the chunk returned last. Reader only. */
        private long returned;
        private final long start;
        private final AtomicReference<@Nullable Runnable> wakeup = new AtomicReference<>();
        private @Nullable Throwable failure;
        private volatile boolean closed;

        Reader(long from) {
            this.start = from;
            this.absolutePosition = from;
        }

        @Override
        public @Nullable ByteBuffer next() {
            if (closed || failure != null || GrowingBody.this.failure != null) {
                return null;
            }
            giveBackReturned();
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
                returned = fetched.remaining();
                ByteBuffer out = fetched.position(offset).limit((int) (chunkEnd - (long) index * chunkSize));
                absolutePosition = chunkEnd;
                trim();
                return out.slice().asReadOnlyBuffer();
            }
            byte[][] t = table;
            byte[] chunk = index < t.length ? t[index] : null;
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
            trim();
            return out;
        }

        private void giveBackReturned() {
            if (returned > 0) {
                readBack.addAndGet(-returned);
                budget.release(returned);
                returned = 0;
            }
        }

        /** Reads a released chunk back from the sink; the waiting demand is woken when it arrives. */
        private void fetch(ChunkSink s, int index) {
            if (fetching) {
                return;
            }
            fetching = true;
            s.read(index, (buffer, error) -> {
                if (buffer != null) {
                    int n = buffer.remaining();
                    budget.reserve(n);
                    readBack.addAndGet(n);
                    if (closed) {
                        budget.release(readBack.getAndSet(0)); // closed meanwhile: nobody will return it
                    } else {
                        fetchedIndex = index;
                        fetched = buffer;
                    }
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
                fetched = null;
                returned = 0;
                long held = readBack.getAndSet(0);
                if (held > 0) {
                    budget.release(held);
                }
                readers.remove(this);
                trim();
                runOnDoneIfIdle();
            }
        }
    }
}
