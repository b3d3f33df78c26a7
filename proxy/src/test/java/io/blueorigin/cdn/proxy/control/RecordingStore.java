package io.blueorigin.cdn.proxy.control;

import io.blueorigin.cdn.storage.CacheStore;
import io.blueorigin.cdn.storage.ForwardingCacheStore;
import io.blueorigin.cdn.storage.Variants;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A real store with a record of the calls made to it (by method, and by argument for the tag methods), so a
 * test can say what an invalidation asked the store to do. {@code lookup} may be forbidden: a sweep must
 * never read objects.
 */
final class RecordingStore extends ForwardingCacheStore {
    private final boolean lookupsForbidden;
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

    RecordingStore(CacheStore store, boolean lookupsForbidden) {
        super(store);
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
        return super.lookupInMemory(primaryKey);
    }

    @Override
    public Variants lookup(String primaryKey) {
        record("lookup");
        if (lookupsForbidden) {
            throw new AssertionError("lookup(" + primaryKey + "): this operation must not read objects");
        }
        return super.lookup(primaryKey);
    }

    @Override
    public int remove(String primaryKey) {
        record("remove");
        return super.remove(primaryKey);
    }

    @Override
    public int removeTagged(String tag) {
        record("removeTagged");
        record("removeTagged:" + tag);
        return super.removeTagged(tag);
    }

    @Override
    public int markStale(String primaryKey, long nowMillis) {
        record("markStale");
        return super.markStale(primaryKey, nowMillis);
    }

    @Override
    public int markTaggedStale(String tag, long nowMillis) {
        record("markTaggedStale");
        record("markTaggedStale:" + tag);
        return super.markTaggedStale(tag, nowMillis);
    }

    @Override
    public int removeIf(SweepCondition condition) {
        record("removeIf");
        return super.removeIf(condition);
    }

    @Override
    public List<String> primaryKeys() {
        record("primaryKeys");
        return super.primaryKeys();
    }
}
