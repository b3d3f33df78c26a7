package io.blueorigin.cdn.storage;

import static io.blueorigin.cdn.storage.StoreFixtures.bytes;
import static io.blueorigin.cdn.storage.StoreFixtures.read;
import static io.blueorigin.cdn.storage.StoreFixtures.response;
import static io.blueorigin.cdn.storage.StoreFixtures.store;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.Field;
import io.blueorigin.cdn.httpcache.FieldList;
import io.blueorigin.cdn.storage.rocks.RocksDiskTier;
import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store configuration must do, run against each (heap only; heap over disk). After every
 * test: each tier within its budget, and every heap-resident object also found by a full lookup.
 */
abstract class CacheStoreContract {
    /** Heap budget of the stores under test. */
    static final long HEAP = 4L << 20;
    /** Objects above this skip the heap. */
    static final long HEAP_OBJECT = 64 * 1024;
    static final int CHUNK = 16 * 1024;

    TieredStore store;

    abstract TieredStore open();

    /** A store of this configuration large enough to hold {@link #MANY} small objects. */
    abstract TieredStore openForMany();

    /** Objects of the bulk tag test. */
    static final int MANY = 200_000;

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void checkInvariantsAndClose() {
        store.cleanUp();
        for (TierStats tier : store.stats()) {
            assertThat(tier.bytes()).as(tier.tier() + " tier within budget").isLessThanOrEqualTo(tier.maxBytes());
        }
        store.close();
    }

    @Test
    void taggedCountsEveryKeyAndListsTheFirstOnesInKeyOrderWithTheirTaggedVariantsOnly() {
        store(store, "s /t3", "", bytes(30, 3), List.of("t", "other"), 8192);
        store(store, "s /t1", "en", bytes(10, 1), List.of("t"), 8192);
        store(store, "s /t1", "fr", bytes(11, 2), List.of("untagged-variant"), 8192);
        store(store, "s /t2", "", bytes(20, 2), List.of("t"), 8192);
        store(store, "s /u", "", bytes(5, 4), List.of("other"), 8192);

        CacheStore.Tagged two = store.tagged("t", 2);
        assertThat(two.keyCount()).isEqualTo(3);
        assertThat(two.keysListed()).isEqualTo(2);
        assertThat(two.truncated()).isTrue();
        // every tier's copy is listed; s /t1's fr variant does not carry the tag
        assertThat(two.copies()).extracting(CacheStore.KeyedCopy::primaryKey).containsOnly("s /t1", "s /t2")
                .startsWith("s /t1").endsWith("s /t2");
        assertThat(two.copies()).filteredOn(c -> c.primaryKey().equals("s /t1"))
                .allSatisfy(c -> assertThat(c.copy().response().varyKey()).isEqualTo("en"))
                .allSatisfy(c -> assertThat(c.copy().bodyLength()).isEqualTo(10));

        CacheStore.Tagged all = store.tagged("t", 100);
        assertThat(all.truncated()).isFalse();
        assertThat(all.copies()).extracting(CacheStore.KeyedCopy::primaryKey).contains("s /t3");
        assertThat(store.tagged("none", 100)).isEqualTo(new CacheStore.Tagged(0, 0, List.of()));
        assertThat(store.tagged("t", 0).copies()).isEmpty();
        assertThat(store.lookup("s /t1").all()).hasSize(2); // read-only: nothing removed
    }

    @Test
    void anObjectIsVisibleOnlyOnceCommittedAndAnAbortedOneNever() {
        ObjectWriter writer = store.begin("s /a", response("", List.of()), 10);
        writer.write(ByteBuffer.wrap(bytes(10, 1)));
        assertThat(store.lookup("s /a").isEmpty()).isTrue();
        StoredObject stored = writer.commit(response("", List.of())).orElseThrow();
        assertThat(store.lookupInMemory("s /a").all()).containsExactly(stored);
        assertThat(read(store.lookup("s /a").all().get(0).body())).isEqualTo(bytes(10, 1));
        assertThat(stored.response().contentLength()).isEqualTo(10);

        ObjectWriter aborted = store.begin("s /b", response("", List.of()), 10);
        aborted.write(ByteBuffer.wrap(bytes(5, 1)));
        aborted.abort(new IllegalStateException("upstream reset"));
        assertThat(store.lookup("s /b").isEmpty()).isTrue();
        assertThat(store.mayHaveOnDisk("s /b")).isFalse();
    }

