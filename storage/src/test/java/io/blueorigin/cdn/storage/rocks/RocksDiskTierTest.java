package io.blueorigin.cdn.storage.rocks;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.storage.MemoryBudget;
import io.blueorigin.cdn.httpcache.EntityTag;
import io.blueorigin.cdn.httpcache.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash and corruption handling of the disk tier: what a failing disk or a killed process leaves behind. */
class RocksDiskTierTest {
    private static final int CHUNK = 4096;
    private final ExecutorService io = Executors.newFixedThreadPool(2);
    private final AtomicInteger evicted = new AtomicInteger();
    @TempDir
    Path dir;

    private final MemoryBudget budget = new MemoryBudget(64L << 20);

    @AfterEach
    void stop() {
        io.shutdownNow();
        assertThat(budget.usedBytes()).as("chunks read back are given back").isZero();
    }

    private RocksDiskTier open() throws Exception {
        return RocksDiskTier.open(dir, 64L << 20, 8L << 20, CHUNK, io, budget, k -> evicted.incrementAndGet());
    }

    private static CachedResponse response(List<String> tags) {
        return new CachedResponse(200, List.of(new Field("Content-Type", "text/plain"), new Field("X-Unicode", "é€")),
                1, 2, 3, 60_000, 5, 6, true, false, true, Optional.of(new EntityTag("v1", true)), 7, 8, List.of("accept"),
                "accept=x\u001f", tags, 9);
    }

    private static byte[][] body(int chunks) {
        byte[][] out = new byte[chunks][];
        for (int i = 0; i < chunks; i++) {
            out[i] = new byte[i == chunks - 1 ? 100 : CHUNK];
            java.util.Arrays.fill(out[i], (byte) i);
        }
        return out;
    }

    @Test
    void aRecordRoundTripsThroughItsCodec() {
        RecordCodec.Header h = new RecordCodec.Header(42, 1000, 8292, CHUNK, 3);
        byte[] encoded = RecordCodec.encodeMeta(h, response(List.of("a", "b")));
        RecordCodec.Decoded decoded = RecordCodec.decodeMeta(encoded).orElseThrow();
        assertThat(decoded.header()).isEqualTo(h);
        assertThat(decoded.response()).isEqualTo(response(List.of("a", "b")));
        for (int cut = 0; cut < encoded.length; cut += 7) {
            assertThat(RecordCodec.decodeMeta(java.util.Arrays.copyOf(encoded, cut))).as("truncated at " + cut).isEmpty();
        }
        encoded[encoded.length / 2] ^= 1;
        assertThat(RecordCodec.decodeMeta(encoded)).as("a flipped bit fails the checksum").isEmpty();
    }

    @Test
    void aCorruptMetaRecordIsDroppedAndCountedAtOpen() throws Exception {
        try (RocksDiskTier tier = open()) {
            tier.storeWhole("s /good", response(List.of()), body(2), 1);
            tier.storeWhole("s /bad", response(List.of("t")), body(2), 1);
        }
        try (RawRocks raw = new RawRocks(dir)) {
            byte[] key = RecordCodec.metaKey("s /bad", "accept=x\u001f");
            byte[] value = raw.db().get(raw.cf("meta"), key);
            value[value.length - 3] ^= 0x40;
            raw.db().put(raw.cf("meta"), key, value);
        }
        try (RocksDiskTier tier = open()) {
            assertThat(tier.contains("s /good")).isTrue();
            assertThat(tier.contains("s /bad")).isFalse();
            assertThat(tier.stats().corrupt()).isEqualTo(1);
        }
    }

    @Test
    void anObjectRemovedWhileBeingReadIsAMissNotCorruption() throws Exception {
        try (RocksDiskTier tier = open()) {
            tier.storeWhole("s /gone", response(List.of()), body(3), 1);
            DiskEntry entry = tier.entries("s /gone").get(0); // a reader has found it...
            assertThat(tier.remove("s /gone")).isEqualTo(1); // ...and a purge removes it before the reader reads
            assertThat(tier.readChunks("s /gone", entry)).isEmpty();
            assertThat(tier.body("s /gone", entry)).isNotNull();
            assertThat(tier.stats().corrupt()).isZero();
            tier.storeWhole("s /gone", response(List.of()), body(2), 2); // a newer version is not dropped either
            assertThat(tier.readChunks("s /gone", entry)).isEmpty();
            assertThat(tier.contains("s /gone")).isTrue();
            assertThat(tier.stats().corrupt()).isZero();
        }
    }

