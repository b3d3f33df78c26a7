package io.blueorigin.cdn.storage.rocks;

import io.blueorigin.cdn.storage.Body;
import io.blueorigin.cdn.storage.BodyReader;
import io.blueorigin.cdn.storage.MemoryBudget;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.rocksdb.RocksDBException;

/**
 * A stored body read from the disk tier chunk by chunk on the I/O executor, one chunk ahead of the client,
 * so an object of any size streams in constant memory and a range reads only the chunks it covers. A
 * chunk whose checksum fails ends the read with a failure and drops the object.
 *
 * <p>Memory: each chunk read is reserved in the process's {@link MemoryBudget} from its arrival until the
 * reader moves past it (the next {@link BodyReader#next()} after handing it out, or {@link BodyReader#close()}),
 * so a reader holds at most two: the one its client is being sent and the one read ahead. While the
 * budget is exhausted it does not read ahead (it reads the chunk it needs when it needs it).
 */
public final class DiskBody implements Body {
    private final RocksDiskTier tier;
    private final DiskEntry entry;
    private final MemoryBudget budget;
    private final Runnable onCorrupt;

    DiskBody(RocksDiskTier tier, DiskEntry entry, MemoryBudget budget, Runnable onCorrupt) {
        this.tier = tier;
        this.entry = entry;
        this.budget = budget;
        this.onCorrupt = onCorrupt;
    }

    @Override
    public long length() {
        return entry.bodyLength();
    }

    @Override
    public BodyReader reader(long from) {
        if (from < 0) {
            throw new IllegalArgumentException("from : " + from + " (expected: >= 0)");
        }
        return new Reader(Math.min(from, entry.bodyLength()), entry.bodyLength());
    }

    /** A reader that reads no chunk ahead past byte {@code end}, so a range reads only the chunks it covers. */
    @Override
    public BodyReader reader(long from, long end) {
        if (from < 0 || end < from) {
            throw new IllegalArgumentException("from, end : " + from + ", " + end + " (expected: 0 <= from <= end)");
        }
        return new Reader(Math.min(from, entry.bodyLength()), Math.min(end, entry.bodyLength()));
    }

    /** A chunk read: bytes (positioned at the chunk's start) or a failure. */
    private record Loaded(int index, @Nullable ByteBuffer bytes, @Nullable Throwable failure) {}

    private final class Reader implements BodyReader {
        private final long start;
        /** Chunks are read ahead only while the next one starts before this byte (the body's length, or a range's end). */
        private final long readAheadEnd;
        private long position;
        /** The next chunk, once read; handed from the I/O thread to the reader. */
        private final AtomicReference<@Nullable Loaded> ready = new AtomicReference<>();
        private final AtomicReference<@Nullable Runnable> wakeup = new AtomicReference<>();
        private volatile boolean reading;
        private @Nullable Throwable failure;
        private volatile boolean closed;
        /** Bytes of chunks read and not yet moved past, reserved in the budget; added by the I/O thread. */
        private final AtomicLong reserved = new AtomicLong();
        /** Of {@link #reserved}, the chunk handed out last (its client write may still be under way). Reader only. */
        private long returned;

        Reader(long from, long readAheadEnd) {
            this.start = from;
            this.position = from;
            this.readAheadEnd = readAheadEnd;
        }

        private int chunkIndex() {
            return (int) (position / entry.chunkSize());
        }

        @Override
        public @Nullable ByteBuffer next() {
            if (closed || failure != null || position >= entry.bodyLength()) {
                return null;
            }
            if (returned > 0) {
                reserved.addAndGet(-returned);
                budget.release(returned);
                returned = 0;
            }
            Loaded loaded = ready.get();
            int index = chunkIndex();
            if (loaded == null || loaded.index() != index) {
                load(index);
                return null;
            }
            ready.set(null);
            if (loaded.bytes() == null) {
                failure = loaded.failure();
                return null;
            }
            ByteBuffer chunk = loaded.bytes();
            returned = chunk.remaining();
            int offset = (int) (position - (long) index * entry.chunkSize());
            ByteBuffer out = chunk.position(offset).slice().asReadOnlyBuffer();
            position += out.remaining();
            if (position < readAheadEnd && !budget.isExhausted()) {
                load(chunkIndex()); // read ahead while this chunk is written to the client
            }
            return out;
        }

        private void load(int index) {
            if (reading) {
                return;
            }
            reading = true;
            tier.io().execute(() -> {
                Loaded result;
                try {
                    Optional<ByteBuffer> bytes = tier.readChunk(entry.generation(), index);
                    if (bytes.isEmpty()) {
                        onCorrupt.run();
                        result = new Loaded(index, null, new IllegalStateException(
                                "chunk " + index + " of a stored object is missing or corrupt; the object was dropped"));
                    } else {
                        int n = bytes.get().remaining();
                        budget.reserve(n);
                        reserved.addAndGet(n);
                        result = new Loaded(index, bytes.get(), null);
                    }
                } catch (RocksDBException | RuntimeException e) {
                    result = new Loaded(index, null, e);
                }
                if (closed) {
                    budget.release(reserved.getAndSet(0)); // closed meanwhile: nobody will move past it
                    reading = false;
                    return;
                }
                Loaded stale = ready.getAndSet(result);
                if (stale != null && stale.bytes() != null) {
                    reserved.addAndGet(-stale.bytes().capacity());
                    budget.release(stale.bytes().capacity());
                }
                reading = false;
                Runnable w = wakeup.getAndSet(null);
                if (w != null) {
                    w.run();
                }
            });
        }

        @Override
        public boolean isFinished() {
            return position >= entry.bodyLength();
        }

        @Override
        public @Nullable Throwable failure() {
            return failure;
        }

        @Override
        public void demand(Runnable r) {
            wakeup.set(r);
            Loaded loaded = ready.get();
            if (closed || failure != null || isFinished() || (loaded != null && loaded.index() == chunkIndex())) {
                Runnable w = wakeup.getAndSet(null);
                if (w != null) {
                    w.run();
                }
            } else if (!reading) {
                load(chunkIndex());
            }
        }

        @Override
        public long position() {
            return position - start;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                ready.set(null);
                returned = 0;
                long held = reserved.getAndSet(0);
                if (held > 0) {
                    budget.release(held);
                }
            }
        }
    }
}
