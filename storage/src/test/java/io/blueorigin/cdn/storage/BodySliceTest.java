package io.blueorigin.cdn.storage;

import static io.blueorigin.cdn.storage.StoreFixtures.bytes;
import static io.blueorigin.cdn.storage.StoreFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link BodySlice}: exact bytes from any body, following a body still arriving, letting go of its reader. */
class BodySliceTest {
    private static final MemoryBudget BUDGET = new MemoryBudget(1L << 30);

    @Test
    void everySliceOfAChunkedBodyHasExactlyItsBytes() {
        byte[] all = bytes(50, 1);
        ChunkedBody whole = chunked(all, 7);
        for (int first = 0; first < all.length; first++) {
            for (int last = first; last < all.length; last++) {
                BodySlice slice = BodySlice.of(whole, first, last);
                assertThat(slice.length()).isEqualTo(last - first + 1);
                assertThat(read(slice)).as(first + "-" + last).isEqualTo(Arrays.copyOfRange(all, first, last + 1));
            }
        }
    }

    @Test
    void aSliceReaderMayStartInsideTheSlice() {
        byte[] all = bytes(5000, 2);
        BodySlice slice = BodySlice.of(chunked(all, 1024), 1000, 3999);
        assertThat(read(slice.reader(1500))).isEqualTo(Arrays.copyOfRange(all, 2500, 4000));
        BodyReader atEnd = slice.reader(3000);
        assertThat(atEnd.next()).isNull();
        assertThat(atEnd.isFinished()).isTrue();
    }

    @Test
    void aSliceOfABodyStillArrivingIsAnsweredOnceItsOwnBytesHaveArrived() throws Exception {
        byte[] all = bytes(10_000, 3);
        GrowingBody whole = GrowingBody.retained(1024, all.length, BUDGET);
        CountDownLatch sliceWritten = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 3000; i += 500) { // in parts, across chunk boundaries
                whole.write(ByteBuffer.wrap(all, i, 500));
            }
            sliceWritten.countDown();
            await(mayFinish);
            whole.write(ByteBuffer.wrap(all, 3000, all.length - 3000));
            whole.complete();
        });
        BodyReader reader = BodySlice.of(whole, 100, 2999).reader();
        assertThat(sliceWritten.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(drainWithoutClosing(reader)).isEqualTo(Arrays.copyOfRange(all, 100, 3000));
        assertThat(reader.isFinished()).isTrue();
        assertThat(whole.isComplete()).as("the slice did not wait for the whole object").isFalse();
        assertThat(whole.readerCount()).as("a finished slice let go of the whole body").isZero();
        mayFinish.countDown();
        writer.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSliceThatEndsAtTheEndWaitsForTheBodyToComplete() throws Exception {
        byte[] all = bytes(3000, 4);
        GrowingBody whole = GrowingBody.retained(1024, all.length, BUDGET);
        BodyReader reader = BodySlice.of(whole, 2000, 2999).reader();
        whole.write(ByteBuffer.wrap(all));
        assertThat(reader.next()).as("a Content-Length body holds its last bytes back until it is stored").isNull();
        assertThat(reader.isFinished()).isFalse();
        CompletableFuture<Void> woken = new CompletableFuture<>();
        reader.demand(() -> woken.complete(null));
        whole.complete();
        woken.get(10, TimeUnit.SECONDS);
        assertThat(read(reader)).isEqualTo(Arrays.copyOfRange(all, 2000, 3000));
    }

    @Test
    void closingASliceReaderClosesTheWholeBodysReader() {
        GrowingBody whole = GrowingBody.retained(1024, -1, BUDGET);
        BodyReader reader = BodySlice.of(whole, 10, 20).reader();
        assertThat(whole.readerCount()).isEqualTo(1);
        whole.write(ByteBuffer.wrap(bytes(15, 5)));
        assertThat(reader.next()).isNotNull();
        reader.close();
        assertThat(whole.readerCount()).isZero();
        assertThat(reader.next()).isNull();
        reader.close(); // twice is fine
    }

    @Test
    void aBodyThatEndsShortFailsTheSlice() {
        GrowingBody whole = GrowingBody.retained(1024, -1, BUDGET);
        BodyReader reader = BodySlice.of(whole, 50, 149).reader();
        whole.write(ByteBuffer.wrap(bytes(100, 6)));
        whole.complete();
        assertThat(drainWithoutClosing(reader)).hasSize(50);
        assertThat(reader.isFinished()).isFalse();
        assertThat(reader.failure()).hasMessage("body ended 50 bytes before the end of the slice");
        AtomicWake wake = new AtomicWake();
        reader.demand(wake);
        assertThat(wake.ran).as("a failed slice wakes at once").isTrue();
        reader.close();
        assertThat(whole.readerCount()).isZero();
    }

    @Test
    void aSliceOutsideAKnownLengthIsRefused() {
        ChunkedBody whole = chunked(bytes(100, 7), 64);
        assertThatThrownBy(() -> BodySlice.of(whole, 50, 100)).hasMessageContaining("within 100 bytes");
        assertThatThrownBy(() -> BodySlice.of(whole, 5, 4)).hasMessageContaining("0 <= first <= last");
    }

    static ChunkedBody chunked(byte[] all, int chunkSize) {
        byte[][] chunks = new byte[(all.length + chunkSize - 1) / chunkSize][];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = Arrays.copyOfRange(all, i * chunkSize, Math.min(all.length, (i + 1) * chunkSize));
        }
        return new ChunkedBody(chunks, chunkSize);
    }

    /** Reads until the reader has nothing now, without closing it. */
    static byte[] drainWithoutClosing(BodyReader reader) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer b; (b = reader.next()) != null; ) {
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            out.write(chunk, 0, chunk.length);
        }
        return out.toByteArray();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final class AtomicWake implements Runnable {
        volatile boolean ran;

        @Override
        public void run() {
            ran = true;
        }
    }
}
