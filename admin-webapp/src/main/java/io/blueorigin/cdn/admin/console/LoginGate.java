package io.blueorigin.cdn.admin.console;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What bounds logins, in memory on each admin replica (the per-user lock is in PostgreSQL,
 * {@code ConsoleUsers}):
 * <ul>
 *   <li>at most {@link #CONCURRENT_HASHES} password hashes at once (each takes 19 MiB and a core for tens of
 *       milliseconds): a login flood waits up to {@link #HASH_WAIT}, then gets 429, and the heap stays bounded;
 *   <li>at most {@link #CLIENT_FAILURES} failed logins per client address per {@link #CLIENT_WINDOW}, then 429
 *       until the window ends; at most {@link #CLIENTS} addresses are tracked (Caffeine evicts beyond).
 * </ul>
 */
final class LoginGate {
    static final int CONCURRENT_HASHES = 2;
    static final Duration HASH_WAIT = Duration.ofSeconds(5);
    static final int CLIENT_FAILURES = 20;
    static final Duration CLIENT_WINDOW = Duration.ofMinutes(15);
    static final int CLIENTS = 10_000;

    private final Semaphore hashing = new Semaphore(CONCURRENT_HASHES);
    private final Cache<String, AtomicInteger> failures = Caffeine.newBuilder().maximumSize(CLIENTS)
            .expireAfterWrite(CLIENT_WINDOW).build();

    /** Thrown when the hashes are all busy for longer than {@link #HASH_WAIT}. */
    static final class Busy extends Exception {
        private static final long serialVersionUID = 1L;

        Busy() {
            super("too many logins at once", null, false, false);
        }
    }

    /** Whether {@code client} failed too often lately. */
    boolean blocked(String client) {
        AtomicInteger count = failures.getIfPresent(client);
        return count != null && count.get() >= CLIENT_FAILURES;
    }

    void failed(String client) {
        failures.asMap().computeIfAbsent(client, c -> new AtomicInteger()).incrementAndGet();
    }

    void succeeded(String client) {
        failures.invalidate(client);
    }

    /** Runs {@code hash} when a hashing slot is free (released on every path). */
    <T> T hashing(Supplier<T> hash) throws Busy {
        boolean acquired;
        try {
            acquired = hashing.tryAcquire(HASH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy();
        }
        if (!acquired) {
            throw new Busy();
        }
        try {
            return hash.get();
        } finally {
            hashing.release();
        }
    }

    /** Free hashing slots now (at rest: {@link #CONCURRENT_HASHES}); for tests. */
    int freeHashSlots() {
        return hashing.availablePermits();
    }
}
