package io.blueorigin.cdn.storage;

/**
 * A snapshot of a store's counters.
 *
 * @param entries URIs stored
 * @param objects variants stored
 * @param bytes bytes held
 * @param maxBytes the byte budget
 * @param hits lookups that found at least one variant
 * @param misses lookups that found none
 * @param stores objects committed
 * @param evictions objects dropped to stay within budget
 * @param removals objects removed by invalidation
 * @param rejected objects refused (too large)
 */
public record StoreStats(long entries, long objects, long bytes, long maxBytes, long hits, long misses, long stores,
        long evictions, long removals, long rejected) {}
