package io.blueorigin.cdn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GrowingBodyTest {
    /** Large enough never to be exhausted here (MemoryBudgetTest covers the budget). */
    private static final MemoryBudget BUDGET = new MemoryBudget(1L << 30);

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static byte[] drain(BodyReader reader) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer b; (b = reader.next()) != null; ) {
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            out.write(chunk, 0, chunk.length);
        }
        return out.toByteArray();
    }

    @Test
    void readersSeeBytesAsTheyArriveAcrossChunkBoundaries() {
        GrowingBody body = GrowingBody.retained(1024, -1, BUDGET);
        BodyReader early = body.reader();
        byte[] all = bytes(5000, 7);
        body.write(ByteBuffer.wrap(all, 0, 700));
        assertThat(drain(early)).containsExactly(java.util.Arrays.copyOfRange(all, 0, 700));
        assertThat(early.isFinished()).isFalse();

        body.write(ByteBuffer.wrap(all, 700, 4300));
        BodyReader late = body.reader(1500);
        body.complete();
        assertThat(drain(early)).containsExactly(java.util.Arrays.copyOfRange(all, 700, 5000));
        assertThat(early.isFinished()).isTrue();
        assertThat(drain(late)).containsExactly(java.util.Arrays.copyOfRange(all, 1500, 5000));
        assertThat(body.length()).isEqualTo(5000);

        byte[][] chunks = body.chunks();
        assertThat(chunks).hasNumberOfRows(5);
        assertThat(chunks[4]).hasSize(5000 - 4 * 1024);
        ChunkedBody stored = new ChunkedBody(chunks, 1024);
        assertThat(drain(stored.reader(3000))).containsExactly(java.util.Arrays.copyOfRange(all, 3000, 5000));
    }

    @Test
    void aWaitingReaderIsWokenOnceWhenBytesArriveAndWhenTheBodyEnds() {
        GrowingBody body = GrowingBody.retained(1024, -1, BUDGET);
        BodyReader reader = body.reader();
        AtomicInteger wakeups = new AtomicInteger();
        reader.demand(wakeups::incrementAndGet);
        assertThat(wakeups).hasValue(0);
        body.write(ByteBuffer.wrap(bytes(10, 1)));
        assertThat(wakeups).hasValue(1);
        body.write(ByteBuffer.allocate(0));
        assertThat(wakeups).as("one wake-up per demand").hasValue(1);
        assertThat(drain(reader)).hasSize(10);
        reader.demand(wakeups::incrementAndGet);
        body.complete();
        assertThat(wakeups).hasValue(2);
        assertThat(reader.isFinished()).isTrue();
    }

    @Test
    void aRetainedBodyOfAnnouncedLengthHoldsBackItsLastBytesUntilComplete() {
        GrowingBody body = GrowingBody.retained(1024, 10, BUDGET);
        BodyReader reader = body.reader();
        body.write(ByteBuffer.wrap(bytes(4, 1)));
        assertThat(drain(reader)).hasSize(4);
        body.write(ByteBuffer.wrap(bytes(6, 1)));
        assertThat(reader.next()).as("the final bytes wait for the store's commit").isNull();
        assertThat(body.committed()).isEqualTo(10);
        body.complete();
        assertThat(drain(reader)).hasSize(6);
        assertThat(reader.isFinished()).isTrue();
    }

    @Test
    void aDemandAfterTheBytesArrivedRunsAtOnce() {
        GrowingBody body = GrowingBody.retained(1024, -1, BUDGET);
        BodyReader reader = body.reader();
        body.write(ByteBuffer.wrap(bytes(3, 1)));
        AtomicInteger wakeups = new AtomicInteger();
        reader.demand(wakeups::incrementAndGet);
        assertThat(wakeups).hasValue(1);
    }

    @Test
    void aFailedBodyFailsItsReaders() {
        GrowingBody body = GrowingBody.retained(1024, -1, BUDGET);
        BodyReader reader = body.reader();
        AtomicInteger wakeups = new AtomicInteger();
        reader.demand(wakeups::incrementAndGet);
        body.fail(new IllegalStateException("upstream reset"));
        assertThat(wakeups).hasValue(1);
        assertThat(reader.next()).isNull();
        assertThat(reader.isFinished()).isFalse();
        assertThat(reader.failure()).hasMessage("upstream reset");
    }

    @Test
    void passThroughReleasesWhatReadersPassedAndAsksTheWriterToWait() {
        GrowingBody body = GrowingBody.passingThrough(1024, -1, 4096, BUDGET);
        BodyReader reader = body.reader();
        for (int i = 0; i < 5; i++) {
            body.write(ByteBuffer.wrap(bytes(1024, i)));
        }
        assertThat(body.isBacklogged()).isTrue();
        AtomicInteger resumed = new AtomicInteger();
        body.whenDrained(resumed::incrementAndGet);
        assertThat(resumed).hasValue(0);
        reader.next();
        reader.next();
        assertThat(resumed).as("still above low water").hasValue(0);
        reader.next();
        assertThat(resumed).hasValue(1);
        assertThat(body.isBacklogged()).isFalse();
        BodyReader tooLate = body.reader(0);
        assertThat(tooLate.failure()).isNotNull();
        reader.close();
        assertThat(body.readerCount()).isZero();
    }
}
