package io.blueorigin.cdn.proxy.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CacheKey;
import io.blueorigin.cdn.httpcache.range.Slices;
import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.VaryKey;
import io.blueorigin.cdn.storage.CacheStore;
import io.blueorigin.cdn.storage.ObjectWriter;
import io.blueorigin.cdn.storage.StorageConfig;
import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every kind of invalidation against a real store, heap-only and heap over disk. */
class InvalidatorTest {
    private static final long NOW = 1_000_000;
    @TempDir
    Path dir;
    private CacheStore store;
    private final LocalInvalidations local = new LocalInvalidations();
    private Invalidator invalidator;

    void open(boolean disk) {
        StorageConfig config = new StorageConfig(8L << 20, 1L << 20, Optional.empty(), 0, 4L << 20, 16 * 1024);
        store = TieredStore.open(disk ? config.withDisk(dir, 64L << 20) : config, "test");
        invalidator = new Invalidator(store, "default", Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), local);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private void put(String pathAndQuery, String... tags) {
        int q = pathAndQuery.indexOf('?');
        String key = q < 0 ? CacheKey.of("default", pathAndQuery, null).asString()
                : CacheKey.of("default", pathAndQuery.substring(0, q), pathAndQuery.substring(q + 1)).asString();
        CachedResponse r = new CachedResponse(200, List.of(), NOW - 10, NOW - 10, 0, 60_000, 0, 0, false, false, false,
                Optional.empty(), -1, -1, List.of(), VaryKey.NONE, List.of(tags), 3);
        ObjectWriter w = store.begin(key, r, 3);
        w.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        w.commit(r);
    }

    private boolean fresh(String path) {
        var v = store.lookup(CacheKey.of("default", path, null).asString());
        return !v.isEmpty() && v.all().get(0).response().isFresh(NOW);
    }

    private boolean held(String path) {
        return !store.lookup(CacheKey.of("default", path, null).asString()).isEmpty();
    }

    private static Invalidation entry(Invalidation.Kind kind, boolean soft, List<Invalidation.Url> urls, List<String> tags,
            Optional<Invalidation.BanSpec> ban) {
        return new Invalidation(7, kind, soft, urls, tags, ban);
    }

    @ParameterizedTest(name = "disk tier: {0}")
    @ValueSource(booleans = {false, true})
    void purgeRemovesTheUrlAndSoftPurgeMarksItStale(boolean disk) {
        open(disk);
        put("/a");
        put("/b");
        put("/c%7e");
        assertThat(invalidator.apply(entry(Invalidation.Kind.PURGE, false,
                List.of(new Invalidation.Url(null, "/a", null), new Invalidation.Url(null, "/c~", null)), List.of(),
                Optional.empty()))).as("keys are normalized like requests").isEqualTo(2);
        assertThat(held("/a")).isFalse();
        assertThat(held("/c~")).isFalse();
        assertThat(invalidator.apply(entry(Invalidation.Kind.PURGE, true, List.of(new Invalidation.Url(null, "/b", null)),
                List.of(), Optional.empty()))).isEqualTo(1);
        assertThat(held("/b")).isTrue();
        assertThat(fresh("/b")).isFalse();
    }

    /** Stores slice {@code index} of {@code path} as the proxy does: under the slice key, tagged with the key's slice tag. */
    private void putSlice(String path, long index) {
        String key = CacheKey.of("default", path, null).asString();
        CachedResponse r = Slices.tagged(new CachedResponse(206, List.of(), NOW - 10, NOW - 10, 0, 60_000, 0, 0, false,
                false, false, Optional.empty(), -1, -1, List.of(), VaryKey.NONE, List.of("videos"), 3), key);
        ObjectWriter w = store.begin(Slices.key(key, index), r, 3);
        w.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        w.commit(r);
    }

    private boolean sliceHeld(String path, long index) {
        return !store.lookup(Slices.key(CacheKey.of("default", path, null).asString(), index)).isEmpty();
    }

