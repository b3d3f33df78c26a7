package io.blueorigin.cdn.storage.rocks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The body file's I/O: chunks larger than its buffers, more threads than buffers, and the buffers it keeps. */
class BodyFileTest {
    @TempDir
    Path dir;

    @Test
    void manyThreadsWriteAndReadChunksLargerThanABufferThroughNoMoreThanItsBuffers() throws Exception {
        int length = BodyFile.IO_BUFFER * 2 + 1000; // three pieces
        ExecutorService threads = Executors.newFixedThreadPool(4 * BodyFile.IO_BUFFERS);
        try (BodyFile file = new BodyFile(dir.resolve("bodies.dat"))) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4 * BodyFile.IO_BUFFERS; t++) {
                int seed = t;
                done.add(threads.submit(() -> {
                    for (int round = 0; round < 5; round++) {
                        byte[] key = RecordCodec.chunkKey(seed, round);
                        byte[] chunk = new byte[length];
                        for (int i = 0; i < length; i++) {
                            chunk[i] = (byte) (seed * 31 + round + i);
                        }
                        BodyFile.Extent extent = file.write(key, chunk, length);
                        ByteBuffer back = file.read(key, extent).orElseThrow();
                        byte[] read = new byte[back.remaining()];
                        back.get(read);
                        assertThat(read).isEqualTo(chunk);
                        assertThat(file.read(RecordCodec.chunkKey(seed, round + 1), extent)).as("another key's check").isEmpty();
                        assertThat(file.free(extent)).isTrue();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(file.ioBuffers()).as("direct buffers made").isBetween(1, BodyFile.IO_BUFFERS);
            assertThat(file.usedBytes()).as("everything freed").isZero();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aWriteOnAnInterruptedThreadFailsAloneAndFreesItsPlace() throws Exception {
        try (BodyFile file = new BodyFile(dir.resolve("bodies.dat"))) {
            byte[] chunk = new byte[1000];
            BodyFile.Extent kept = file.write(RecordCodec.chunkKey(1, 0), chunk, chunk.length);
            Thread.currentThread().interrupt();
            try {
                file.write(RecordCodec.chunkKey(2, 0), chunk, chunk.length);
                throw new AssertionError("an interrupted write succeeded");
            } catch (java.io.IOException expected) {
                assertThat(expected).isInstanceOfAny(java.nio.channels.ClosedByInterruptException.class,
                        java.io.InterruptedIOException.class);
            } finally {
                Thread.interrupted();
            }
            assertThat(file.usedBytes()).as("the failed write's place is free again").isEqualTo(2L * BodyFile.BLOCK); // the kept chunk's two blocks
            assertThat(file.read(RecordCodec.chunkKey(1, 0), kept)).isPresent();
            assertThat(file.ioBuffers()).isEqualTo(1);
        }
    }
}
