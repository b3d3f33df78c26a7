package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CachePolicyConfig;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.storage.StorageConfig;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How a proxy node caches ({@code cache.*} and {@code store.*} keys).
 *
 * @param site the site every request of this node belongs to: the first part of every cache key, so one
 *     object has one key at every edge and shield whatever Host or port it was asked by
 * @param policy the caching policy (TTL cap, negative caching, stale serving, Set-Cookie, ...)
 * @param storage store sizes
 * @param collapseTimeout how long a request waits for the response to another request's fetch of the same
 *     key before it gets a 504 (or stale); shorter than client timeouts
 * @param hitForMissTtl how long a key whose response could not be shared fetches without collapsing
 * @param sliceSize {@code cache.slice-size}: GET misses are fetched and stored as slices of this many bytes with
 *     upstream ranges (docs/ranges.md); 0: off, objects are fetched whole
 */
public record CacheConfig(String site, CachePolicyConfig policy, StorageConfig storage, Duration collapseTimeout,
        Duration hitForMissTtl, long sliceSize) {
    /** The smallest slice: below it the per-slice overhead (a request, a store entry) outweighs the bytes. */
    public static final long MIN_SLICE_SIZE = 4096;
    private static final Pattern SITE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public CacheConfig {
        requireNonNull(site, "site is null");
        requireNonNull(policy, "policy is null");
        requireNonNull(storage, "storage is null");
        requireNonNull(collapseTimeout, "collapseTimeout is null");
        requireNonNull(hitForMissTtl, "hitForMissTtl is null");
        if (collapseTimeout.isNegative() || collapseTimeout.isZero()) {
            throw new IllegalArgumentException("cache.collapse-timeout : " + collapseTimeout + " (expected: > 0)");
        }
        if (hitForMissTtl.isNegative()) {
            throw new IllegalArgumentException("cache.hit-for-miss-ttl : " + hitForMissTtl + " (expected: >= 0)");
        }
        if (sliceSize != 0 && (sliceSize < MIN_SLICE_SIZE || sliceSize > storage.maxObjectBytes())) {
            throw new IllegalArgumentException("cache.slice-size : " + sliceSize + " (expected: 0, off, or from "
                    + MIN_SLICE_SIZE + " bytes to store.max-object-size, " + storage.maxObjectBytes() + " bytes)");
        }
        if (!SITE.matcher(site).matches()) {
            throw new IllegalArgumentException("cache.site : '" + site + "' (expected: 1-63 letters, digits, '.', '_' or '-')");
        }
    }

    public CacheConfig(String site, CachePolicyConfig policy, StorageConfig storage, Duration collapseTimeout,
            Duration hitForMissTtl) {
        this(site, policy, storage, collapseTimeout, hitForMissTtl, 0);
    }

    /** Whether GET misses are fetched as slices. */
    public boolean slicing() {
        return sliceSize > 0;
    }

    public CacheConfig withSliceSize(long newSliceSize) {
        return new CacheConfig(site, policy, storage, collapseTimeout, hitForMissTtl, newSliceSize);
    }

    /** The defaults of a role: site {@code default}, the role's TTL cap, default store sizes. */
    public static CacheConfig defaults(Role role) {
        return new CacheConfig("default",
                role == Role.SHIELD ? CachePolicyConfig.shieldDefaults() : CachePolicyConfig.edgeDefaults(),
                StorageConfig.defaults(), Duration.ofSeconds(15), Duration.ofSeconds(30));
    }

    public CacheConfig withStorage(StorageConfig newStorage) {
        return new CacheConfig(site, policy, newStorage, collapseTimeout, hitForMissTtl, sliceSize);
    }

    public CacheConfig withPolicy(CachePolicyConfig newPolicy) {
        return new CacheConfig(site, newPolicy, storage, collapseTimeout, hitForMissTtl, sliceSize);
    }

    public CacheConfig withCollapseTimeout(Duration timeout) {
        return new CacheConfig(site, policy, storage, timeout, hitForMissTtl, sliceSize);
    }
}