    private boolean sliceFresh(String path, long index) {
        var v = store.lookup(Slices.key(CacheKey.of("default", path, null).asString(), index));
        return !v.isEmpty() && v.all().get(0).response().isFresh(NOW);
    }

    @ParameterizedTest(name = "disk tier: {0}")
    @ValueSource(booleans = {false, true})
    void aUrlPurgeRemovesEverySliceOfTheObjectAndOnlyItsSlices(boolean disk) {
        open(disk);
        putSlice("/v.mp4", 0);
        putSlice("/v.mp4", 1);
        putSlice("/v.mp4", 15);
        putSlice("/w.mp4", 0);
        assertThat(invalidator.apply(entry(Invalidation.Kind.PURGE, true, List.of(new Invalidation.Url(null, "/v.mp4", null)),
                List.of(), Optional.empty()))).as("a soft purge marks the slices stale").isEqualTo(3);
        assertThat(sliceHeld("/v.mp4", 15)).isTrue();
        assertThat(sliceFresh("/v.mp4", 15) || sliceFresh("/v.mp4", 0)).isFalse();
        assertThat(invalidator.apply(entry(Invalidation.Kind.PURGE, false, List.of(new Invalidation.Url(null, "/v.mp4", null)),
                List.of(), Optional.empty()))).isEqualTo(3);
        assertThat(sliceHeld("/v.mp4", 0) || sliceHeld("/v.mp4", 1) || sliceHeld("/v.mp4", 15)).isFalse();
        assertThat(sliceFresh("/w.mp4", 0)).as("another object's slices stay").isTrue();
        assertThat(invalidator.apply(entry(Invalidation.Kind.PURGE_TAGS, false, List.of(), List.of("videos"),
                Optional.empty()))).as("a tag purge reaches slices by the object's own tags").isEqualTo(1);
        assertThat(sliceHeld("/w.mp4", 0)).isFalse();
    }

    @ParameterizedTest(name = "disk tier: {0}")
    @ValueSource(booleans = {false, true})
    void aBanCoversTheSlicesOfWhatItCovers(boolean disk) {
        open(disk);
        putSlice("/v.mp4", 3);
        putSlice("/w.bin", 3);
        Invalidation ban = entry(Invalidation.Kind.BAN, false, List.of(), List.of(),
                Optional.of(new Invalidation.BanSpec("regex", "\\.mp4$", Instant.ofEpochMilli(NOW + 86_400_000))));
        assertThat(invalidator.apply(ban)).isEqualTo(1);
        assertThat(sliceHeld("/v.mp4", 3)).isFalse();
        assertThat(sliceHeld("/w.bin", 3)).isTrue();
    }

    @ParameterizedTest(name = "disk tier: {0}")
    @ValueSource(booleans = {false, true})
    void tagPurgesHardAndSoft(boolean disk) {
        open(disk);
        put("/1", "item-1", "items");
        put("/2", "item-2", "items");
        put("/3", "other");
        assertThat(invalidator.apply(entry(Invalidation.Kind.PURGE_TAGS, true, List.of(), List.of("items"), Optional.empty())))
                .isEqualTo(2);
        assertThat(fresh("/1") || fresh("/2")).isFalse();
        assertThat(invalidator.apply(entry(Invalidation.Kind.PURGE_TAGS, false, List.of(), List.of("item-1", "nothing"),
                Optional.empty()))).isEqualTo(1);
        assertThat(held("/1")).isFalse();
        assertThat(held("/2")).isTrue();
        assertThat(fresh("/3")).isTrue();
    }

    @ParameterizedTest(name = "disk tier: {0}")
    @ValueSource(booleans = {false, true})
    void aBanSweepsWhatItCoversAndStaysForLookups(boolean disk) {
        open(disk);
        put("/static/a.css");
        put("/static/b.js?v=1");
        put("/page");
        Invalidation ban = entry(Invalidation.Kind.BAN, false, List.of(), List.of(),
                Optional.of(new Invalidation.BanSpec("regex", "^/static/.*\\.(css|js)", Instant.ofEpochMilli(NOW + 86_400_000))));
        assertThat(invalidator.apply(ban)).isEqualTo(2);
        assertThat(held("/static/a.css")).isFalse();
        assertThat(held("/page")).isTrue();
        assertThat(local.bans()).hasSize(1);
    }

