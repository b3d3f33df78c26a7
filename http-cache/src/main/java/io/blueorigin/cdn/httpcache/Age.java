package io.blueorigin.cdn.httpcache;

/**
 * Age calculation, RFC 9111 §4.2.3, in the RFC's own terms. All times are epoch milliseconds; the
 * result is never negative. (Traffic Server's {@code calculate_document_age} follows RFC 2616's
 * formula; this is RFC 9111's, which takes the larger of the apparent and the corrected age.)
 *
 * <pre>
 *   apparent_age          = max(0, response_time - date_value)
 *   response_delay        = response_time - request_time
 *   corrected_age_value   = age_value + response_delay
 *   corrected_initial_age = max(apparent_age, corrected_age_value)
 *   resident_time         = now - response_time
 *   current_age           = corrected_initial_age + resident_time
 * </pre>
 *
 * <p>Two departures, both for clocks that disagree (Varnish's {@code clock_skew} does the first):
 * <ul>
 *   <li>an apparent_age above {@link #CLOCK_SKEW_MILLIS} counts as 0. A cache's own answer carries {@code Age}, and a
 *       slow origin's time is in response_delay, so what is left of a large apparent_age is one clock being wrong:
 *       an origin whose clock is a minute behind, or this node's clock stepped forward. Counted, such a gap makes
 *       every response with a shorter lifetime stale on arrival, and the tier behind sends every request on to the
 *       origin. The price: an HTTP/1.0 cache upstream that sends no {@code Age} has its copies taken as newer.
 *   <li>a response received more than {@link #CLOCK_SKEW_MILLIS} after now (this node's clock stepped back since)
 *       has an unknown age: {@link CachedResponse#currentAgeMillis} takes it as just stale, so it is revalidated
 *       instead of being served as fresh for as long as the step.
 * </ul>
 */
public final class Age {
    /** How far two clocks may disagree before a difference is taken for a wrong clock rather than for age. */
    public static final long CLOCK_SKEW_MILLIS = 10_000;

    private Age() {}

    /**
     * @param ageValueSeconds the {@code Age} header (delta-seconds; 0 when absent or invalid)
     * @param dateValueMillis the {@code Date} header, or -1 when absent or invalid (apparent age is then 0)
     * @param requestTimeMillis when the request that produced the response was sent
     * @param responseTimeMillis when the response was received
     * @return corrected_initial_age in milliseconds
     */
    public static long correctedInitialAge(long ageValueSeconds, long dateValueMillis, long requestTimeMillis,
            long responseTimeMillis) {
        long apparentAge = dateValueMillis < 0 ? 0 : Math.max(0, responseTimeMillis - dateValueMillis);
        if (apparentAge > CLOCK_SKEW_MILLIS) {
            apparentAge = 0; // a wrong clock, not age (see above)
        }
        long responseDelay = Math.max(0, responseTimeMillis - requestTimeMillis);
        // age_value is delta-seconds, at most 2^31 (DeltaSeconds.MAX), so the product fits in a long
        long correctedAgeValue = Math.min(Math.max(0, ageValueSeconds), DeltaSeconds.MAX) * 1000 + responseDelay;
        return Math.max(apparentAge, correctedAgeValue);
    }

    /**
     * current_age = corrected_initial_age + resident_time (a clock that went backwards adds nothing; by more than
     * {@link #CLOCK_SKEW_MILLIS}, {@link #receivedInTheFuture} says so and the caller decides).
     */
    public static long currentAge(long correctedInitialAgeMillis, long responseTimeMillis, long nowMillis) {
        long residentTime = Math.max(0, nowMillis - responseTimeMillis);
        return saturatedAdd(correctedInitialAgeMillis, residentTime);
    }

    /** Whether a response received at {@code responseTimeMillis} lies beyond the skew allowance after {@code nowMillis}. */
    public static boolean receivedInTheFuture(long responseTimeMillis, long nowMillis) {
        return responseTimeMillis - nowMillis > CLOCK_SKEW_MILLIS;
    }

    /** The {@code Age} header value: current age in whole seconds, capped at 2^31 (§5.1). */
    public static long headerSeconds(long currentAgeMillis) {
        return Math.min(currentAgeMillis / 1000, DeltaSeconds.MAX);
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