    @Test
    void aSoftPurgeMarksEveryVariantStaleAndKeepsTheBodies() {
        store(store, "s /soft", "accept-language=en\u001f", bytes(10, 1), List.of("t"), 4096);
        store(store, "s /soft", "accept-language=fr\u001f", bytes(3000, 2), List.of("t"), 4096);
        store(store, "s /other", "", bytes(10, 3), List.of("t"), 4096);
        long now = 2_000;
        assertThat(store.lookup("s /soft").all()).allSatisfy(o -> assertThat(o.response().isFresh(now)).isTrue());

        assertThat(store.markStale("s /soft", now)).isEqualTo(2);
        assertThat(store.lookup("s /soft").all()).hasSize(2).allSatisfy(o -> {
            assertThat(o.response().isFresh(now)).isFalse();
            assertThat(read(o.body())).hasSizeGreaterThan(0);
        });
        assertThat(store.lookup("s /other").all().get(0).response().isFresh(now)).isTrue();
        assertThat(store.markStale("s /missing", now)).isZero();

        assertThat(store.markTaggedStale("t", now)).isEqualTo(3);
        assertThat(store.lookup("s /other").all().get(0).response().isFresh(now)).isFalse();
    }

    @Test
    void clearRemovesEverythingAndPrimaryKeysListsWhatIsHeld() {
        store(store, "s /1", bytes(10, 1));
        store(store, "s /2", "", bytes(3000, 2), List.of("x"), 8192);
        assertThat(store.primaryKeys()).containsExactlyInAnyOrder("s /1", "s /2");
        assertThat(store.clear()).isEqualTo(2);
        assertThat(store.primaryKeys()).isEmpty();
        assertThat(store.lookup("s /1").isEmpty()).isTrue();
        assertThat(store.lookup("s /2").isEmpty()).isTrue();
        assertThat(store.removeTagged("x")).isZero();
    }

    @Test
    void markersAreReadBackAndAbsentUntilWritten() {
        assertThat(store.marker("invalidation", -1)).isEqualTo(-1);
        store.putMarker("invalidation", 42);
        store.putMarker("invalidation", 43);
        assertThat(store.marker("invalidation", -1)).isEqualTo(43);
        assertThat(store.marker("other", 7)).isEqualTo(7);
    }

    @Test
    void variantsAreKeptPerSecondaryKeyReplacedAndRemovedTogether() {
        store(store, "s /v", "accept-language=en\u001f", bytes(10, 1), List.of(), 4096);
        store(store, "s /v", "accept-language=fr\u001f", bytes(20, 2), List.of(), 4096);
        Variants v = store.lookup("s /v");
        assertThat(v.size()).isEqualTo(2);
        StoredObject fr = v.select(new FieldList(List.of(new Field("Accept-Language", "FR"))));
        assertThat(fr).isNotNull();
        assertThat(read(fr.body())).isEqualTo(bytes(20, 2));
        store(store, "s /v", "accept-language=fr\u001f", bytes(30, 3), List.of(), 4096);
        Variants after = store.lookup("s /v");
        assertThat(after.size()).isEqualTo(2);
        assertThat(read(after.select(new FieldList(List.of(new Field("Accept-Language", "fr")))).body())).isEqualTo(bytes(30, 3));
        assertThat(store.remove("s /v")).isEqualTo(2);
        assertThat(store.lookup("s /v").isEmpty()).isTrue();
    }

    @Test
    void freshenKeepsTheBodyAndReplacesTheMetadata() {
        StoredObject stored = store(store, "s /f", bytes(100, 4)).orElseThrow();
        CachedResponse newer = new CachedResponse(200, List.of(new Field("X-New", "1")), 5000, 5000, 0, 120_000, 0, 0,
                false, false, false, Optional.empty(), -1, -1, List.of(), "", List.of(), 100);
        store.freshen("s /f", stored, newer);
        StoredObject again = store.lookup("s /f").all().get(0);
        assertThat(again.response().freshnessLifetimeMillis()).isEqualTo(120_000);
        assertThat(read(again.body())).isEqualTo(bytes(100, 4));
    }

    @Test
    void tagsFollowA304ThatChangesSurrogateKey() {
        store(store, "s /retag", "", bytes(10, 1), List.of("old", "kept"), 4096);
        List<String> keys = List.of("s /retag");
        if (store.disk().isPresent()) { // one the heap tier does not hold
            store(store, "s /large-retag", "", bytes((int) HEAP_OBJECT * 2, 2), List.of("old", "kept"), 10_000);
            keys = List.of("s /retag", "s /large-retag");
        }
        for (String key : keys) {
            StoredObject stored = store.lookup(key).all().get(0);
            store.freshen(key, stored, withTags(stored.response(), List.of("kept", "new")));
        }
        assertThat(store.removeTagged("old")).as("the old tag no longer names them").isZero();
        assertThat(store.lookup("s /retag").isEmpty()).isFalse();
        assertThat(store.removeTagged("new")).isEqualTo(keys.size());
        for (String key : keys) {
            assertThat(store.lookup(key).isEmpty()).as(key).isTrue();
        }
    }

    /** {@code response} with other surrogate keys, as a 304 carrying a new Surrogate-Key makes it. */
    static CachedResponse withTags(CachedResponse r, List<String> tags) {
        return new CachedResponse(r.status(), r.fields(), r.requestTimeMillis() + 1, r.responseTimeMillis() + 1,
                r.correctedInitialAgeMillis(), r.freshnessLifetimeMillis(), r.staleWhileRevalidateMillis(), r.staleIfErrorMillis(),
                r.mustRevalidate(), r.sharedMaxAge(), r.noCache(), r.etag(), r.lastModifiedMillis(), r.dateMillis(), r.varyFields(),
                r.varyKey(), tags, r.contentLength());
    }