    @ParameterizedTest(name = "disk tier: {0}")
    @ValueSource(booleans = {false, true})
    void aLiftTakesTheBanOffTheScreenAndBringsBackNothingItSwept(boolean disk) {
        open(disk);
        put("/b/swept");
        put("/page");
        Invalidation ban = entry(Invalidation.Kind.BAN, false, List.of(), List.of(),
                Optional.of(new Invalidation.BanSpec("prefix", "/b/", Instant.ofEpochMilli(NOW + 86_400_000))));
        assertThat(invalidator.apply(ban)).isEqualTo(1);
        // stored after the sweep from a response older than the ban (a fetch in flight during it): screened out
        put("/b/late");
        String late = CacheKey.of("default", "/b/late", null).asString();
        StoredObjectView lateObject = new StoredObjectView(store, late);
        assertThat(local.screen(late, lateObject.response(), NOW)).isNull();

        Invalidation lift = Invalidation.banLift(8, ban.id());
        assertThat(invalidator.apply(lift)).isZero();

        assertThat(local.bans()).isEmpty();
        assertThat(local.screen(late, lateObject.response(), NOW)).isNotNull();
        assertThat(held("/b/swept")).as("what the ban swept stays removed").isFalse();
        assertThat(held("/page")).isTrue();
    }

    @ParameterizedTest(name = "disk tier: {0}")
    @ValueSource(booleans = {false, true})
    void aLiftOfABanThisNodeDoesNotHoldChangesNothing(boolean disk) {
        open(disk);
        put("/b/x");
        Invalidation ban = entry(Invalidation.Kind.BAN, false, List.of(), List.of(),
                Optional.of(new Invalidation.BanSpec("prefix", "/b/", Instant.ofEpochMilli(NOW + 86_400_000))));
        invalidator.screen(ban);
        assertThat(invalidator.apply(Invalidation.banLift(9, 3))).isZero();
        assertThat(local.bans()).extracting(Ban::id).containsExactly(ban.id());
        assertThat(held("/b/x")).isTrue();
    }

