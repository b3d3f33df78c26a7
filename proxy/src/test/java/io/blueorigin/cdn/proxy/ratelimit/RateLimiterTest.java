package io.blueorigin.cdn.proxy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.blueorigin.cdn.httpcache.site.SiteRateLimit;
import io.blueorigin.cdn.httpcache.site.SiteRateLimit.AppliesTo;
import io.blueorigin.cdn.proxy.ratelimit.Admission.Limit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link RateLimiter} on a hand-stepped clock (no sleeps): bursts, refill, {@code Retry-After}, the node's and a
 * site's limits apart, clients apart, misses-only, a bounded table, idle expiry, concurrent requests.
 */
class RateLimiterTest {
    private static final String CLIENT = "198.51.100.7";
    private static final String OTHER = "198.51.100.8";

    /** The buckets' and the table's clock; starts away from 0 so nothing relies on a zero origin. */
    private final AtomicLong nanos = new AtomicLong(TimeUnit.DAYS.toNanos(1));
    private final Ticker ticker = nanos::get;

    /** The node's limit on: {@code rate} per {@code period}, {@code burst} at once. */
    private RateLimiter limiter(int rate, Duration period, int burst, AppliesTo appliesTo) {
        return new RateLimiter(RateLimitConfig.defaults().enabled(rate, period, burst, appliesTo), ticker, Runnable::run);
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    private static int admitted(RateLimiter limiter, String client, int requests) {
        int n = 0;
        for (int i = 0; i < requests; i++) {
            if (limiter.admit(client, null, null, false).admitted()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aBurstIsAdmittedAndTheNextRequestRefusedWithTheWaitForTheNextToken() {
        RateLimiter limiter = limiter(10, Duration.ofMinutes(1), 5, AppliesTo.ALL); // a token every 6 s
        assertThat(admitted(limiter, CLIENT, 5)).isEqualTo(5);
        Admission refused = limiter.admit(CLIENT, null, null, false);
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.limit()).isEqualTo(Limit.POP);
        assertThat(refused.retryAfterSeconds()).isEqualTo(6);
        assertThat(refused.message()).isEqualTo(
                "rate limited: more than 10 requests per 1m (burst 5) from this address; retry after 6 s");
        advance(Duration.ofMillis(4_500));
        assertThat(limiter.admit(CLIENT, null, null, false).retryAfterSeconds())
                .as("1.5 s left, rounded up").isEqualTo(2);
    }

    @Test
    void tokensComeBackOneAtATimeAsTimePasses() {
        RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 10, AppliesTo.ALL);
        assertThat(admitted(limiter, CLIENT, 11)).isEqualTo(10);
        advance(Duration.ofMillis(99));
        assertThat(limiter.admit(CLIENT, null, null, false).admitted()).as("not a whole token yet").isFalse();
        advance(Duration.ofMillis(1));
        assertThat(admitted(limiter, CLIENT, 2)).as("one token after 100 ms").isEqualTo(1);
        advance(Duration.ofSeconds(10));
        assertThat(admitted(limiter, CLIENT, 20)).as("refilled to the burst, no more").isEqualTo(10);
    }

    @Test
    void aRefusalWaitsAtLeastOneSecond() {
        RateLimiter limiter = limiter(1000, Duration.ofSeconds(1), 1, AppliesTo.ALL);
        limiter.admit(CLIENT, null, null, false);
        assertThat(limiter.admit(CLIENT, null, null, false).retryAfterSeconds()).as("1 ms, rounded up").isEqualTo(1);
    }

    @Test
    void otherClientsAreUnaffected() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(1), 3, AppliesTo.ALL);
        assertThat(admitted(limiter, CLIENT, 100)).isEqualTo(3);
        assertThat(admitted(limiter, OTHER, 3)).isEqualTo(3);
    }

