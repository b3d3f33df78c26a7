package io.blueorigin.cdn.storage.rocks;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The disk tier's body bytes: one file of 512-byte blocks, each chunk written once with a positional write
 * into a run of blocks ({@link ExtentAllocator}), read back with a positional read. The RocksDB records
 * say where each chunk is ({@link Extent}, in {@link RecordCodec}'s "extents" family); this file holds no
 * structure of its own, so the records are the only truth about what it contains.
 *
 * <h2>Why not in RocksDB (issue 16)</h2>
 * A body in RocksDB is written three times (WAL, memtable, blob file at flush), rewritten by blob garbage
 * collection, and checksummed in software each time (the rocksdbjni build has no SSE 4.2 CRC). Here it is
 * copied into the page cache once and checksummed once with {@link java.util.zip.CRC32C} (the processor's instruction);
 * RocksDB keeps only a 16-byte record per chunk.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>Commit point</b>: a chunk's bytes are written before the record that points at them, and that
 *       record is written (through RocksDB's WAL) with the object's meta record. A process killed in between
 *       leaves bytes no record points at: at the next open they are free space. What {@code write()} put in
 *       the page cache outlives the process, so a SIGKILL loses nothing committed, as with the WAL.</li>
 *   <li><b>Freeing</b>: a run is freed only after the batch that deletes its record is written, so no
 *       surviving record ever points at a run that may be reused.</li>
 *   <li><b>Late readers</b>: a reader that found a record just before its object was deleted may read a run
 *       already reused (or cut off by truncation). The checksum covers the chunk's key (its object's random
 *       generation and its index) as well as its bytes, so such a read fails like a corrupt one and the
 *       caller, finding the object no longer current, treats it as a miss ({@code RocksDiskTier#dropCorrupt}).</li>
 *   <li><b>Size</b>: the file is as long as the highest run in use, plus at most {@link #TRUNCATE_SLACK}: it
 *       is cut back when the runs at its end are freed.</li>
 *   <li><b>Interrupts</b>: a thread interrupted during an operation closes a {@link FileChannel} for every
 *       thread. The file then reopens its channel: the interrupted operation fails (a miss, or a body not
 *       stored), the others are retried once on the new channel.</li>
 *   <li><b>Memory</b>: positional I/O goes through this file's own direct buffers, at most {@link #IO_BUFFERS}
 *       of {@link #IO_BUFFER} bytes, a chunk in pieces of that size; an operation waits for a free one. Given
 *       a heap array, the JDK would keep a temporary direct buffer as large as the chunk in every thread that
 *       ever wrote or read one (up to {@code server.max-threads} of them), outside any budget.</li>
 * </ul>
 */
final class BodyFile implements AutoCloseable {
    static final int BLOCK = 512;
    /** The file is truncated once this much free space has gathered at its end. */
    static final long TRUNCATE_SLACK = 16L << 20;
    /** Size of one direct I/O buffer: a default-sized chunk in one system call. */
    static final int IO_BUFFER = 256 * 1024;
    /** Most direct I/O buffers this file holds (so at most this many operations run at once). */
    static final int IO_BUFFERS = 4;

    /** Where one chunk is: its first byte in the file, its length and the CRC32C of its key and bytes. */
    record Extent(long offset, int length, int crc) {
        long firstBlock() {
            return offset / BLOCK;
        }

        long blocks() {
            return blocks(length);
        }

        /** Blocks a chunk of {@code length} bytes takes. */
        static long blocks(int length) {
            return (length + BLOCK - 1L) / BLOCK;
        }
    }

    private final Path path;
    private final ExtentAllocator space = new ExtentAllocator();
    /** Free direct I/O buffers; {@link #ioBuffers} of them exist, at most {@link #IO_BUFFERS}. */
    private final ArrayBlockingQueue<ByteBuffer> freeBuffers = new ArrayBlockingQueue<>(IO_BUFFERS);
    /** Guarded by {@link #freeBuffers}. */
    private int ioBuffers;
    private volatile FileChannel channel;
    private volatile boolean closed;
    /** Blocks the file may extend to: the highest high-water mark since it was last truncated. */
    private long fileBlocks;

    BodyFile(Path path) throws IOException {
        this.path = path;
        this.channel = open(path);
        this.fileBlocks = (channel.size() + BLOCK - 1) / BLOCK;
    }

    private static FileChannel open(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Writes a chunk into a new run and returns where it is; the run is free again if the write fails. */
    Extent write(byte[] key, byte[] chunk, int length) throws IOException {
        int crc = RecordCodec.chunkCrc(key, chunk, 0, length);
        if (length == 0) {
            return new Extent(0, 0, crc); // takes no block
        }
        long first;
        synchronized (space) {
            first = space.allocate(Extent.blocks(length));
            fileBlocks = Math.max(fileBlocks, space.end());
        }
        Extent extent = new Extent(first * BLOCK, length, crc);
        boolean written = false;
        try {
            withChannel(ch -> {
                ByteBuffer buffer = takeBuffer();
                try {
                    for (int done = 0; done < length; ) {
                        int n = Math.min(IO_BUFFER, length - done);
                        buffer.clear();
                        buffer.put(chunk, done, n).flip();
                        long position = extent.offset() + done;
                        while (buffer.hasRemaining()) {
                            position += ch.write(buffer, position);
                        }
                        done += n;
                    }
                } finally {
                    freeBuffers.add(buffer);
                }
                return null;
            });
            written = true;
            return extent;
        } finally {
            if (!written) {
                free(extent);
            }
        }
    }

    /**
     * The chunk stored under {@code key} at {@code extent}; empty when the bytes there do not match the
     * extent's checksum for that key (damaged, or reused since: see the class comment).
     */
    Optional<ByteBuffer> read(byte[] key, Extent extent) throws IOException {
        byte[] out = new byte[extent.length()];
        boolean complete = withChannel(ch -> {
            ByteBuffer buffer = takeBuffer();
            try {
                for (int done = 0; done < out.length; ) {
                    int n = Math.min(IO_BUFFER, out.length - done);
                    buffer.clear().limit(n);
                    long position = extent.offset() + done;
                    while (buffer.hasRemaining()) {
                        int read = ch.read(buffer, position);
                        if (read < 0) {
                            return false; // cut off by a truncation: the place was freed
                        }
                        position += read;
                    }
                    buffer.flip().get(out, done, n);
                    done += n;
                }
                return true;
            } finally {
                freeBuffers.add(buffer);
            }
        });
        if (!complete) {
            return Optional.empty();
        }
        return RecordCodec.chunkCrc(key, out, 0, out.length) == extent.crc() ? Optional.of(ByteBuffer.wrap(out)) : Optional.empty();
    }

    /** Returns a chunk's run to free space (after the batch deleting its record is written); false if it was not in use. */
    boolean free(Extent extent) {
        if (extent.length() == 0) {
            return true;
        }
        synchronized (space) {
            boolean freed = space.free(extent.firstBlock(), extent.blocks());
            long end = space.end();
            if (fileBlocks - end >= TRUNCATE_SLACK / BLOCK) {
                try {
                    withChannel(ch -> ch.truncate(end * BLOCK));
                    fileBlocks = end;
                } catch (IOException e) {
                    // the file stays longer than it needs to; the next free at its end tries again
                }
            }
            return freed;
        }
    }

    /** Marks a chunk's run as used while the records are read back at open; false if another record has it. */
    boolean reserve(Extent extent) {
        if (extent.length() == 0) {
            return true;
        }
        synchronized (space) {
            boolean reserved = space.reserve(extent.firstBlock(), extent.blocks());
            fileBlocks = Math.max(fileBlocks, space.end());
            return reserved;
        }
    }

    /** Bytes of the file in use by chunks or holes: the high-water mark. */
    long usedBytes() {
        synchronized (space) {
            return space.end() * BLOCK;
        }
    }

    Path path() {
        return path;
    }

    /** Shortens the file to its high-water mark (at open, once the records are reserved). */
    void trim() throws IOException {
        synchronized (space) {
            long end = space.end();
            withChannel(ch -> ch.truncate(end * BLOCK));
            fileBlocks = end;
        }
    }

    /** Direct I/O buffers made so far (never more than {@link #IO_BUFFERS}; for tests). */
    int ioBuffers() {
        synchronized (freeBuffers) {
            return ioBuffers;
        }
    }

    /** A free direct I/O buffer, made if fewer than {@link #IO_BUFFERS} exist, else waited for. */
    private ByteBuffer takeBuffer() throws InterruptedIOException {
        ByteBuffer buffer = freeBuffers.poll();
        if (buffer != null) {
            return buffer;
        }
        synchronized (freeBuffers) {
            if (ioBuffers < IO_BUFFERS) {
                ioBuffers++;
                return ByteBuffer.allocateDirect(IO_BUFFER);
            }
        }
        try {
            return freeBuffers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for an I/O buffer of " + path);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }

    private interface ChannelOp<T> {
        T run(FileChannel channel) throws IOException;
    }

    private <T> T withChannel(ChannelOp<T> op) throws IOException {
        FileChannel ch = channel;
        try {
            return op.run(ch);
        } catch (ClosedByInterruptException e) {
            reopen(ch);
            throw e;
        } catch (ClosedChannelException e) {
            if (closed) {
                throw e;
            }
            reopen(ch); // another thread's interrupt closed it under this one
            return op.run(channel);
        }
    }

    private synchronized void reopen(FileChannel closedOne) throws IOException {
        if (!closed && channel == closedOne) {
            channel = open(path);
        }
    }
}