    @org.junit.jupiter.api.Test
    void aLiftIsNotAppliedLikeAnInvalidation() {
        open(false);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> invalidator.applyNow(Invalidation.banLift(8, 7)))
                .hasMessageContaining("entry 8 lifts a ban");
    }

    /** The one stored variant of {@code key}. */
    private record StoredObjectView(CacheStore store, String key) {
        CachedResponse response() {
            return store.lookup(key).all().get(0).response();
        }
    }

    /** 200,000 objects tagged {@code all} (and every tenth {@code tenth}) in a heap-only store, behind a recorder. */
    private RecordingStore twoHundredThousandTagged() {
        StorageConfig config = new StorageConfig(1L << 30, 1L << 20, Optional.empty(), 0, 4L << 20, 16 * 1024);
        store = TieredStore.open(config, "test");
        for (int i = 0; i < 200_000; i++) {
            if (i % 10 == 0) {
                put("/t/" + i, "all", "tenth");
            } else {
                put("/t/" + i, "all");
            }
        }
        RecordingStore recording = new RecordingStore(store, true);
        invalidator = new Invalidator(recording, "default", Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), local);
        return recording;
    }

    /**
     * Admin keeps a tag purge's tags as given, repeats included: each repeat must not be another pass over the
     * tag's objects (1000 repeats over 200,000 objects would be 200 million steps).
     */
    @org.junit.jupiter.api.Test
    void aTagPurgeVisitsEachDistinctTagOnceWhateverTheRepeats() {
        RecordingStore recording = twoHundredThousandTagged();
        List<String> tags = new java.util.ArrayList<>(java.util.Collections.nCopies(999, "all"));
        tags.add("tenth");
        assertThat(invalidator.apply(entry(Invalidation.Kind.PURGE_TAGS, true, List.of(), tags, Optional.empty())))
                .as("each object marked once, not once per repeat").isEqualTo(220_000);
        assertThat(recording.calls("markTaggedStale:all")).isEqualTo(1);
        assertThat(recording.calls("markTaggedStale:tenth")).isEqualTo(1);
        assertThat(invalidator.apply(entry(Invalidation.Kind.PURGE_TAGS, false, List.of(), tags, Optional.empty())))
                .isEqualTo(200_000);
        assertThat(recording.calls("removeTagged")).isEqualTo(2);
        assertThat(recording.calls("lookup")).isZero();
        assertThat(store.primaryKeys()).isEmpty();
    }

    /** A URL listed twice is one key: removed (or marked stale) once, counted once. */
    @org.junit.jupiter.api.Test
    void aPurgeVisitsEachDistinctKeyOnce() {
        open(false);
        put("/a");
        RecordingStore recording = new RecordingStore(store, true);
        Invalidator counting = new Invalidator(recording, "default", Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), local);
        Invalidation.Url a = new Invalidation.Url(null, "/a", null);
        assertThat(counting.apply(entry(Invalidation.Kind.PURGE, true, List.of(a, a, a), List.of(), Optional.empty()))).isEqualTo(1);
        assertThat(recording.calls("markStale")).isEqualTo(1);
    }

    /**
     * A ban's sweep judges objects by key and response time through {@link CacheStore#removeIf}: it never looks
     * objects up (which reads bodies from disk and promotes them into the heap tier).
     */
    @org.junit.jupiter.api.Test
    void aBanSweepOverTwoHundredThousandObjectsNeverLooksAnObjectUp() {
        RecordingStore recording = twoHundredThousandTagged();
        put("/other/1");
        Invalidation ban = entry(Invalidation.Kind.BAN, false, List.of(), List.of(),
                Optional.of(new Invalidation.BanSpec("prefix", "/t/", Instant.ofEpochMilli(NOW + 86_400_000))));
        assertThat(invalidator.apply(ban)).isEqualTo(200_000);
        assertThat(recording.calls("removeIf")).isEqualTo(1);
        assertThat(recording.calls("lookup")).isZero();
        assertThat(recording.calls("primaryKeys")).isZero();
        assertThat(store.primaryKeys()).hasSize(1);
        assertThat(store.stats().get(0).promotions()).isZero();
    }

    @ParameterizedTest(name = "disk tier: {0}")
    @ValueSource(booleans = {false, true})
    void purgeAllHardClearsSoftMarksAndIsRemembered(boolean disk) {
        open(disk);
        put("/1");
        put("/2");
        assertThat(invalidator.apply(entry(Invalidation.Kind.PURGE_ALL, true, List.of(), List.of(), Optional.empty()))).isEqualTo(2);
        assertThat(local.softPurgeAllAtMillis()).isEqualTo(NOW);
        assertThat(store.marker(Invalidator.SOFT_PURGE_ALL_MARKER, 0)).isEqualTo(NOW);
        assertThat(invalidator.apply(entry(Invalidation.Kind.PURGE_ALL, false, List.of(), List.of(), Optional.empty()))).isEqualTo(2);
        assertThat(store.primaryKeys()).isEmpty();
    }

    @ParameterizedTest(name = "disk tier: {0}")
    @ValueSource(booleans = {false, true})
    void anAbsoluteUrlOfAnotherSiteAppliesToADefaultSiteNodeOnly(boolean disk) {
        open(disk);
        put("/x");
        Invalidation other = entry(Invalidation.Kind.PURGE, false, List.of(new Invalidation.Url("www.example.com", "/x", null)),
                List.of(), Optional.empty());
        assertThat(invalidator.apply(other)).as("a default-site node serves every host").isEqualTo(1);
        Invalidator named = new Invalidator(store, "shop.example.com", Clock.systemUTC(), local);
        assertThat(named.apply(other)).as("nothing of www.example.com is held by site shop.example.com").isZero();
    }
}
