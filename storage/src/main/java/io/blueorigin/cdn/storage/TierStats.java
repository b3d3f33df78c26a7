package io.blueorigin.cdn.storage;

/**
 * Counters and gauges of one store tier, for metrics and {@code /readyz}.
 *
 * @param tier {@code heap} or {@code disk}
 * @param entries URIs held
 * @param bytes bytes held (bodies and metadata estimate)
 * @param maxBytes the tier's budget
 * @param fileBytes bytes its bodies take on the device: the disk tier's body file up to its last block in use, holes
 *     included (0 for the heap tier)
 * @param hits lookups that found the URI in this tier
 * @param misses lookups that did not
 * @param stores objects written to this tier
 * @param evictions objects dropped to stay within budget
 * @param removals objects removed by invalidation
 * @param promotions disk objects copied into the heap tier (heap only)
 * @param corrupt records found corrupt (checksum, torn) and dropped
 * @param rejected objects not stored (too large, disk refused)
 * @param writeErrors failed writes (disk full, I/O error)
 * @param degraded why the tier is not accepting writes, or empty when it is healthy
 */
public record TierStats(String tier, long entries, long bytes, long maxBytes, long fileBytes, long hits, long misses, long stores,
        long evictions, long removals, long promotions, long corrupt, long rejected, long writeErrors, String degraded) {}