    @Test
    void aSitesLimitIsItsOwnAndTheNodesStillApplies() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(1), 5, AppliesTo.ALL);
        SiteRateLimit img = new SiteRateLimit(1, Duration.ofSeconds(1), 2, null);
        assertThat(limiter.admit(CLIENT, "img", img, false).admitted()).isTrue();
        assertThat(limiter.admit(CLIENT, "img", img, false).admitted()).isTrue();
        Admission refused = limiter.admit(CLIENT, "img", img, false);
        assertThat(refused.limit()).isEqualTo(Limit.SITE);
        assertThat(refused.message()).endsWith("(burst 2) from this address at this site; retry after 1 s");
        // the site's refusal gave the node's token back: 3 of the node's 5 remain, for another site
        assertThat(limiter.admit(CLIENT, "www", null, false).admitted()).isTrue();
        assertThat(limiter.admit(CLIENT, "www", null, false).admitted()).isTrue();
        assertThat(limiter.admit(CLIENT, "www", null, false).admitted()).isTrue();
        assertThat(limiter.admit(CLIENT, "www", null, false).limit()).isEqualTo(Limit.POP);
        // and the node's limit binds the site too, before the site's own is spent
        assertThat(limiter.admit(OTHER, "img", new SiteRateLimit(100, Duration.ofSeconds(1), 100, null), false).admitted())
                .isTrue();
        assertThat(admitted(limiter, OTHER, 10)).isEqualTo(4);
    }

    @Test
    void twoSitesLimitsAreApart() {
        RateLimiter limiter = new RateLimiter(RateLimitConfig.defaults(), ticker, Runnable::run); // node's limit off
        SiteRateLimit one = new SiteRateLimit(1, Duration.ofHours(1), 1, null);
        assertThat(limiter.admit(CLIENT, "a", one, false).admitted()).isTrue();
        assertThat(limiter.admit(CLIENT, "a", one, false).admitted()).isFalse();
        assertThat(limiter.admit(CLIENT, "b", one, false).admitted()).isTrue();
        assertThat(limiter.admit(CLIENT, "a", one, false).retryAfterSeconds()).isEqualTo(3600);
    }

    @Test
    void withTheNodesLimitOffOnlySitesLimitsApply() {
        RateLimiter limiter = new RateLimiter(RateLimitConfig.defaults(), ticker, Runnable::run);
        assertThat(admitted(limiter, CLIENT, 1_000)).isEqualTo(1_000);
        assertThat(limiter.size()).as("no bucket held for nothing").isZero();
    }

    @Test
    void aChangedSiteLimitStartsAfresh() {
        RateLimiter limiter = new RateLimiter(RateLimitConfig.defaults(), ticker, Runnable::run);
        SiteRateLimit strict = new SiteRateLimit(1, Duration.ofHours(1), 1, null);
        limiter.admit(CLIENT, "a", strict, false);
        assertThat(limiter.admit(CLIENT, "a", strict, false).admitted()).isFalse();
        assertThat(limiter.admit(CLIENT, "a", new SiteRateLimit(1, Duration.ofHours(1), 2, null), false).admitted()).isTrue();
    }

    @Test
    void missesOnlyLetsHitsThrough() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(1), 2, AppliesTo.MISSES);
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.admit(CLIENT, null, null, true).admitted()).as("hit " + i).isTrue();
        }
        assertThat(admitted(limiter, CLIENT, 10)).as("misses").isEqualTo(2);
        assertThat(limiter.admit(CLIENT, null, null, true).admitted()).as("a hit after the misses ran out").isTrue();
    }

    @Test
    void allCountsHitsToo() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(1), 2, AppliesTo.ALL);
        assertThat(limiter.admit(CLIENT, null, null, true).admitted()).isTrue();
        assertThat(limiter.admit(CLIENT, null, null, true).admitted()).isTrue();
        assertThat(limiter.admit(CLIENT, null, null, true).admitted()).isFalse();
    }

    @Test
    void aSiteWithoutAppliesToFollowsTheNodeAndOneWithItsOwnDoesNot() {
        RateLimiter limiter = new RateLimiter(RateLimitConfig.defaults().enabled(1_000, Duration.ofSeconds(1), 1_000,
                AppliesTo.MISSES), ticker, Runnable::run);
        SiteRateLimit inherits = new SiteRateLimit(1, Duration.ofSeconds(1), 1, null);
        SiteRateLimit all = new SiteRateLimit(1, Duration.ofSeconds(1), 1, AppliesTo.ALL);
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.admit(CLIENT, "a", inherits, true).admitted()).isTrue();
        }
        assertThat(limiter.admit(CLIENT, "b", all, true).admitted()).isTrue();
        assertThat(limiter.admit(CLIENT, "b", all, true).limit()).isEqualTo(Limit.SITE);
    }

    @Test
    void theTableStaysWithinItsBoundWhateverTheNumberOfAddresses() {
        RateLimitConfig config = new RateLimitConfig(true, 10, Duration.ofSeconds(1), 20, AppliesTo.ALL, 1_000,
                Duration.ofHours(1));
        RateLimiter limiter = new RateLimiter(config, ticker, Runnable::run);
        for (int i = 0; i < 100_000; i++) {
            limiter.admit("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), null, null, false);
        }
        limiter.cleanUp();
        assertThat(limiter.size()).isLessThanOrEqualTo(1_000);
    }

    @Test
    void anIdleBucketExpiresButNotBeforeItWouldHaveRefilled() {
        // idle expiry 1s, but an empty bucket of 10 at 1/s takes 10 s to refill: it is kept that long
        RateLimitConfig config = new RateLimitConfig(true, 1, Duration.ofSeconds(1), 10, AppliesTo.ALL, 1_000,
                Duration.ofSeconds(1));
        RateLimiter limiter = new RateLimiter(config, ticker, Runnable::run);
        assertThat(admitted(limiter, CLIENT, 10)).isEqualTo(10);
        advance(Duration.ofSeconds(5));
        limiter.cleanUp();
        assertThat(limiter.size()).as("kept while refilling").isEqualTo(1);
        assertThat(admitted(limiter, CLIENT, 10)).as("5 s gave 5 tokens, not a fresh bucket").isEqualTo(5);
        advance(Duration.ofSeconds(11));
        limiter.cleanUp();
        assertThat(limiter.size()).as("dropped once idle past the refill time").isZero();
    }

    @Test
    void concurrentRequestsOfOneClientNeverGetMoreThanTheBurst() throws Exception {
        int burst = 50;
        int threads = 8;
        int perThread = 100;
        RateLimiter limiter = limiter(1, Duration.ofSeconds(1), burst, AppliesTo.ALL); // the clock stands still
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger admitted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        if (limiter.admit(CLIENT, null, null, false).admitted()) {
                            admitted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(admitted.get()).as("one bucket, shared: exactly the burst").isEqualTo(burst);
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() {
        RateLimiter limiter = limiter(1, Duration.ofMinutes(1), 2, AppliesTo.ALL);
        assertThat(admitted(limiter, "2001:db8:1:2::1", 2)).isEqualTo(2);
        assertThat(limiter.admit("2001:db8:1:2:ffff::9", null, null, false).admitted())
                .as("another address of the same /64 shares the bucket").isFalse();
        assertThat(limiter.admit("2001:db8:1:3::1", null, null, false).admitted()).as("another /64 has its own").isTrue();
        assertThat(RateLimiter.clientOf("2001:db8:1:2::1")).isEqualTo("2001:db8:1:2::/64");
        assertThat(RateLimiter.clientOf("198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(RateLimiter.clientOf("not:an:address:zz")).as("not a literal: counted as given").isEqualTo("not:an:address:zz");
    }
}
