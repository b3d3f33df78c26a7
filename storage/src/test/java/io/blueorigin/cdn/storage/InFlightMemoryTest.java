package io.blueorigin.cdn.storage;

import static io.blueorigin.cdn.storage.StoreFixtures.bytes;
import static io.blueorigin.cdn.storage.StoreFixtures.read;
import static io.blueorigin.cdn.storage.StoreFixtures.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies in transit and the memory budget: every path gives back every byte it reserved (the budget is at
 * 0 after each), a spilling body holds at most two chunks whatever its readers do, and an exhausted budget
 * makes bodies spill sooner, stop being stored, or pace their writer, always leaving one chunk of progress.
 */
class InFlightMemoryTest {
    private static final int CHUNK = 16 * 1024;
    private static final long HEAP_OBJECT = 256 * 1024;

    @TempDir
    Path dir;
    private final MemoryBudget budget = new MemoryBudget(64L << 20);
    private @Nullable TieredStore store;

    private TieredStore withDisk() {
        store = TieredStore.open(new StorageConfig(8L << 20, HEAP_OBJECT, Optional.of(dir), 256L << 20, 128L << 20, CHUNK), "t",
                budget);
        return store;
    }

    private TieredStore heapOnly() {
        store = TieredStore.open(new StorageConfig(8L << 20, HEAP_OBJECT, Optional.empty(), 0, HEAP_OBJECT, CHUNK), "t", budget);
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
        assertThat(budget.usedBytes()).as("budget at rest after close").isZero();
    }

    private static void writeAll(ObjectWriter writer, byte[] body, int piece) {
        for (int i = 0; i < body.length; i += piece) {
            writer.write(ByteBuffer.wrap(body, i, Math.min(piece, body.length - i)));
        }
    }

