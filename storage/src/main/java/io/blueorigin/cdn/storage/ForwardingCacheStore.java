package io.blueorigin.cdn.storage;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CachedResponse;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A {@link CacheStore} that forwards every call to another (after Guava's {@code ForwardingObject}): a
 * subclass overrides only what it adds, e.g. a test store that records or holds some calls. Keeping the
 * forwarding in one place means a new store method is forwarded everywhere at once.
 */
public abstract class ForwardingCacheStore implements CacheStore {
    private final CacheStore delegate;

    protected ForwardingCacheStore(CacheStore delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    /** The store calls go to. */
    protected final CacheStore delegate() {
        return delegate;
    }

    @Override
    public Variants lookupInMemory(String primaryKey) {
        return delegate.lookupInMemory(primaryKey);
    }

    @Override
    public boolean mayHaveOnDisk(String primaryKey) {
        return delegate.mayHaveOnDisk(primaryKey);
    }

    @Override
    public Variants lookup(String primaryKey) {
        return delegate.lookup(primaryKey);
    }

    @Override
    public Executor ioExecutor() {
        return delegate.ioExecutor();
    }

    @Override
    public ObjectWriter begin(String primaryKey, CachedResponse response, long announcedLength) {
        return delegate.begin(primaryKey, response, announcedLength);
    }

    @Override
    public GrowingBody passThrough(long announcedLength) {
        return delegate.passThrough(announcedLength);
    }

    @Override
    public MemoryBudget memoryBudget() {
        return delegate.memoryBudget();
    }

    @Override
    public StoredObject freshen(String primaryKey, StoredObject stored, CachedResponse freshened) {
        return delegate.freshen(primaryKey, stored, freshened);
    }

    @Override
    public int remove(String primaryKey) {
        return delegate.remove(primaryKey);
    }

    @Override
    public int removeTagged(String tag) {
        return delegate.removeTagged(tag);
    }

    @Override
    public int markStale(String primaryKey, long nowMillis) {
        return delegate.markStale(primaryKey, nowMillis);
    }

    @Override
    public int markTaggedStale(String tag, long nowMillis) {
        return delegate.markTaggedStale(tag, nowMillis);
    }

    @Override
    public java.util.Set<String> taggedKeys(String tag) {
        return delegate.taggedKeys(tag);
    }

    @Override
    public int removeIf(SweepCondition condition) {
        return delegate.removeIf(condition);
    }

    @Override
    public int clear() {
        return delegate.clear();
    }

    @Override
    public List<String> primaryKeys() {
        return delegate.primaryKeys();
    }

    @Override
    public long marker(String name, long absent) {
        return delegate.marker(name, absent);
    }

    @Override
    public void putMarker(String name, long value) {
        delegate.putMarker(name, value);
    }

    @Override
    public long maxObjectBytes() {
        return delegate.maxObjectBytes();
    }

    @Override
    public List<TierStats> stats() {
        return delegate.stats();
    }

    @Override
    public String degraded() {
        return delegate.degraded();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public List<TierCopy> inspect(String primaryKey) {
        return delegate.inspect(primaryKey);
    }
}
