package io.blueorigin.cdn.storage;

import static io.blueorigin.cdn.storage.StoreFixtures.bytes;
import static io.blueorigin.cdn.storage.StoreFixtures.read;
import static io.blueorigin.cdn.storage.StoreFixtures.response;
import static io.blueorigin.cdn.storage.StoreFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.storage.rocks.DiskBody;
import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on heap over disk, and what only a disk tier does: survive restarts, spill, promote, check. */
class TieredStoreTest extends CacheStoreContract {
    static final long DISK = 64L << 20;

    @TempDir
    Path dir;

    @Override
    TieredStore open() {
        return TieredStore.open(config(), "test");
    }

    /** Room on disk and in the disk index for 200k small objects; the heap tier holds only a few of them. */
    @Override
    TieredStore openForMany() {
        return TieredStore.open(config().withDisk(dir, 1L << 30).withMemory(StorageConfig.defaultInFlightBytes(), 256L << 20),
                "test");
    }

    private StorageConfig config() {
        return new StorageConfig(HEAP, HEAP_OBJECT, Optional.of(dir), DISK, 32L << 20, CHUNK);
    }

    private void reopen() {
        store.close();
        store = open();
    }

    @Test
    void inspectNamesEveryTierHoldingAVariantWithoutPromotingOrCountingIt() {
        store(store, "s /both", bytes(1000, 1));
        store(store, "s /large", "", bytes((int) HEAP_OBJECT * 3 + 17, 2), List.of("big"), 10_000);
        assertThat(store.inspect("s /both")).extracting(CacheStore.TierCopy::tier).containsExactly("heap", "disk");
        assertThat(store.inspect("s /both")).extracting(CacheStore.TierCopy::bodyLength).containsOnly(1000L);
        assertThat(store.inspect("s /large")).extracting(CacheStore.TierCopy::tier).containsExactly("disk");
        assertThat(store.inspect("s /none")).isEmpty();
        reopen();
        long hits = store.stats().get(0).hits() + store.stats().get(1).hits();
        long misses = store.stats().get(0).misses() + store.stats().get(1).misses();
        assertThat(store.inspect("s /both")).extracting(CacheStore.TierCopy::tier).containsExactly("disk");
        assertThat(store.lookupInMemory("s /both").isEmpty()).as("not promoted").isTrue();
        assertThat(store.stats().get(0).hits() + store.stats().get(1).hits()).isEqualTo(hits);
        assertThat(store.stats().get(0).misses() + store.stats().get(1).misses()).isEqualTo(misses + 1); // lookupInMemory's
    }

    @Test
    void objectsSurviveARestartAndSmallOnesArePromotedToTheHeap() {
        byte[] small = bytes(1000, 1);
        byte[] large = bytes((int) HEAP_OBJECT * 3 + 17, 2);
        store(store, "s /small", small);
        store(store, "s /large", "", large, List.of("big"), 10_000);
        reopen();
        assertThat(store.lookupInMemory("s /small").isEmpty()).isTrue();
        assertThat(store.mayHaveOnDisk("s /small")).isTrue();
        Variants v = store.lookup("s /small");
        assertThat(read(v.all().get(0).body())).isEqualTo(small);
        assertThat(store.lookupInMemory("s /small").isEmpty()).as("promoted").isFalse();
        assertThat(store.stats().get(0).promotions()).isEqualTo(1);

        Variants big = store.lookup("s /large");
        assertThat(big.all().get(0).body()).isInstanceOf(DiskBody.class);
        assertThat(read(big.all().get(0).body())).isEqualTo(large);
        assertThat(store.lookupInMemory("s /large").isEmpty()).as("too large for the heap").isTrue();
        assertThat(store.removeTagged("big")).isEqualTo(1);
        reopen();
        assertThat(store.lookup("s /large").isEmpty()).isTrue();
    }

    @Test
    void aPurgeThatLandsWhileADiskReadIsBeingPromotedIsNotUndoneByThePromotion() {
        // seen in purge-propagation.sh: a lookup read a disk object, the purge removed it from both tiers, then
        // the lookup put its copy into the heap, and the edge served the purged object as a HIT until it expired
        store(store, "s /raced", bytes(1000, 7));
        reopen(); // in the disk tier only
        store.beforePromotion(() -> assertThat(store.remove("s /raced")).isEqualTo(1));
        assertThat(store.lookup("s /raced").size()).as("the lookup that began first still gets what it read").isEqualTo(1);
        store.beforePromotion(null);
        assertThat(store.lookupInMemory("s /raced").isEmpty()).as("not resurrected in the heap").isTrue();
        assertThat(store.mayHaveOnDisk("s /raced")).isFalse();
        assertThat(store.lookup("s /raced").isEmpty()).isTrue();
    }

    @Test
    void aSoftPurgeThatLandsWhileADiskReadIsBeingPromotedIsKept() {
        store(store, "s /soft", bytes(1000, 8));
        reopen();
        store.beforePromotion(() -> store.markStale("s /soft", 5_000));
        store.lookup("s /soft");
        store.beforePromotion(null);
        Variants afterwards = store.lookup("s /soft");
        assertThat(afterwards.all()).isNotEmpty().allMatch(o -> !o.response().isFresh(5_000));
        Variants inMemory = store.lookupInMemory("s /soft");
        assertThat(inMemory.all()).allMatch(o -> !o.response().isFresh(5_000));
    }