    @Test
    void tagPurgesSoftPurgesAndSweepsOver200kObjectsReadNoBodyAndPromoteNothing() {
        store.close();
        store = openForMany();
        for (int i = 0; i < MANY; i++) {
            store(store, "s /many/" + i, "", bytes(1 + i % 64, i), List.of("all", i % 2 == 0 ? "even" : "odd"), 4096);
        }
        store.cleanUp();
        long began = System.nanoTime();
        long heapHits = store.stats().get(0).hits();
        long chunkReads = store.disk().map(RocksDiskTier::chunkReads).orElse(0L);

        assertThat(store.markTaggedStale("even", 2_000)).isEqualTo(MANY / 2);
        // a ban: objects whose key ends in 7 (every tenth), judged without reading them
        assertThat(store.removeIf((key, responseTime) -> key.endsWith("7") && responseTime < 2_000)).isEqualTo(MANY / 10);
        assertThat(store.removeTagged("odd")).as("odd ones the ban left").isEqualTo(MANY / 2 - MANY / 10);

        System.out.printf("%s: %d objects: soft purge, sweep and tag purge took %d ms%n", getClass().getSimpleName(), MANY,
                (System.nanoTime() - began) / 1_000_000);
        assertThat(store.stats().get(0).promotions()).as("nothing promoted into the heap").isZero();
        assertThat(store.stats().get(0).hits()).as("no lookup of the objects").isEqualTo(heapHits);
        assertThat(store.disk().map(RocksDiskTier::chunkReads).orElse(0L)).as("no body read").isEqualTo(chunkReads);
        StoredObject even = store.lookup("s /many/4").all().get(0);
        assertThat(even.response().isFresh(2_000)).as("soft-purged").isFalse();
        assertThat(read(even.body())).isEqualTo(bytes(1 + 4, 4));
        assertThat(store.lookup("s /many/3").isEmpty()).isTrue();
        assertThat(store.lookup("s /many/17").isEmpty()).isTrue();
        assertThat(store.removeTagged("all")).as("the even ones").isEqualTo(MANY / 2);
    }

    @Test
    void surrogateKeysRemoveEveryTaggedObjectAndTheIndexForgetsThem() {
        store(store, "s /t1", "", bytes(10, 1), List.of("items", "item-1"), 4096);
        store(store, "s /t2", "", bytes(10, 2), List.of("items", "item-2"), 4096);
        store(store, "s /t3", "", bytes(10, 3), List.of("other"), 4096);
        assertThat(store.removeTagged("items")).isEqualTo(2);
        assertThat(store.lookup("s /t1").isEmpty()).isTrue();
        assertThat(store.lookup("s /t2").isEmpty()).isTrue();
        assertThat(store.lookup("s /t3").isEmpty()).isFalse();
        assertThat(store.removeTagged("items")).isZero();
        assertThat(store.removeTagged("item-1")).isZero();
        assertThat(store.heap().taggedPrimaryKeys("items")).isEmpty();
    }

    @Test
    void aMultiChunkObjectReadsBackByteForByteFromAnyOffset() {
        byte[] body = bytes(3 * CHUNK + 123, 9);
        StoredObject stored = store(store, "s /m", "", body, List.of(), 5000).orElseThrow();
        assertThat(read(stored.body())).isEqualTo(body);
        Variants v = store.lookup("s /m");
        assertThat(read(v.all().get(0).body())).isEqualTo(body);
        byte[] tail = read(v.all().get(0).body().reader(CHUNK + 7));
        assertThat(tail).isEqualTo(java.util.Arrays.copyOfRange(body, CHUNK + 7, body.length));
    }

    @Test
    void aReaderFollowsABodyWhileItIsWritten() {
        byte[] body = bytes(2 * CHUNK + 50, 5);
        ObjectWriter writer = store.begin("s /rww", response("", List.of()), body.length);
        BodyReader early = writer.body().reader();
        writer.write(ByteBuffer.wrap(body, 0, CHUNK + 10));
        writer.write(ByteBuffer.wrap(body, CHUNK + 10, body.length - CHUNK - 10));
        writer.commit(response("", List.of()));
        assertThat(read(early)).isEqualTo(body);
    }

    @Test
    void theHeapStaysWithinItsBudgetUnderChurn() {
        for (int i = 0; i < 300; i++) {
            store(store, "s /churn" + i, bytes(32 * 1024, i));
        }
        store.cleanUp();
        TierStats heap = store.stats().get(0);
        assertThat(heap.bytes()).isLessThanOrEqualTo(HEAP);
        assertThat(heap.evictions()).isPositive();
    }
}
