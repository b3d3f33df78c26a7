package io.blueorigin.cdn.proxy.ratelimit;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.blueorigin.cdn.httpcache.site.SiteRateLimit;
import io.blueorigin.cdn.httpcache.site.SiteRateLimit.AppliesTo;
import io.blueorigin.cdn.proxy.ratelimit.Admission.Limit;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.jspecify.annotations.Nullable;

/**
 * The edge's rate limits per client address: a token bucket per client for the node (the POP's limit,
 * {@link RateLimitConfig}) and, for a site with its own limit ({@link SiteRateLimit}, {@code delivery.rateLimit}),
 * one per client and site. A request is admitted when every bucket that applies to it has a token; otherwise it
 * gets 429 with {@code Retry-After} (docs/rate-limits.md).
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Buckets: Bucket4j</b> ({@code bucket4j_jdk17-core}, no runtime dependency). Its lock-free local bucket
 *       refills greedily (a token every period/rate, not a whole rate at once), and a refused
 *       {@link Bucket#tryConsumeAndReturnRemaining} says how long until the next token, which is {@code Retry-After}.
 *       Its clock is a parameter ({@link TimeMeter}), so tests step time instead of sleeping.</li>
 *   <li><b>Not Jetty's {@code DoSHandler}</b> (jetty-server 12.1): it is a handler in front of ours, so it decides
 *       before the exchange knows the site or whether the cache answers (no per-site limit, no misses-only mode),
 *       answers with its own reject handler rather than our error format, names the client by its own function
 *       (not our trusted-proxy rule, {@code Forwarding#clientAddress}), reads the system clock, and its leaky
 *       bucket says only yes or no, so {@code Retry-After} could not be computed.</li>
 *   <li><b>The table: Caffeine</b>, bounded by {@link RateLimitConfig#maxEntries()} (beyond it the least useful
 *       buckets go: a flood of new addresses cannot grow memory) and expiring a bucket unused for
 *       {@link RateLimitConfig#idleExpiry()}, but never before it would have refilled: a dropped bucket comes back
 *       full, which waiting would have given the client anyway. {@link Cache#get} creates a client's bucket at most
 *       once, so concurrent requests of one client share one bucket.</li>
 *   <li><b>Keys</b> are client, scope ("" for the node, else the site's name) and the limit's rate and burst: a
 *       site whose limit changes gets new buckets at once, and the old ones expire.</li>
 *   <li><b>Both limits.</b> The node's bucket is asked first; when the site's then refuses, the node's token is
 *       given back, so a request refused by its site does not also spend the client's POP allowance.</li>
 * </ul>
 * Thread-safe: the cache and the buckets are; this class holds no other mutable state.
 */
public final class RateLimiter {
    /** The {@code reason} label of {@code cdn_rejected_requests_total} for a refusal. */
    public static final String REJECTION_REASON = "rate-limited";
    /** Nanoseconds per second. */
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** The node's scope in a bucket key (site names are never empty). */
    private static final String POP_SCOPE = "";

    private final RateLimitConfig config;
    private final TimeMeter clock;
    /** Client, scope and limit to its bucket; bounded and expiring (see the class note). */
    private final Cache<BucketKey, Bucket> buckets;

    /** A limiter on the system clock, maintaining its table on the common pool (Caffeine's default). */
    public RateLimiter(RateLimitConfig config) {
        this(config, Ticker.systemTicker(), ForkJoinPool.commonPool());
    }

    /**
     * A limiter on {@code ticker} (the buckets' clock and the table's), whose table maintenance (eviction,
     * expiry) runs on {@code executor}; tests pass a hand-stepped ticker and {@code Runnable::run}.
     */
    RateLimiter(RateLimitConfig config, Ticker ticker, Executor executor) {
        this.config = requireNonNull(config, "config is null");
        requireNonNull(ticker, "ticker is null");
        this.clock = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return ticker.read();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        long idleNanos = config.idleExpiry().toNanos();
        this.buckets = Caffeine.newBuilder()
                .maximumSize(config.maxEntries())
                .expireAfter(Expiry.accessing((BucketKey key, Bucket bucket) -> Duration.ofNanos(Math.max(idleNanos,
                        key.refillNanos()))))
                .ticker(ticker)
                .executor(requireNonNull(executor, "executor is null"))
                .build();
    }