    @Test
    void softPurgesMarkersAndClearReachTheDiskAndSurviveARestart() {
        byte[] large = bytes((int) HEAP_OBJECT * 2, 4);
        store(store, "s /large", "", large, List.of("t"), 10_000);
        store(store, "s /small", bytes(100, 5));
        assertThat(store.markTaggedStale("t", 2_000)).isEqualTo(1);
        store.putMarker("invalidation", 99);
        reopen();
        StoredObject purged = store.lookup("s /large").all().get(0);
        assertThat(purged.response().isFresh(2_000)).as("the soft purge was written to disk").isFalse();
        assertThat(read(purged.body())).isEqualTo(large);
        assertThat(store.marker("invalidation", -1)).isEqualTo(99);
        assertThat(store.primaryKeys()).containsExactlyInAnyOrder("s /large", "s /small");

        assertThat(store.clear()).isEqualTo(2);
        reopen();
        assertThat(store.primaryKeys()).isEmpty();
        assertThat(store.marker("invalidation", -1)).as("markers are not objects").isEqualTo(99);
    }

    @Test
    void aLargeBodySpillsToDiskAsItArrivesAndEarlyReadersStillGetEveryByte() {
        byte[] body = bytes((int) HEAP_OBJECT * 4, 3);
        ObjectWriter writer = store.begin("s /spill", response("", List.of()), -1);
        BodyReader early = writer.body().reader();
        for (int i = 0; i < body.length; i += 7000) {
            writer.write(ByteBuffer.wrap(body, i, Math.min(7000, body.length - i)));
        }
        assertThat(writer.body().isSpilling()).isTrue();
        BodyReader late = writer.body().reader();
        writer.commit(response("", List.of()));
        assertThat(read(early)).isEqualTo(body);
        assertThat(read(late)).isEqualTo(body);
        assertThat(read(store.lookup("s /spill").all().get(0).body())).isEqualTo(body);
    }

    @Test
    void anObjectEvictedFromDiskLeavesTheHeapToo() {
        for (int i = 0; i < 2500; i++) {
            store(store, "s /e" + i, bytes(32 * 1024, i));
        }
        store.cleanUp();
        TierStats disk = store.stats().get(1);
        assertThat(disk.bytes()).isLessThanOrEqualTo(DISK);
        assertThat(disk.evictions()).isPositive();
        int inHeapNotOnDisk = 0;
        for (int i = 0; i < 2500; i++) {
            if (!store.lookupInMemory("s /e" + i).isEmpty() && !store.mayHaveOnDisk("s /e" + i)) {
                inHeapNotOnDisk++;
            }
        }
        assertThat(inHeapNotOnDisk).as("the heap holds only what the disk holds").isZero();
    }

    @Test
    void tagsChangedByA304AreStillFollowedAfterARestart() {
        store(store, "s /retag", "", bytes((int) HEAP_OBJECT * 2, 1), List.of("old"), 10_000);
        StoredObject stored = store.lookup("s /retag").all().get(0);
        store.freshen("s /retag", stored, withTags(stored.response(), List.of("new")));
        reopen();
        assertThat(store.lookup("s /retag").all().get(0).response().surrogateKeys()).containsExactly("new");
        assertThat(store.removeTagged("old")).isZero();
        assertThat(store.removeTagged("new")).isEqualTo(1);
        reopen();
        assertThat(store.lookup("s /retag").isEmpty()).isTrue();
    }

    @Test
    void aSoftPurgeOnDiskRewritesMetaRecordsOnlyAndPromotesNothing() {
        store(store, "s /soft", "", bytes(1000, 2), List.of("t"), 4096);
        reopen(); // on disk only
        long reads = store.disk().orElseThrow().chunkReads();
        assertThat(store.markTaggedStale("t", 2_000)).isEqualTo(1);
        assertThat(store.disk().orElseThrow().chunkReads()).isEqualTo(reads);
        assertThat(store.lookupInMemory("s /soft").isEmpty()).as("not promoted").isTrue();
        assertThat(store.lookup("s /soft").all().get(0).response().isFresh(2_000)).isFalse();
    }

    @Test
    void aBadDiskDirectoryIsAClearErrorAtOpen(@TempDir Path elsewhere) throws Exception {
        store.close();
        Path missing = elsewhere.resolve("missing");
        assertThatThrownBy(() -> TieredStore.open(config().withDisk(missing, DISK), "t"))
                .isInstanceOf(StoreOpenException.class)
                .hasMessageContaining("store.disk.path " + missing + " does not exist");
        Path foreign = Files.createDirectories(elsewhere.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "someone else's");
        assertThatThrownBy(() -> TieredStore.open(config().withDisk(foreign, DISK), "t"))
                .hasMessageContaining("already holds files that are not a Blue Origin store (notes.txt)");
        Path file = Files.writeString(elsewhere.resolve("afile"), "x");
        assertThatThrownBy(() -> TieredStore.open(config().withDisk(file, DISK), "t")).hasMessageContaining("is not a directory");
        store = open();
        assertThatThrownBy(() -> TieredStore.open(config(), "second"))
                .hasMessageContaining("in use by another process");
    }
}