    @Test
    void aBodyKeptInMemoryIsHandedToTheHeapTierAtCommit() {
        TieredStore s = withDisk();
        byte[] body = bytes(100_000, 1);
        ObjectWriter writer = s.begin("s /small", response("", List.of()), -1);
        BodyReader reader = writer.body().reader();
        writeAll(writer, body, 7000);
        assertThat(budget.usedBytes()).as("held while it arrives").isGreaterThanOrEqualTo(body.length);
        writer.commit(response("", List.of()));
        assertThat(budget.usedBytes()).as("the heap tier counts it now").isZero();
        assertThat(read(reader)).isEqualTo(body);
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void aSpillingBodyHoldsAtMostTwoChunksWhileItsReaderLagsAndGivesEverythingBack() {
        TieredStore s = withDisk();
        byte[] body = bytes((int) (HEAP_OBJECT * 8), 2);
        ObjectWriter writer = s.begin("s /large", response("", List.of()), body.length);
        BodyReader idle = writer.body().reader(); // a client that reads nothing while the origin sends it all
        long most = 0;
        for (int i = 0; i < body.length; i += 10_000) {
            writer.write(ByteBuffer.wrap(body, i, Math.min(10_000, body.length - i)));
            most = Math.max(most, budget.usedBytes());
        }
        assertThat(most).as("never more than two chunks in memory").isLessThanOrEqualTo(2L * CHUNK);
        writer.commit(response("", List.of()));
        assertThat(read(idle)).as("the lagging reader reads it back from disk").isEqualTo(body);
        assertThat(budget.usedBytes()).isZero();
        assertThat(read(s.lookup("s /large").all().get(0).body())).isEqualTo(body);
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void anAbortMidBodyGivesEverythingBackInMemoryAndSpilling() {
        TieredStore s = withDisk();
        for (long size : List.of(100_000L, HEAP_OBJECT * 3)) {
            ObjectWriter writer = s.begin("s /aborted" + size, response("", List.of()), size);
            BodyReader reader = writer.body().reader();
            writer.write(ByteBuffer.wrap(bytes((int) size / 2, 3)));
            reader.next();
            writer.abort(new IllegalStateException("upstream reset"));
            assertThat(reader.next()).isNull();
            assertThat(reader.failure()).hasMessage("upstream reset");
            reader.close();
            assertThat(budget.usedBytes()).as("after aborting %d bytes", size).isZero();
        }
    }

    @Test
    void aClientGoneMidBodyLeavesNothingHeldOnceTheBodyEnds() {
        TieredStore s = withDisk();
        GrowingBody passing = s.passThrough(-1);
        BodyReader reader = passing.reader();
        passing.write(ByteBuffer.wrap(bytes(3 * CHUNK, 4)));
        reader.next();
        reader.close(); // the client went away: the fetcher sees no reader and aborts upstream
        passing.fail(new IllegalStateException("no reader left"));
        assertThat(budget.usedBytes()).isZero();

        ObjectWriter writer = s.begin("s /stored-anyway", response("", List.of()), 50_000);
        BodyReader gone = writer.body().reader();
        writer.write(ByteBuffer.wrap(bytes(20_000, 5)));
        gone.close();
        writer.write(ByteBuffer.wrap(bytes(30_000, 5)));
        assertThat(writer.commit(response("", List.of()))).isPresent();
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void anAbandonedBodyPassesThroughAndGivesBackWhatItsReaderPassed() {
        TieredStore s = withDisk();
        byte[] body = bytes((int) HEAP_OBJECT * 3, 6);
        ObjectWriter writer = s.begin("s /too-large", response("", List.of()), -1);
        BodyReader reader = writer.body().reader();
        writeAll(writer, body, 9000);
        writer.abandon();
        GrowingBody growing = writer.body();
        growing.complete();
        assertThat(read(reader)).isEqualTo(body);
        assertThat(budget.usedBytes()).isZero();
        assertThat(s.lookup("s /too-large").isEmpty()).isTrue();
    }

    @Test
    void aSpillFailureStopsStoringAndStillGivesEverythingBack() {
        AtomicInteger persisted = new AtomicInteger();
        ChunkSink failing = new ChunkSink() {
            @Override
            public void persist(int index, byte[] chunk, int length) {
                if (index == 2) {
                    throw new UncheckedIOException(new java.io.IOException("No space left on device"));
                }
                persisted.incrementAndGet();
            }

            @Override
            public void read(int index, BiConsumer<@Nullable ByteBuffer, @Nullable Throwable> done) {
                done.accept(null, new IllegalStateException("not kept in this test"));
            }
        };
        GrowingBody body = GrowingBody.spilling(CHUNK, -1, failing, budget);
        BodyReader reader = body.reader();
        byte[] bytes = bytes(6 * CHUNK, 7);
        byte[] got = new byte[bytes.length];
        int at = 0;
        for (int i = 0; i < bytes.length; i += CHUNK) {
            body.write(ByteBuffer.wrap(bytes, i, CHUNK));
            for (ByteBuffer b; (b = reader.next()) != null; ) {
                int n = b.remaining();
                b.get(got, at, n);
                at += n;
            }
        }
        assertThat(body.spillFailure()).hasMessageContaining("No space");
        assertThat(body.retains()).as("passes through now").isFalse();
        body.complete();
        assertThat(reader.isFinished()).isTrue();
        assertThat(got).isEqualTo(bytes);
        reader.close();
        assertThat(persisted).hasValue(2);
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void anExhaustedBudgetMakesABodyKeptInMemorySpillAtItsNextWrite() {
        TieredStore s = withDisk();
        ObjectWriter writer = s.begin("s /pressed", response("", List.of()), -1);
        writer.write(ByteBuffer.wrap(bytes(20_000, 8)));
        assertThat(writer.body().isSpilling()).isFalse();
        budget.reserve(budget.maxBytes()); // other bodies took everything
        writer.write(ByteBuffer.wrap(bytes(20_000, 8)));
        assertThat(writer.body().isSpilling()).as("spills far below store.heap.max-object-size").isTrue();
        ObjectWriter later = s.begin("s /pressed-from-the-start", response("", List.of()), 1000);
        assertThat(later.body().isSpilling()).isTrue();
        later.write(ByteBuffer.wrap(bytes(1000, 9)));
        assertThat(later.commit(response("", List.of()))).isPresent();
        assertThat(writer.commit(response("", List.of()))).isPresent();
        budget.release(budget.maxBytes());
        assertThat(budget.usedBytes()).isZero();
        assertThat(read(s.lookup("s /pressed").all().get(0).body())).hasSize(40_000);
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void withoutADiskAnExhaustedBudgetStopsStoringAndPassesThrough() {
        TieredStore s = heapOnly();
        ObjectWriter writer = s.begin("s /not-kept", response("", List.of()), -1);
        BodyReader reader = writer.body().reader();
        writer.write(ByteBuffer.wrap(bytes(20_000, 10)));
        budget.reserve(budget.maxBytes());
        writer.write(ByteBuffer.wrap(bytes(20_000, 11)));
        assertThat(writer.body().retains()).as("the fetcher sees it and stops waiting for a commit").isFalse();
        assertThat(writer.commit(response("", List.of()))).isEmpty();
        assertThat(read(reader)).hasSize(40_000);
        assertThat(s.lookup("s /not-kept").isEmpty()).isTrue();
        budget.release(budget.maxBytes());
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void anExhaustedBudgetPausesAPassThroughWriterHoldingMoreThanOneChunkUntilThereIsRoom() {
        TieredStore s = heapOnly();
        GrowingBody passing = s.passThrough(-1);
        BodyReader reader = passing.reader();
        budget.reserve(budget.maxBytes());
        passing.write(ByteBuffer.wrap(bytes(CHUNK, 12)));
        assertThat(passing.isBacklogged()).as("one chunk is always allowed: progress").isFalse();
        passing.write(ByteBuffer.wrap(bytes(100, 12)));
        assertThat(passing.isBacklogged()).as("a second chunk while the budget is exhausted").isTrue();
        AtomicInteger resumed = new AtomicInteger();
        passing.whenDrained(resumed::incrementAndGet);
        assertThat(resumed).hasValue(0);
        budget.release(budget.maxBytes()); // another body finished
        assertThat(resumed).as("woken by the room another body made").hasValue(1);
        budget.reserve(budget.maxBytes());
        passing.write(ByteBuffer.wrap(bytes(CHUNK, 13)));
        passing.whenDrained(resumed::incrementAndGet);
        assertThat(resumed).hasValue(1);
        assertThat(reader.next().remaining()).isEqualTo(CHUNK); // the reader passes the first chunk: it is released
        reader.next();
        assertThat(resumed).as("woken when its own reader made it hold one chunk again").hasValue(2);
        passing.complete();
        read(reader);
        budget.release(budget.maxBytes());
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void readersThatReadBackFromDiskHoldTheirChunkInTheBudgetUntilTheyMoveOn() {
        TieredStore s = withDisk();
        byte[] body = bytes((int) HEAP_OBJECT * 2, 14);
        ObjectWriter writer = s.begin("s /read-back", response("", List.of()), body.length);
        BodyReader late = writer.body().reader();
        writeAll(writer, body, CHUNK);
        writer.commit(response("", List.of()));
        byte[] got = read(late);
        assertThat(Arrays.equals(got, body)).isTrue();
        assertThat(budget.usedBytes()).isZero();
    }
}
