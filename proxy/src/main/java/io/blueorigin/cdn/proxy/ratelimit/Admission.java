package io.blueorigin.cdn.proxy.ratelimit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What {@link RateLimiter#admit} decided for one request: admitted, or refused by one limit, with how long the
 * client should wait before its next request can succeed.
 *
 * @param limit null when admitted; else the limit that refused: the node's ({@link Limit#POP}) or the site's own
 *     ({@link Limit#SITE})
 * @param retryAfterSeconds when refused: whole seconds until the refusing bucket has a token again (at least 1:
 *     the {@code Retry-After} value, RFC 9110 §10.2.3); 0 when admitted
 * @param rate when refused: the refusing limit's rate (for the message); 0 when admitted
 * @param period when refused: what {@code rate} is counted over; zero when admitted
 * @param burst when refused: the refusing limit's burst; 0 when admitted
 */
public record Admission(@Nullable Limit limit, long retryAfterSeconds, int rate, Duration period, int burst) {

    /** Which limit refused a request. */
    public enum Limit {
        /** The node's limit per client ({@code ratelimit.*}). */
        POP,
        /** The site's own limit per client ({@code delivery.rateLimit}). */
        SITE
    }

    /** The one admitted value. */
    public static final Admission ADMITTED = new Admission(null, 0, 0, Duration.ZERO, 0);

    public Admission {
        requireNonNull(period, "period is null");
        if (limit == null ? retryAfterSeconds != 0 || rate != 0 || burst != 0 : retryAfterSeconds < 1) {
            throw new IllegalArgumentException("admitted carries no wait; refused waits at least 1s: " + limit + ", "
                    + retryAfterSeconds);
        }
    }

    static Admission refused(Limit limit, long retryAfterSeconds, int rate, Duration period, int burst) {
        return new Admission(requireNonNull(limit, "limit is null"), retryAfterSeconds, rate, period, burst);
    }

    public boolean admitted() {
        return limit == null;
    }

    /**
     * The 429 body: one line of plain text saying which limit, its rate and when to retry, e.g. {@code rate
     * limited: more than 100 requests per 1s (burst 200) from this address at this site; retry after 1 s}.
     */
    public String message() {
        if (limit == null) {
            return "admitted";
        }
        return "rate limited: more than " + rate + " requests per " + format(period) + " (burst " + burst + ") from this address"
                + (limit == Limit.SITE ? " at this site" : "") + "; retry after " + retryAfterSeconds + " s";
    }

    /** {@code 1s}, {@code 1m}, {@code 1h}, {@code 1d} or {@code 90s}: the period as the settings write it. */
    private static String format(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
