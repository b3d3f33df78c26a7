package io.blueorigin.cdn.storage.rocks;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.storage.MemoryBudget;
import io.blueorigin.cdn.httpcache.EntityTag;
import io.blueorigin.cdn.httpcache.Field;
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
        try (RocksDiskTier tier = open()) {
            tier.storeWhole("s /c", response(List.of()), body(3), 1);
        }
        long generation;
        try (RocksDiskTier tier = open()) {
            generation = tier.entries("s /c").get(0).generation();
        }
        try (RawRocks raw = new RawRocks(dir)) {
            byte[] key = RecordCodec.chunkKey(generation, 1);
            byte[] value = raw.db().get(raw.cf("chunks"), key);
            value[10] ^= 0x01;
            raw.db().put(raw.cf("chunks"), key, value);
        }
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
        try (RocksDiskTier tier = open()) {
            tier.storeWhole("s /a", response(List.of()), body(3), 1);
            tier.storeWhole("s /b", response(List.of()), body(3), 1);
        }
        long a;
        long b;
        try (RocksDiskTier tier = open()) {
            a = tier.entries("s /a").get(0).generation();
            b = tier.entries("s /b").get(0).generation();
        }
        try (RawRocks raw = new RawRocks(dir)) {
            byte[] bsFirst = raw.db().get(raw.cf("chunks"), RecordCodec.chunkKey(b, 0));
            raw.db().put(raw.cf("chunks"), RecordCodec.chunkKey(a, 1), bsFirst);
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
        try (RocksDiskTier tier = open()) {
            tier.storeWhole("s /old", response(List.of()), body(2), 1);
        }
        long generation;
        try (RocksDiskTier tier = open()) {
            generation = tier.entries("s /old").get(0).generation();
        }
        byte[] bytes = new byte[100];
        java.util.Arrays.fill(bytes, (byte) 1); // body(2)'s last chunk
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes);
        byte[] earlier = java.nio.ByteBuffer.allocate(4 + bytes.length).putInt((int) crc.getValue()).put(bytes).array();
        try (RawRocks raw = new RawRocks(dir)) {
            raw.db().put(raw.cf("chunks"), RecordCodec.chunkKey(generation, 1), earlier);
        }
        try (RocksDiskTier tier = open()) {
            byte[][] chunks = tier.readChunks("s /old", tier.entries("s /old").get(0)).orElseThrow();
            assertThat(chunks[1]).isEqualTo(bytes);
            assertThat(tier.stats().corrupt()).isZero();
        }
    }

    @Test
    void chunksOfAWriteACrashInterruptedAreDeletedAtTheNextOpen() throws Exception {
        try (RocksDiskTier tier = open()) {
            RocksDiskTier.Write write = tier.begin("s /torn", "");
            write.persist(0, new byte[CHUNK], CHUNK);
            write.persist(1, new byte[CHUNK], CHUNK);
            // no commit: the process "dies" here
        }
        try (RawRocks raw = new RawRocks(dir)) {
            assertThat(raw.count("chunks")).isEqualTo(2);
            assertThat(raw.count("pending")).isEqualTo(1);
        }
        try (RocksDiskTier tier = open()) {
            assertThat(tier.contains("s /torn")).isFalse();
        }
        try (RawRocks raw = new RawRocks(dir)) {
            assertThat(raw.count("chunks")).isZero();
            assertThat(raw.count("pending")).isZero();
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
            assertThat(raw.count("chunks")).isEqualTo(1);
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

    private static byte[][] bigBody(int seed) {
        byte[][] out = new byte[4][];
        for (int c = 0; c < out.length; c++) {
            out[c] = new byte[64 << 10];
            java.util.Arrays.fill(out[c], (byte) (seed * 7 + c));
        }
        return out;
    }
}
