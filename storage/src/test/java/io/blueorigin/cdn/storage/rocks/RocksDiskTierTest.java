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
            assertThat(raw.count("chunks")).as("s /1's one chunk and its seal").isEqualTo(2);
        }
    }

    // Chunks go to disk without the WAL; the meta record does not. A killed process loses the chunks still in
    // a memtable while the WAL brings their meta records back: the seal tells them apart at the next open.

    @Test
    void anObjectWhoseChunksACrashLostIsDroppedAtTheNextOpenNotServed() throws Exception {
        RocksDiskTier killed = open();
        killed.storeWhole("s /whole", response(List.of("t")), body(3), 1);
        RocksDiskTier.Write spill = killed.begin("s /spilled", "");
        spill.persist(0, new byte[CHUNK], CHUNK);
        spill.persist(1, new byte[CHUNK], CHUNK);
        assertThat(spill.commit(response(List.of()), 2L * CHUNK, 1)).isTrue();
        killed.closeAsIfKilled();
        try (RawRocks raw = new RawRocks(dir)) {
            assertThat(raw.count("meta")).as("the WAL kept the meta records").isEqualTo(2);
            assertThat(raw.count("chunks")).as("the memtable with the chunks was lost").isZero();
        }
        try (RocksDiskTier tier = open()) {
            assertThat(tier.contains("s /whole")).isFalse();
            assertThat(tier.contains("s /spilled")).isFalse();
            assertThat(tier.unsealedAtOpen()).isEqualTo(2);
            assertThat(tier.stats().corrupt()).isZero();
            assertThat(tier.primaryKeysTagged("t")).isEmpty();
        }
        try (RawRocks raw = new RawRocks(dir)) {
            assertThat(raw.count("meta")).isZero();
            assertThat(raw.count("tags")).isZero();
            assertThat(raw.count("pending")).isZero();
        }
    }

    @Test
    void objectsFlushedBeforeACrashSurviveIt() throws Exception {
        try (RocksDiskTier tier = open()) {
            tier.storeWhole("s /old", response(List.of()), body(2), 1);
        } // a clean close flushes the memtables
        RocksDiskTier killed = open();
        killed.storeWhole("s /new", response(List.of()), body(2), 1);
        killed.closeAsIfKilled();
        try (RocksDiskTier tier = open()) {
            assertThat(tier.contains("s /new")).isFalse();
            DiskEntry old = tier.entries("s /old").get(0);
            byte[][] chunks = tier.readChunks("s /old", old).orElseThrow();
            assertThat(chunks).isDeepEqualTo(body(2));
            assertThat(tier.unsealedAtOpen()).isEqualTo(1);
        }
    }

    @Test
    void aMetaRecordWhoseSealIsMissingIsDroppedButAVersion1RecordNeedsNone() throws Exception {
        long sealedGeneration;
        long olderGeneration;
        try (RocksDiskTier tier = open()) {
            tier.storeWhole("s /sealed", response(List.of()), body(2), 1);
            tier.storeWhole("s /v1", response(List.of()), body(2), 1);
            sealedGeneration = tier.entries("s /sealed").get(0).generation();
            olderGeneration = tier.entries("s /v1").get(0).generation();
        }
        try (RawRocks raw = new RawRocks(dir)) {
            raw.db().delete(raw.cf("chunks"), RecordCodec.sealKey(sealedGeneration, 2));
            raw.db().delete(raw.cf("chunks"), RecordCodec.sealKey(olderGeneration, 2));
            // a record from before chunks left the WAL: version 1 (the byte before the checksum'd part), no seal
            byte[] key = RecordCodec.metaKey("s /v1", "accept=x\u001f");
            byte[] value = raw.db().get(raw.cf("meta"), key);
            value[2] = 1;
            raw.db().put(raw.cf("meta"), key, value);
        }
        try (RocksDiskTier tier = open()) {
            assertThat(tier.contains("s /sealed")).isFalse();
            assertThat(tier.contains("s /v1")).isTrue();
            assertThat(tier.readChunks("s /v1", tier.entries("s /v1").get(0)).orElseThrow()).isDeepEqualTo(body(2));
        }
    }

    @Test
    void removingAnObjectDeletesItsSealToo() throws Exception {
        try (RocksDiskTier tier = open()) {
            tier.storeWhole("s /r", response(List.of()), body(3), 1);
            RocksDiskTier.Write spill = tier.begin("s /s", "accept=x\u001f");
            spill.persist(0, new byte[CHUNK], CHUNK);
            spill.commit(response(List.of()), CHUNK, 1);
            tier.storeWhole("s /s", response(List.of()), body(1), 2); // replaces the spilled version
            tier.remove("s /r");
        }
        try (RawRocks raw = new RawRocks(dir)) {
            assertThat(raw.count("chunks")).as("s /s's one chunk and its seal").isEqualTo(2);
        }
    }
}