    @Test
    void aCorruptChunkIsDetectedOnReadNeverServedAndTheObjectDropped() throws Exception {
        long generation = storedGeneration("s /c", body(3));
        BodyFile.Extent extent = extent(generation, 1);
        flipBodyFileByte(extent.offset() + 10);
        try (RocksDiskTier tier = open()) {
            DiskEntry entry = tier.entries("s /c").get(0);
            assertThat(tier.readChunks("s /c", entry)).isEmpty();
            assertThat(tier.contains("s /c")).isFalse();
            assertThat(tier.stats().corrupt()).isEqualTo(1);
        }
    }

    @Test
    void anotherChunksValueFoundUnderAChunksKeyIsRefusedLikeACorruptOne() throws Exception {
        // what a damaged index block pointing at the wrong value would return: intact bytes, wrong place
        long a = storedGeneration("s /a", body(3));
        long b = storedGeneration("s /b", body(3));
        try (RawRocks raw = new RawRocks(dir)) {
            byte[] bsFirst = raw.db().get(raw.cf("extents"), RecordCodec.chunkKey(b, 0));
            raw.db().put(raw.cf("extents"), RecordCodec.chunkKey(a, 1), bsFirst);
        }
        try (RocksDiskTier tier = open()) {
            assertThat(tier.readChunks("s /a", tier.entries("s /a").get(0))).isEmpty();
            assertThat(tier.contains("s /a")).isFalse();
            assertThat(tier.stats().corrupt()).isEqualTo(1);
            assertThat(tier.readChunks("s /b", tier.entries("s /b").get(0))).isPresent();
        }
    }

