package io.blueorigin.cdn.admin.api;

import java.util.OptionalDouble;

/**
 * Traffic figures of a node, a tier or the cluster over a window (or one bucket of it). Every figure is
 * at least 0 and {@code hits <= requests}; sums saturate at {@link Long#MAX_VALUE}.
 *
 * @param steps heartbeat steps these figures add up (0: nothing was reported)
 * @param requests requests of every kind
 * @param hits requests served from the cache without waiting for upstream (hit and stale)
 * @param bytesServed body bytes sent to clients
 * @param bytesUpstream body bytes fetched from upstream
 */
record Traffic(long steps, long requests, long hits, long bytesServed, long bytesUpstream) {
    static final Traffic NONE = new Traffic(0, 0, 0, 0, 0);

    Traffic {
        if (steps < 0 || requests < 0 || hits < 0 || hits > requests || bytesServed < 0 || bytesUpstream < 0) {
            throw new IllegalArgumentException("inconsistent traffic: steps " + steps + ", requests " + requests
                    + ", hits " + hits + ", bytesServed " + bytesServed + ", bytesUpstream " + bytesUpstream);
        }
    }

    Traffic plus(Traffic other) {
        return new Traffic(add(steps, other.steps), add(requests, other.requests), add(hits, other.hits),
                add(bytesServed, other.bytesServed), add(bytesUpstream, other.bytesUpstream));
    }

    /** These figures with another tier's {@code bytesUpstream} (what reached the origin). */
    Traffic withBytesUpstream(long bytes) {
        return new Traffic(steps, requests, hits, bytesServed, bytes);
    }

    /** {@code hits / requests}; empty without requests. */
    OptionalDouble hitRatio() {
        return requests == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) hits / requests);
    }

    /** {@code bytesServed - bytesUpstream}: negative when more came from upstream than was served. */
    long bytesSaved() {
        return bytesServed - bytesUpstream; // both in 0..Long.MAX_VALUE: cannot overflow
    }

    /** {@code a + b} for non-negative figures, {@link Long#MAX_VALUE} when it would overflow. */
    private static long add(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
