package io.blueorigin.cdn.it.control;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.storage.CacheStore;
import io.blueorigin.cdn.storage.ObjectWriter;
import io.blueorigin.cdn.storage.StoredObject;
import io.blueorigin.cdn.storage.TierStats;
import io.blueorigin.cdn.storage.Variants;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A real store whose sweeps ({@link #removeIf}) and tag removals ({@link #removeTagged}) can be held at a gate:
 * they signal that they started and wait until the test opens the gate, so a test can show what does, and
 * what does not, wait behind a long one. Deterministic: latches, no sleeps.
 */
final class GatedStore implements CacheStore {
    /** One gate: {@link #entered} counts down when an operation reaches it; it proceeds once {@link #open()}ed. */
    static final class Gate {
        final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        void open() {
            released.countDown();
        }

        boolean isOpen() {
            return released.getCount() == 0;
        }

        private void pass() {
            entered.countDown();
            try {
                if (!released.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the gate was never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at the gate", e);
            }
        }
    }

    private final CacheStore store;
    final Gate sweeps = new Gate();
    final Gate tagRemovals = new Gate();

    GatedStore(CacheStore store) {
        this.store = store;
    }

    @Override
    public int removeIf(SweepCondition condition) {
        sweeps.pass();
        return store.removeIf(condition);
    }

    @Override
    public int removeTagged(String tag) {
        tagRemovals.pass();
        return store.removeTagged(tag);
    }

    @Override
    public Variants lookupInMemory(String primaryKey) {
        return store.lookupInMemory(primaryKey);
    }

    @Override
    public boolean mayHaveOnDisk(String primaryKey) {
        return store.mayHaveOnDisk(primaryKey);
    }

    @Override
    public Variants lookup(String primaryKey) {
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
        return store.remove(primaryKey);
    }

    @Override
    public int markStale(String primaryKey, long nowMillis) {
        return store.markStale(primaryKey, nowMillis);
    }

    @Override
    public int markTaggedStale(String tag, long nowMillis) {
        return store.markTaggedStale(tag, nowMillis);
    }

    @Override
    public int clear() {
        return store.clear();
    }

    @Override
    public List<String> primaryKeys() {
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
        sweeps.open();
        tagRemovals.open();
        store.close();
    }
}
