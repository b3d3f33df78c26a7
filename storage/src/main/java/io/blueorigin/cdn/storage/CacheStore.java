package io.blueorigin.cdn.storage;

import io.blueorigin.cdn.httpcache.CachedResponse;

/**
 * Where a node keeps stored responses, by primary cache key ({@code CacheKey.asString()}), each key holding
 * up to {@link Variants#MAX} variants. Implementations are thread-safe; lookups of heap-resident objects
 * never block on I/O.
 *
 * <p>Invariant: an object is visible to {@link #lookup} only once its body is complete and committed; a
 * partially written object is never served.
 */
public interface CacheStore extends AutoCloseable {

    /** The variants stored for {@code primaryKey}; {@link Variants#EMPTY} when none. */
    Variants lookup(String primaryKey);

    /**
     * Starts a new variant of {@code primaryKey}.
     *
     * @param response the metadata known when the headers arrived (the length may still be unknown)
     * @param announcedLength {@code Content-Length}, or -1
     */
    ObjectWriter begin(String primaryKey, CachedResponse response, long announcedLength);

    /**
     * Replaces the metadata of {@code stored} (a variant of {@code primaryKey}) with {@code freshened},
     * keeping its body, if it is still stored (RFC 9111 §4.3.4).
     *
     * @return the updated object, or the given one rebuilt around {@code freshened} if it had been evicted
     */
    StoredObject freshen(String primaryKey, StoredObject stored, CachedResponse freshened);

    /** Removes every variant of {@code primaryKey}; returns how many objects were removed. */
    int remove(String primaryKey);

    /** The largest body this store accepts; larger ones are passed through unstored. */
    long maxObjectBytes();

    /** Counters and gauges for metrics. */
    StoreStats stats();

    @Override
    void close();
}
