package io.blueorigin.cdn.admin.db;

/**
 * One node's traffic in one bucket of a window: the sums of the deltas of its heartbeat steps (pairs of
 * consecutive {@code node_stats} rows) whose later row falls in that bucket (see {@link NodeStats#traffic}).
 * Every figure is at least 0, {@link Long#MAX_VALUE} at most (sums saturate there).
 *
 * @param nodeId the node's row id
 * @param bucket index of the bucket, from 0 (the window's oldest)
 * @param steps heartbeat steps counted (at least 1: buckets without any are not reported)
 * @param requests requests of every kind ({@code traffic.requests}: hit, stale, revalidated, miss, pass, error)
 * @param hits requests served from the cache without waiting for upstream (hit and stale)
 * @param bytesServed body bytes sent to clients ({@code traffic.bytesServed})
 * @param bytesUpstream body bytes fetched from upstream ({@code traffic.bytesUpstream})
 */
public record NodeTraffic(long nodeId, int bucket, long steps, long requests, long hits, long bytesServed,
        long bytesUpstream) {
    public NodeTraffic {
        if (bucket < 0 || steps < 1 || requests < 0 || hits < 0 || hits > requests || bytesServed < 0
                || bytesUpstream < 0) {
            throw new IllegalArgumentException("inconsistent traffic: " + bucket + " " + steps + " " + requests + " "
                    + hits + " " + bytesServed + " " + bytesUpstream);
        }
    }
}