    /**
     * Whether one request may proceed, taking a token from each bucket that applies to it.
     *
     * @param clientAddress the client, trusted-proxy aware ({@code Forwarding#clientAddress})
     * @param siteName the site the request belongs to, or null when it has none (then {@code siteLimit} is ignored)
     * @param siteLimit the site's own limit ({@code Site#rateLimit()}), or null for none
     * @param hit whether the cache answers it without going upstream (a limit applying to misses only lets it through)
     * @return {@link Admission#ADMITTED}, or the refusal of the first limit without a token
     */
    public Admission admit(String clientAddress, @Nullable String siteName, @Nullable SiteRateLimit siteLimit, boolean hit) {
        requireNonNull(clientAddress, "clientAddress is null");
        String client = clientOf(clientAddress);
        Bucket pop = null;
        if (config.enabled() && applies(config.appliesTo(), hit)) {
            pop = bucket(new BucketKey(client, POP_SCOPE, config.rate(), config.period(), config.burst()));
            ConsumptionProbe probe = pop.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                return Admission.refused(Limit.POP, seconds(probe), config.rate(), config.period(), config.burst());
            }
        }
        if (siteName != null && siteLimit != null
                && applies(siteLimit.appliesTo() == null ? config.appliesTo() : siteLimit.appliesTo(), hit)) {
            ConsumptionProbe probe = bucket(new BucketKey(client, siteName, siteLimit.rate(), siteLimit.per(), siteLimit.burst()))
                    .tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                if (pop != null) {
                    pop.addTokens(1); // not served: the POP allowance is not spent
                }
                return Admission.refused(Limit.SITE, seconds(probe), siteLimit.rate(), siteLimit.per(), siteLimit.burst());
            }
        }
        return Admission.ADMITTED;
    }

    /**
     * Whom a limit counts against: an IPv4 address, or an IPv6 address's /64 (one host usually holds a whole /64,
     * so per-address buckets would let it make up addresses at will). Anything else is counted as given.
     */
    static String clientOf(String address) {
        if (address.indexOf(':') < 0) {
            return address;
        }
        InetAddress parsed;
        try {
            // a literal only (it has a ':'): getByName does no lookup for an IPv6 literal
            parsed = address.startsWith("[") || address.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)
                    ? InetAddress.getByName(address) : null;
        } catch (UnknownHostException | SecurityException e) {
            parsed = null;
        }
        if (!(parsed instanceof Inet6Address)) {
            return address;
        }
        byte[] b = parsed.getAddress();
        StringBuilder prefix = new StringBuilder(24);
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
    }

    /** Whether any limit may apply to a request of a site with {@code siteLimit} (else no address need be worked out). */
    public boolean limits(@Nullable SiteRateLimit siteLimit) {
        return config.enabled() || siteLimit != null;
    }

    /** Buckets held now (an estimate between maintenance runs; exact after {@link #cleanUp()}). */
    public long size() {
        return buckets.estimatedSize();
    }

    /** Runs the table's pending maintenance (evictions, expiry) now. */
    void cleanUp() {
        buckets.cleanUp();
    }

    private static boolean applies(AppliesTo appliesTo, boolean hit) {
        return appliesTo == AppliesTo.ALL || !hit;
    }

    private Bucket bucket(BucketKey key) {
        return buckets.get(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(k.burst()).refillGreedy(k.rate(), k.period()).build())
                .withCustomTimePrecision(clock)
                .build());
    }

    /** Whole seconds until the next token, rounded up, at least 1 (a Retry-After of 0 invites an immediate retry). */
    private static long seconds(ConsumptionProbe refused) {
        long nanos = refused.getNanosToWaitForRefill();
        return Math.max(1, nanos / NANOS_PER_SECOND + (nanos % NANOS_PER_SECOND == 0 ? 0 : 1));
    }

    /**
     * One bucket's identity.
     *
     * @param client the client address
     * @param scope {@link #POP_SCOPE} for the node's limit, else the site's name
     * @param rate the limit's tokens per period
     * @param period the limit's period
     * @param burst the limit's capacity
     */
    private record BucketKey(String client, String scope, int rate, Duration period, int burst) {
        /** How long an empty bucket of this limit takes to fill up: before that, dropping it would be a gift. */
        long refillNanos() {
            return (long) Math.ceil((double) burst / rate * period.toNanos());
        }
    }
}