    @Test
    void aChunkWrittenWithTheEarlierChecksumOfItsBytesAloneStillReads() throws Exception {
        long generation = storedGeneration("s /old", body(2));
        byte[] bytes = new byte[100];
        java.util.Arrays.fill(bytes, (byte) 1); // body(2)'s last chunk
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes);
        byte[] earlier = java.nio.ByteBuffer.allocate(4 + bytes.length).putInt((int) crc.getValue()).put(bytes).array();
        try (RawRocks raw = new RawRocks(dir)) {
            raw.db().delete(raw.cf("extents"), RecordCodec.chunkKey(generation, 1));
            raw.db().put(raw.cf("chunks"), RecordCodec.chunkKey(generation, 1), earlier);
        }
        try (RocksDiskTier tier = open()) {
            byte[][] chunks = tier.readChunks("s /old", tier.entries("s /old").get(0)).orElseThrow();
            assertThat(chunks[1]).isEqualTo(bytes);
            assertThat(tier.stats().corrupt()).isZero();
        }
    }

    @Test
    void theSpaceOfAWriteACrashInterruptedIsFreeAtTheNextOpen() throws Exception {
        try (RocksDiskTier tier = open()) {
            tier.storeWhole("s /kept", response(List.of()), body(1), 1);
        }
        long kept = Files.size(dir.resolve(RocksDiskTier.BODY_FILE));
        try (RocksDiskTier tier = open()) {
            RocksDiskTier.Write write = tier.begin("s /torn", "");
            write.persist(0, new byte[CHUNK], CHUNK);
            write.persist(1, new byte[CHUNK], CHUNK);
            // no commit: the process "dies" here
        }
        assertThat(Files.size(dir.resolve(RocksDiskTier.BODY_FILE))).isGreaterThan(kept + 2 * CHUNK);
        try (RawRocks raw = new RawRocks(dir)) {
            assertThat(raw.count("extents")).as("no record names a chunk before its commit").isEqualTo(1);
            assertThat(raw.count("pending")).isZero();
        }
        try (RocksDiskTier tier = open()) {
            assertThat(tier.contains("s /torn")).isFalse();
            assertThat(Files.size(dir.resolve(RocksDiskTier.BODY_FILE))).as("cut back to what is stored")
                    .isEqualTo((kept + BodyFile.BLOCK - 1) / BodyFile.BLOCK * BodyFile.BLOCK);
            RocksDiskTier.Write again = tier.begin("s /torn", "");
            again.persist(0, body(1)[0], 100);
            assertThat(again.commit(response(List.of()), 100, 1)).isTrue();
            assertThat(tier.readChunks("s /torn", tier.entries("s /torn").get(0)).orElseThrow()[0]).isEqualTo(body(1)[0]);
            assertThat(tier.readChunks("s /kept", tier.entries("s /kept").get(0)).orElseThrow()[0]).isEqualTo(body(1)[0]);
        }
    }

    @Test
    void chunksOfAWriteACrashInterruptedBeforeTheBodyFileAreDeletedAtTheNextOpen() throws Exception {
        try (RocksDiskTier tier = open()) {
            tier.storeWhole("s /kept", response(List.of()), body(1), 1);
        }
        long torn = 77;
        try (RawRocks raw = new RawRocks(dir)) { // what the version before the body file left: chunks and a pending row
            byte[] key = RecordCodec.chunkKey(torn, 0);
            raw.db().put(raw.cf("chunks"), key, legacyChunkValue(key, new byte[CHUNK], CHUNK));
            raw.db().put(raw.cf("pending"), RecordCodec.generationKey(torn), RecordCodec.metaKey("s /torn", ""));
        }
        try (RocksDiskTier tier = open()) {
            assertThat(tier.contains("s /torn")).isFalse();
            assertThat(tier.contains("s /kept")).isTrue();
        }
        try (RawRocks raw = new RawRocks(dir)) {
            assertThat(raw.count("chunks")).isZero();
            assertThat(raw.count("pending")).isZero();
        }
    }

    @Test
    void aBodyStoredInRocksDbBeforeTheBodyFileReadsAndGoesWithItsObject() throws Exception {
        long generation = storedGeneration("s /old", body(2));
        byte[][] body = body(2);
        try (RawRocks raw = new RawRocks(dir)) { // the layout before the body file: the bytes in "chunks"
            for (int i = 0; i < body.length; i++) {
                byte[] key = RecordCodec.chunkKey(generation, i);
                raw.db().delete(raw.cf("extents"), key);
                raw.db().put(raw.cf("chunks"), key, legacyChunkValue(key, body[i], body[i].length));
            }
        }
        try (RocksDiskTier tier = open()) {
            assertThat(tier.readChunks("s /old", tier.entries("s /old").get(0)).orElseThrow()).isDeepEqualTo(body);
            assertThat(tier.remove("s /old")).isEqualTo(1);
        }
        try (RawRocks raw = new RawRocks(dir)) {
            assertThat(raw.count("chunks")).isZero();
        }
    }

    @Test
    void aRunFreedByARemovalIsReusedAndALateReaderOfTheRemovedObjectMissesWithoutCorruption() throws Exception {
        try (RocksDiskTier tier = open()) {
            tier.storeWhole("s /first", response(List.of()), body(3), 1);
            DiskEntry first = tier.entries("s /first").get(0); // a reader has found it...
            long used = Files.size(dir.resolve(RocksDiskTier.BODY_FILE));
            assertThat(tier.remove("s /first")).isEqualTo(1); // ...a purge removes it, a new object takes its place
            tier.storeWhole("s /second", response(List.of()), body(3), 1);
            assertThat(Files.size(dir.resolve(RocksDiskTier.BODY_FILE))).as("the freed runs were reused").isEqualTo(used);
            assertThat(tier.readChunks("s /first", first)).isEmpty();
            assertThat(tier.stats().corrupt()).isZero();
            assertThat(tier.readChunks("s /second", tier.entries("s /second").get(0)).orElseThrow()).isDeepEqualTo(body(3));
        }
    }

    @Test
    void anEmptyChunkTakesNoSpaceAndReadsBackEmpty() throws Exception {
        try (RocksDiskTier tier = open()) {
            tier.storeWhole("s /empty", response(List.of()), new byte[][] {new byte[0]}, 1);
            assertThat(Files.size(dir.resolve(RocksDiskTier.BODY_FILE))).isZero();
            assertThat(tier.readChunks("s /empty", tier.entries("s /empty").get(0)).orElseThrow()[0]).isEmpty();
        }
        try (RocksDiskTier tier = open()) {
            assertThat(tier.readChunks("s /empty", tier.entries("s /empty").get(0)).orElseThrow()[0]).isEmpty();
            assertThat(tier.remove("s /empty")).isEqualTo(1);
            assertThat(tier.stats().corrupt()).isZero();
        }
    }

    @Test
    void theBodyFileIsCutBackWhenTheObjectsAtItsEndAreGone() throws Exception {
        int objects = (int) (2 * BodyFile.TRUNCATE_SLACK / (4 * CHUNK));
        try (RocksDiskTier tier = open()) {
            for (int i = 0; i < objects; i++) {
                tier.storeWhole("s /" + i, response(List.of()), body(4), 1);
            }
            long full = Files.size(dir.resolve(RocksDiskTier.BODY_FILE));
            assertThat(full).isGreaterThan(BodyFile.TRUNCATE_SLACK);
            assertThat(tier.stats().fileBytes()).as("up to the last block in use").isBetween(full, full + BodyFile.BLOCK);
            for (int i = objects - 1; i >= 0; i--) {
                tier.remove("s /" + i);
            }
            assertThat(tier.stats().fileBytes()).isZero();
            assertThat(Files.size(dir.resolve(RocksDiskTier.BODY_FILE))).isLessThan(BodyFile.TRUNCATE_SLACK);
            tier.storeWhole("s /again", response(List.of()), body(4), 1);
            assertThat(tier.readChunks("s /again", tier.entries("s /again").get(0)).orElseThrow()).isDeepEqualTo(body(4));
        }
    }

    @Test
    void underConcurrentWritesRemovalsEvictionsAndReadsEveryReadIsWholeOrAMissAndAllSpaceComesBack() throws Exception {
        // a budget of about a hundred objects for three hundred keys: every write evicts, runs are reused all along
        try (RocksDiskTier tier = RocksDiskTier.open(dir, 1L << 20, 8L << 20, CHUNK, io, budget, k -> { })) {
            ExecutorService workers = Executors.newFixedThreadPool(4);
            List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int seed = w;
                done.add(workers.submit(() -> {
                    java.util.Random random = new java.util.Random(seed);
                    int wholeReads = 0;
                    for (int op = 0; op < 3_000; op++) {
                        String key = "s /" + random.nextInt(300);
                        int action = random.nextInt(10);
                        if (action < 4) {
                            int chunks = 1 + random.nextInt(3);
                            tier.storeWhole(key, response(List.of()), filled(chunks, random.nextInt(256)), 1);
                        } else if (action < 5) {
                            tier.remove(key);
                        } else {
                            List<DiskEntry> entries = tier.entries(key);
                            if (entries.isEmpty()) {
                                continue;
                            }
                            Optional<byte[][]> read = tier.readChunks(key, entries.get(0));
                            if (read.isPresent()) {
                                assertWhole(read.get(), entries.get(0));
                                wholeReads++;
                            }
                        }
                    }
                    return wholeReads;
                }));
            }
            int wholeReads = 0;
            for (java.util.concurrent.Future<Integer> f : done) {
                wholeReads += f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
            workers.shutdown();
            assertThat(wholeReads).isPositive();
            assertThat(tier.stats().corrupt()).as("a read that lost its race is a miss, not corruption").isZero();
            assertThat(tier.stats().fileBytes()).as("within the budget plus holes").isLessThan(4L << 20);
            tier.clear();
            assertThat(tier.stats().fileBytes()).as("every run freed once the objects are gone").isZero();
        }
        try (RocksDiskTier tier = open()) {
            assertThat(tier.stats().entries()).isZero();
            assertThat(tier.stats().fileBytes()).isZero();
        }
    }

    /** Chunk i of a body filled with {@code fill + i}; the last chunk 100 bytes. */
    private static byte[][] filled(int chunks, int fill) {
        byte[][] out = new byte[chunks][];
        for (int i = 0; i < chunks; i++) {
            out[i] = new byte[i == chunks - 1 ? 100 : CHUNK];
            java.util.Arrays.fill(out[i], (byte) (fill + i));
        }
        return out;
    }

    /** A body read back is one object's, whole: its entry's lengths, and every chunk filled as {@link #filled} filled it. */
    private static void assertWhole(byte[][] body, DiskEntry entry) {
        assertThat(body.length).isEqualTo(entry.chunkCount());
        byte fill = body[0][0];
        long length = 0;
        for (int i = 0; i < body.length; i++) {
            assertThat(body[i]).hasSize(i == body.length - 1 ? 100 : CHUNK);
            for (byte b : body[i]) {
                if (b != (byte) (fill + i)) {
                    throw new AssertionError("chunk " + i + " of generation " + entry.generation() + " holds another's bytes");
                }
            }
            length += body[i].length;
        }
        assertThat(length).isEqualTo(entry.bodyLength());
    }

    @Test
    void aReadOnAnInterruptedThreadFailsAloneAndTheObjectStaysReadable() throws Exception {
        try (RocksDiskTier tier = open()) {
            tier.storeWhole("s /i", response(List.of()), body(2), 1);
            DiskEntry entry = tier.entries("s /i").get(0);
            Thread.currentThread().interrupt(); // closes the file's channel under every thread
            try {
                assertThat(tier.readChunks("s /i", entry)).isEmpty();
            } finally {
                Thread.interrupted();
            }
            assertThat(tier.stats().corrupt()).as("a failed read is not corruption").isZero();
            assertThat(tier.readChunks("s /i", entry).orElseThrow()).isDeepEqualTo(body(2));
            tier.storeWhole("s /j", response(List.of()), body(2), 1);
            assertThat(tier.readChunks("s /j", tier.entries("s /j").get(0)).orElseThrow()).isDeepEqualTo(body(2));
        }
    }

    @Test
    void tagRowsLiveAndDieWithTheirObjects() throws Exception {
        try (RocksDiskTier tier = open()) {
            tier.storeWhole("s /1", response(List.of("a", "b")), body(1), 1);
            tier.storeWhole("s /2", response(List.of("a")), body(1), 1);
            assertThat(tier.primaryKeysTagged("a")).containsExactlyInAnyOrder("s /1", "s /2");
            tier.storeWhole("s /1", response(List.of("c")), body(1), 1);
            assertThat(tier.primaryKeysTagged("a")).containsExactly("s /2");
            assertThat(tier.primaryKeysTagged("b")).isEmpty();
            tier.remove("s /2");
        }
        try (RawRocks raw = new RawRocks(dir)) {
            assertThat(raw.count("tags")).as("only s /1's tag c is left").isEqualTo(1);
            assertThat(raw.count("meta")).isEqualTo(1);
            assertThat(raw.count("extents")).isEqualTo(1);
        }
    }

    @Test
    void withRecycledWalFilesAKilledProcessStillRecoversEveryCommittedObject() throws Exception {
        // ~40 MB through 16 MB memtables: several WAL files are switched, freed and reused before the "kill"
        int objects = 160;
        RocksDiskTier killed = RocksDiskTier.open(dir, 256L << 20, 8L << 20, 64 << 10, io, budget, k -> evicted.incrementAndGet());
        for (int i = 0; i < objects; i++) {
            killed.storeWhole("s /" + i, response(List.of()), bigBody(i), 1);
        }
        killed.closeAsIfKilled();
        try (RocksDiskTier tier = RocksDiskTier.open(dir, 256L << 20, 8L << 20, 64 << 10, io, budget, k -> { })) {
            for (int i = 0; i < objects; i++) {
                DiskEntry entry = tier.entries("s /" + i).get(0);
                assertThat(tier.readChunks("s /" + i, entry).orElseThrow()).as("s /" + i).isDeepEqualTo(bigBody(i));
            }
            assertThat(tier.stats().corrupt()).isZero();
        }
        try (var logs = java.nio.file.Files.list(dir)) {
            assertThat(logs.filter(f -> f.toString().endsWith(".log")).count())
                    .as("the WAL stays a few files").isLessThanOrEqualTo(RocksDiskTier.RECYCLED_WAL_FILES + 2L);
        }
    }

    /** Stores {@code body} under {@code key} in a tier opened and closed for it; its generation. */
    private long storedGeneration(String key, byte[][] body) throws Exception {
        try (RocksDiskTier tier = open()) {
            tier.storeWhole(key, response(List.of()), body, 1);
            return tier.entries(key).get(0).generation();
        }
    }

    /** A "chunks" value as versions before the body file wrote it: the keyed checksum, then the bytes. */
    private static byte[] legacyChunkValue(byte[] key, byte[] chunk, int length) {
        return java.nio.ByteBuffer.allocate(4 + length).putInt(RecordCodec.chunkCrc(key, chunk, 0, length)).put(chunk, 0, length)
                .array();
    }

    private BodyFile.Extent extent(long generation, int index) throws Exception {
        try (RawRocks raw = new RawRocks(dir)) {
            return RecordCodec.extent(raw.db().get(raw.cf("extents"), RecordCodec.chunkKey(generation, index))).orElseThrow();
        }
    }

    private void flipBodyFileByte(long offset) throws Exception {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve(RocksDiskTier.BODY_FILE),
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 1)).rewind();
            ch.write(b, offset);
        }
    }

    private static byte[][] bigBody(int seed) {
        byte[][] out = new byte[4][];
        for (int c = 0; c < out.length; c++) {
            out[c] = new byte[64 << 10];
            java.util.Arrays.fill(out[c], (byte) (seed * 7 + c));
        }
        return out;
    }
}
