package io.blueorigin.cdn.storage;

import static io.blueorigin.cdn.storage.StoreFixtures.bytes;
import static io.blueorigin.cdn.storage.StoreFixtures.read;
import static io.blueorigin.cdn.storage.StoreFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.blueorigin.cdn.storage.rocks.RocksDiskTier;
import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A disk that fills while the node runs: the store stops writing to it, says why, and keeps serving what
 * it has and storing in memory. Needs a small filesystem of its own: a 96 MB tmpfs, mounted for the test
 * (skipped where this process may not mount, i.e. without root).
 */
class DiskFullIT {
    private Path mount;
    private boolean mounted;

    @BeforeEach
    void mountSmallFilesystem() throws Exception {
        mount = Files.createTempDirectory("disk-full");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        mounted = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here (needs root); skipping the disk-full test");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(mount);
    }

    @Test
    void aFullDiskDegradesTheStoreToMemoryWithoutFailingReads() {
        // the disk budget (1 GB) is larger than the filesystem (96 MB): the disk fills before the budget
        try (TieredStore store = TieredStore.open(new StorageConfig(8L << 20, 256 * 1024, Optional.of(mount), 1L << 30, 64L << 20,
                256 * 1024), "full")) {
            byte[] first = bytes(100_000, 1);
            store(store, "s /first", first);
            int written = 0;
            for (int i = 0; i < 400 && store.degraded().isEmpty(); i++) {
                store(store, "s /fill" + i, "", bytes(1 << 20, i), List.of(), 64 * 1024);
                written++;
            }
            assertThat(store.degraded()).as("after %d MB", written).contains("disk full");
            TierStats disk = store.stats().get(1);
            assertThat(disk.writeErrors()).isPositive();
            assertThat(disk.degraded()).contains("store.disk.path " + mount);

            // reads keep working, and small objects are still stored in memory
            assertThat(read(store.lookup("s /first").all().get(0).body())).isEqualTo(first);
            byte[] later = bytes(50_000, 7);
            assertThat(store(store, "s /later", later)).isPresent();
            assertThat(read(store.lookupInMemory("s /later").all().get(0).body())).isEqualTo(later);
        }
    }

    @Test
    void aDiskFilledBySomethingElseTakesWritesAgainOnceTheRoomIsBack() throws Exception {
        // issue 17's chaos case: another file (a log, a core dump) fills the filesystem under a running store, so
        // RocksDB's own writes (log, flush) fail as well as the body file's; freeing the room must be enough
        ExecutorService reads = Executors.newSingleThreadExecutor();
        byte[][] body = new byte[4][64 * 1024];
        Path filler = mount.resolve("filler");
        try (RocksDiskTier tier = RocksDiskTier.open(mount.resolve("rocks"), 1L << 30, 8L << 20, 64 * 1024, reads,
                new MemoryBudget(64L << 20), k -> { })) {
            assertThat(tier.storeWhole("s /before", StoreFixtures.response("", List.of()), body, 1)).isTrue();
            fill(filler);
            for (int i = 0; i < 200 && tier.degraded().isEmpty(); i++) {
                tier.storeWhole("s /full" + i, StoreFixtures.response("", List.of()), body, 1);
            }
            assertThat(tier.degraded()).contains("disk full");
            assertThat(tier.contains("s /before")).as("what it had is still there").isTrue();

            Files.delete(filler);
            tier.probeWritable();
            assertThat(tier.degraded()).as("writable again once the room is back").isEmpty();
            assertThat(tier.storeWhole("s /after", StoreFixtures.response("", List.of()), body, 1)).isTrue();
            assertThat(tier.contains("s /after")).isTrue();
        } finally {
            reads.shutdownNow();
        }
    }

    /** Writes {@code file} until the filesystem has no room left. */
    private static void fill(Path file) throws Exception {
        byte[] block = new byte[1 << 20];
        try (var out = Files.newOutputStream(file)) {
            for (int i = 0; i < 200; i++) {
                out.write(block);
            }
        } catch (java.io.IOException e) {
            assertThat(e.getMessage()).contains("No space");
            return;
        }
        throw new AssertionError("200 MB fitted on a 96 MB tmpfs");
    }

    @Test
    void aDiskFilledByTheBodyFileHasItsRoomBackWhenTheObjectsGoAndTakesWritesAfterTheProbe() throws Exception {
        ExecutorService reads = Executors.newSingleThreadExecutor();
        byte[][] body = new byte[4][256 * 1024];
        try (RocksDiskTier tier = RocksDiskTier.open(mount.resolve("rocks"), 1L << 30, 8L << 20, 256 * 1024, reads,
                new MemoryBudget(64L << 20), k -> { })) {
            int stored = 0;
            for (int i = 0; i < 200 && tier.degraded().isEmpty(); i++) {
                if (tier.storeWhole("s /" + i, StoreFixtures.response("", List.of()), body, 1)) {
                    stored++;
                }
            }
            assertThat(tier.degraded()).as("after %d MB", stored).contains("disk full");
            assertThat(tier.stats().fileBytes()).isPositive();
            for (int i = 0; i < stored; i++) {
                tier.remove("s /" + i);
            }
            assertThat(tier.stats().fileBytes()).isZero();
            tier.probeWritable();
            assertThat(tier.degraded()).isEmpty();
            assertThat(tier.storeWhole("s /again", StoreFixtures.response("", List.of()), body, 1)).isTrue();
        } finally {
            reads.shutdownNow();
        }
    }
}
