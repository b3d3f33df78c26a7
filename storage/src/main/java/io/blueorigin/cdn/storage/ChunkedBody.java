package io.blueorigin.cdn.storage;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * A complete body held in memory as read-only chunks. Readers never wait. Immutable and thread-safe; a
 * reader costs one small object and a {@code ByteBuffer} view per chunk, and never copies the bytes.
 */
public final class ChunkedBody implements Body {
    private final ByteBuffer[] chunks;
    private final long length;
    private final int chunkSize;

    /**
     * @param chunks the body's chunks, every one but the last exactly {@code chunkSize} bytes
     * @param chunkSize the size of every chunk but the last
     */
    public ChunkedBody(byte[][] chunks, int chunkSize) {
        this.chunkSize = chunkSize;
        this.chunks = new ByteBuffer[chunks.length];
        long total = 0;
        for (int i = 0; i < chunks.length; i++) {
            if (i < chunks.length - 1 && chunks[i].length != chunkSize) {
                throw new IllegalArgumentException("chunk " + i + " has " + chunks[i].length + " bytes, expected " + chunkSize);
            }
            this.chunks[i] = ByteBuffer.wrap(chunks[i]).asReadOnlyBuffer();
            total += chunks[i].length;
        }
        this.length = total;
    }

    public static ChunkedBody empty() {
        return new ChunkedBody(new byte[0][], 1024);
    }

    @Override
    public long length() {
        return length;
    }

    /** Bytes of memory held (the chunks' sizes). */
    public long weight() {
        return length;
    }

    public int chunkCount() {
        return chunks.length;
    }

    /** A view of chunk {@code index} of its own (position and limit), sharing the bytes. */
    public ByteBuffer chunk(int index) {
        return chunks[index].duplicate();
    }

    @Override
    public BodyReader reader(long from) {
        if (from < 0) {
            throw new IllegalArgumentException("from : " + from + " (expected: >= 0)");
        }
        return new Reader(Math.min(from, length));
    }

    private final class Reader implements BodyReader {
        private long pos;
        private final long start;

        Reader(long from) {
            this.pos = from;
            this.start = from;
        }

        @Override
        public @Nullable ByteBuffer next() {
            if (pos >= length) {
                return null;
            }
            int index = (int) (pos / chunkSize);
            int offset = (int) (pos % chunkSize);
            ByteBuffer chunk = chunks[index];
            ByteBuffer view = offset == 0 ? chunk.duplicate() : chunk.duplicate().position(offset);
            pos += view.remaining();
            return view;
        }

        @Override
        public boolean isFinished() {
            return pos >= length;
        }

        @Override
        public @Nullable Throwable failure() {
            return null;
        }

        @Override
        public void demand(Runnable wakeup) {
            wakeup.run();
        }

        @Override
        public long position() {
            return pos - start;
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
