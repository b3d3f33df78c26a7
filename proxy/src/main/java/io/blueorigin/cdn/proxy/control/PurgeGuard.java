package io.blueorigin.cdn.proxy.control;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What keeps {@code PURGE} on a public edge from being a way to flood admin: token checks whose answer is
 * known are not asked again, and a client address that keeps failing is refused for a while.
 *
 * <ul>
 *   <li><b>Refusals remembered</b>: admin's 401 or 403 for an {@code Authorization} value is kept for
 *       {@link #REFUSAL_TTL} (by SHA-256, never the secret itself; at most {@link #MAX_REFUSALS}), and answered
 *       from here. Sound because a refusal does not change: an unknown token never becomes valid, a revoked one
 *       is never reinstated, a token's scopes are fixed. A valid token cannot be answered from memory: each
 *       purge must reach admin's log, so that check is admin's, on every purge.
 *   <li><b>Failures limited per client address</b> (the TCP peer, never a forwarding field a client could
 *       forge): more than {@link #MAX_FAILURES} failed attempts (no token, malformed, refused) within
 *       {@link #WINDOW} make every {@code PURGE} from that address a 429 until the window ends. At most
 *       {@link #MAX_ADDRESSES} addresses are tracked (Caffeine evicts beyond that).
 * </ul>
 * Thread-safe (Caffeine and atomics); memory bounded by the two maximum sizes.
 */
final class PurgeGuard {
    /** How long admin's refusal of a token is answered from memory. */
    static final Duration REFUSAL_TTL = Duration.ofMinutes(1);
    /** Most refusals remembered. */
    static final int MAX_REFUSALS = 10_000;
    /** Failed attempts an address may make per window. */
    static final int MAX_FAILURES = 20;
    /** The window failures are counted in, from an address's first failure. */
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Most client addresses tracked. */
    static final int MAX_ADDRESSES = 10_000;

    /** A refusal as admin answered it. */
    record Refusal(int status, String body) {}

    /** Failures of one address since {@code startNanos}. */
    private record Window(long startNanos, AtomicInteger failures) {}

    private final Ticker ticker;
    private final Cache<String, Refusal> refusals;
    private final Cache<String, Window> failures;

    PurgeGuard() {
        this(Ticker.systemTicker());
    }

    PurgeGuard(Ticker ticker) {
        this.ticker = ticker;
        this.refusals = Caffeine.newBuilder().ticker(ticker).maximumSize(MAX_REFUSALS).expireAfterWrite(REFUSAL_TTL).build();
        this.failures = Caffeine.newBuilder().ticker(ticker).maximumSize(MAX_ADDRESSES).expireAfterWrite(WINDOW).build();
    }

    /** Seconds until {@code address} may try again, if it is limited now. */
    Optional<Long> limited(String address) {
        Window window = failures.getIfPresent(address);
        if (window == null || window.failures().get() < MAX_FAILURES) {
            return Optional.empty();
        }
        long left = WINDOW.toNanos() - (ticker.read() - window.startNanos());
        return Optional.of(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(left + 999_999_999)));
    }

    /** Counts a failed attempt from {@code address}. */
    void failed(String address) {
        failures.get(address, a -> new Window(ticker.read(), new AtomicInteger())).failures().incrementAndGet();
    }

    /** Admin's remembered refusal of {@code authorization}, if any. */
    Optional<Refusal> refusal(String authorization) {
        return Optional.ofNullable(refusals.getIfPresent(hash(authorization)));
    }

    /** Remembers that admin refused {@code authorization} with {@code status} (401 or 403). */
    void refused(String authorization, int status, String body) {
        refusals.put(hash(authorization), new Refusal(status, body));
    }

    /** Addresses and refusals held now (for tests: both stay bounded). */
    long size() {
        refusals.cleanUp();
        failures.cleanUp();
        return refusals.estimatedSize() + failures.estimatedSize();
    }

    private static String hash(String authorization) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(authorization.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
