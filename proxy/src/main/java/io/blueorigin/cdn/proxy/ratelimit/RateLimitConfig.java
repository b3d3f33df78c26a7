package io.blueorigin.cdn.proxy.ratelimit;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.site.SiteRateLimit;
import io.blueorigin.cdn.httpcache.site.SiteRateLimit.AppliesTo;
import java.time.Duration;

/**
 * An edge's rate limit per client address ({@code ratelimit.*} keys, docs/rate-limits.md): a token bucket per
 * client for the whole node, and the table the buckets live in (which also holds sites' own buckets).
 *
 * @param enabled whether the node's own limit applies; sites' own limits ({@code delivery.rateLimit}) apply
 *     either way
 * @param rate tokens a client's bucket gains each {@code period}: the request rate it may keep up
 * @param period what {@code rate} is counted over (1s to 1d); tokens come one at a time, every period/rate
 * @param burst the bucket's capacity: requests a client may send at once after being idle
 * @param appliesTo which requests take a token: all, or only those not answered from the cache; also the
 *     default of sites' own limits
 * @param maxEntries most buckets held (clients times limits); beyond it the least useful are dropped, so memory
 *     stays bounded whatever the number of addresses (a dropped client starts again with a full bucket)
 * @param idleExpiry a bucket not used for this long is dropped (at the earliest once it would have refilled, so
 *     dropping never gives a client more than waiting would)
 */
public record RateLimitConfig(boolean enabled, int rate, Duration period, int burst, AppliesTo appliesTo,
        int maxEntries, Duration idleExpiry) {
    /** Most buckets {@code ratelimit.max-entries} may allow (a few hundred bytes each). */
    public static final int MAX_ENTRIES = 10_000_000;

    /** {@code ratelimit.rate}'s default: requests per second ({@code ratelimit.period} 1s) one client may keep up. */
    public static final int DEFAULT_RATE = 100;
    /** {@code ratelimit.burst}'s default. */
    public static final int DEFAULT_BURST = 200;
    /** {@code ratelimit.max-entries}'s default: 100,000 buckets, some tens of MB at most. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;
    /** {@code ratelimit.idle-expiry}'s default. */
    public static final Duration DEFAULT_IDLE_EXPIRY = Duration.ofMinutes(1);

    public RateLimitConfig {
        requireNonNull(appliesTo, "appliesTo is null");
        requireNonNull(idleExpiry, "idleExpiry is null");
        requireNonNull(period, "period is null");
        if (rate < 1 || rate > SiteRateLimit.MAX) {
            throw new IllegalArgumentException("ratelimit.rate : " + rate
                    + " (expected: requests per ratelimit.period per client, 1 to " + SiteRateLimit.MAX + ")");
        }
        if (period.compareTo(SiteRateLimit.MIN_PERIOD) < 0 || period.compareTo(SiteRateLimit.MAX_PERIOD) > 0) {
            throw new IllegalArgumentException("ratelimit.period : " + period.toMillis()
                    + "ms (expected: a duration from 1s to 1d)");
        }
        if (burst < 1 || burst > SiteRateLimit.MAX) {
            throw new IllegalArgumentException("ratelimit.burst : " + burst
                    + " (expected: requests one client may send at once, 1 to " + SiteRateLimit.MAX + ")");
        }
        if (maxEntries < 1 || maxEntries > MAX_ENTRIES) {
            throw new IllegalArgumentException("ratelimit.max-entries : " + maxEntries
                    + " (expected: 1 to " + MAX_ENTRIES + " buckets)");
        }
        if (idleExpiry.isNegative() || idleExpiry.isZero()) {
            throw new IllegalArgumentException("ratelimit.idle-expiry : " + idleExpiry.toMillis()
                    + "ms (expected: a duration above 0, such as 1m)");
        }
    }

    /** The defaults: the node's limit off (sites' own limits still apply), table and rates as documented. */
    public static RateLimitConfig defaults() {
        return new RateLimitConfig(false, DEFAULT_RATE, SiteRateLimit.MIN_PERIOD, DEFAULT_BURST, AppliesTo.ALL, DEFAULT_MAX_ENTRIES,
                DEFAULT_IDLE_EXPIRY);
    }

    /** These settings with the node's limit on. */
    public RateLimitConfig enabled(int newRate, Duration newPeriod, int newBurst, AppliesTo newAppliesTo) {
        return new RateLimitConfig(true, newRate, newPeriod, newBurst, newAppliesTo, maxEntries, idleExpiry);
    }
}
