package io.blueorigin.cdn.storage.rocks;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.Field;
import io.blueorigin.cdn.storage.Body;
import io.blueorigin.cdn.storage.BodyReader;
import io.blueorigin.cdn.storage.BodySlice;
import io.blueorigin.cdn.storage.MemoryBudget;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A range of a disk-tier body reads only the chunks the range covers, counted by {@link RocksDiskTier#chunkReads()}. */
class DiskBodyRangeTest {
    private static final int CHUNK = 4096;
    private static final int CHUNKS = 10;
    private final ExecutorService io = Executors.newFixedThreadPool(2);
    private final MemoryBudget budget = new MemoryBudget(64L << 20);
    private final byte[] all = new byte[CHUNK * CHUNKS];
    @TempDir
    Path dir;
    private RocksDiskTier tier;
    private Body body;

    @BeforeEach
    void store() throws Exception {
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) (i * 131 + (i >>> 12));
        }
        byte[][] chunks = new byte[CHUNKS][];
        for (int i = 0; i < CHUNKS; i++) {
            chunks[i] = Arrays.copyOfRange(all, i * CHUNK, (i + 1) * CHUNK);
        }
        tier = RocksDiskTier.open(dir, 64L << 20, 8L << 20, CHUNK, io, budget, k -> {});
        CachedResponse response = new CachedResponse(200, List.of(new Field("Content-Type", "video/mp4")), 1, 2, 0, 60_000, 0, 0,
                false, false, false, Optional.empty(), -1, 1, List.of(), "", List.of(), all.length);
        assertThat(tier.storeWhole("s /video", response, chunks, 1)).isTrue();
        body = tier.body("s /video", tier.entries("s /video").get(0));
    }

    @AfterEach
    void close() {
        tier.close();
        io.shutdownNow();
        assertThat(budget.usedBytes()).as("chunks read are given back").isZero();
    }

    @Test
    void aReaderFromAnOffsetReadsOnlyTheChunksFromThere() {
        long before = tier.chunkReads();
        assertThat(read(body.reader(7L * CHUNK + 5))).isEqualTo(Arrays.copyOfRange(all, 7 * CHUNK + 5, all.length));
        assertThat(tier.chunkReads() - before).isEqualTo(3);
    }

    @Test
    void aSliceOfTheFirstBytesReadsOneChunk() {
        long before = tier.chunkReads();
        assertThat(read(BodySlice.of(body, 0, 99).reader())).isEqualTo(Arrays.copyOfRange(all, 0, 100));
        assertThat(tier.chunkReads() - before).as("no read-ahead past the slice").isEqualTo(1);
    }

    @Test
    void aSliceAcrossChunksReadsTheChunksItCovers() {
        long before = tier.chunkReads();
        int first = 2 * CHUNK + 10;
        int last = 4 * CHUNK + 20;
        assertThat(read(BodySlice.of(body, first, last).reader())).isEqualTo(Arrays.copyOfRange(all, first, last + 1));
        assertThat(tier.chunkReads() - before).as("chunks 2, 3 and 4").isEqualTo(3);
    }

    @Test
    void aSliceEndingOnAChunkBoundaryDoesNotReadTheNextChunk() {
        long before = tier.chunkReads();
        assertThat(read(BodySlice.of(body, CHUNK, 2 * CHUNK - 1).reader())).isEqualTo(Arrays.copyOfRange(all, CHUNK, 2 * CHUNK));
        assertThat(tier.chunkReads() - before).isEqualTo(1);
    }

    private static byte[] read(BodyReader reader) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (reader) {
            while (true) {
                ByteBuffer b = reader.next();
                if (b != null) {
                    byte[] chunk = new byte[b.remaining()];
                    b.get(chunk);
                    out.write(chunk, 0, chunk.length);
                } else if (reader.isFinished()) {
                    return out.toByteArray();
                } else if (reader.failure() != null) {
                    throw new IllegalStateException("read failed", reader.failure());
                } else {
                    CompletableFuture<Void> woken = new CompletableFuture<>();
                    reader.demand(() -> woken.complete(null));
                    woken.get(10, TimeUnit.SECONDS);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
