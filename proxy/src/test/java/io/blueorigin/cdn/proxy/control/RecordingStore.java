package io.blueorigin.cdn.proxy.control;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.storage.CacheStore;
import io.blueorigin.cdn.storage.ObjectWriter;
import io.blueorigin.cdn.storage.StoredObject;
import io.blueorigin.cdn.storage.TierStats;
import io.blueorigin.cdn.storage.Variants;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * A real store with a record of the calls made to it (by method, and by argument for the tag methods), so a
 * test can say what an invalidation asked the store to do. {@code lookup} may be forbidden: a sweep must
 * never read objects.
 */
final class RecordingStore implements CacheStore {
    private final CacheStore store;
    private final boolean lookupsForbidden;
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

    RecordingStore(CacheStore store, boolean lookupsForbidden) {
        this.store = store;
        this.lookupsForbidden = lookupsForbidden;
    }

    /** How many times {@code method} (or {@code method:argument} for the tag methods) was called. */
    long calls(String call) {
        LongAdder n = calls.get(call);
        return n == null ? 0 : n.sum();
    }

    private void record(String call) {
        calls.computeIfAbsent(call, c -> new LongAdder()).increment();
    }

    @Override
    public Variants lookupInMemory(String primaryKey) {
        record("lookupInMemory");
        return store.lookupInMemory(primaryKey);
    }

    @Override
    public boolean mayHaveOnDisk(String primaryKey) {
        return store.mayHaveOnDisk(primaryKey);
    }

    @Override
    public Variants lookup(String primaryKey) {
        record("lookup");
        if (lookupsForbidden) {
            throw new AssertionError("lookup(" + primaryKey + "): this operation must not read objects");
        }
        return store.lookup(primaryKey);
    }

    @Override
    public Executor ioExecutor() {
        return store.ioExecutor();
    }

    @Override
    public ObjectWriter begin(String primaryKey, CachedResponse response, long announcedLength) {
        return store.begin(primaryKey, response, announcedLength);
    }

    @Override
    public StoredObject freshen(String primaryKey, StoredObject stored, CachedResponse freshened) {
        return store.freshen(primaryKey, stored, freshened);
    }

    @Override
    public int remove(String primaryKey) {
        record("remove");
        return store.remove(primaryKey);
    }

    @Override
    public int removeTagged(String tag) {
        record("removeTagged");
        record("removeTagged:" + tag);
        return store.removeTagged(tag);
    }

    @Override
    public int markStale(String primaryKey, long nowMillis) {
        record("markStale");
        return store.markStale(primaryKey, nowMillis);
    }

    @Override
    public int markTaggedStale(String tag, long nowMillis) {
        record("markTaggedStale");
        record("markTaggedStale:" + tag);
        return store.markTaggedStale(tag, nowMillis);
    }

    @Override
    public int removeIf(SweepCondition condition) {
        record("removeIf");
        return store.removeIf(condition);
    }

    @Override
    public int clear() {
        return store.clear();
    }

    @Override
    public List<String> primaryKeys() {
        record("primaryKeys");
        return store.primaryKeys();
    }

    @Override
    public long marker(String name, long absent) {
        return store.marker(name, absent);
    }

    @Override
    public void putMarker(String name, long value) {
        store.putMarker(name, value);
    }

    @Override
    public long maxObjectBytes() {
        return store.maxObjectBytes();
    }

    @Override
    public List<TierStats> stats() {
        return store.stats();
    }

    @Override
    public String degraded() {
        return store.degraded();
    }

    @Override
    public void close() {
        store.close();
    }
}
