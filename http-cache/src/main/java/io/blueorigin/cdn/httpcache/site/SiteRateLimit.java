package io.blueorigin.cdn.httpcache.site;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A site's own rate limit per client address ({@code delivery.rateLimit}, docs/rate-limits.md): a token bucket
 * per client and site, checked at the edge <em>in addition to</em> the node's bucket per client
 * ({@code ratelimit.*}), so a site can be stricter than the POP but never lift the POP's protection.
 *
 * <p>JSON form: {@code {"rate": 20, "per": "1s", "burst": 40, "appliesTo": "misses"}}: 20 requests a second,
 * 40 at once after a pause. {@code per} left out is one second; {@code appliesTo} left out keeps the node's
 * {@code ratelimit.applies-to}.
 *
 * @param rate tokens added each {@code per} (the sustained request rate one client may keep up)
 * @param per the period {@code rate} is counted over, from 1s to 1d ({@code 600} per {@code 1m} refills a token
 *     every 100 ms, not 600 at once)
 * @param burst bucket capacity: requests one client may send at once after being idle; at least 1
 * @param appliesTo which requests take a token: every one, or only those not answered from the cache; null
 *     keeps the node's setting
 */
public record SiteRateLimit(int rate, Duration per, int burst, @Nullable AppliesTo appliesTo) {
    static final Set<String> FIELDS = Set.of("rate", "per", "burst", "appliesTo");
    /** Largest {@code rate} and {@code burst}: beyond it a per-client limit protects nothing. */
    public static final int MAX = 1_000_000;
    /** Shortest {@code per}. */
    public static final Duration MIN_PERIOD = Duration.ofSeconds(1);
    /** Longest {@code per}. */
    public static final Duration MAX_PERIOD = Duration.ofDays(1);

    /** Which requests a rate limit counts; as written in JSON and settings: {@code all}, {@code misses}. */
    public enum AppliesTo {
        /** Every request, hits included (protects the node as well as the origin). */
        ALL,
        /** Only requests not answered from the cache (protects the origin; hits are free). */
        MISSES
    }

    public SiteRateLimit {
        if (rate < 1 || rate > MAX) {
            throw new SiteException("delivery.rateLimit.rate", "expected a whole number from 1 to " + MAX + ", not " + rate);
        }
        if (per.compareTo(MIN_PERIOD) < 0 || per.compareTo(MAX_PERIOD) > 0) {
            throw new SiteException("delivery.rateLimit.per", "expected a duration from 1s to 1d, not " + Fields.format(per));
        }
        if (burst < 1 || burst > MAX) {
            throw new SiteException("delivery.rateLimit.burst", "expected a whole number from 1 to " + MAX + ", not " + burst);
        }
    }

    /**
     * Reads {@code value} (the {@code rateLimit} object at {@code path}); null when left out.
     *
     * @throws SiteException naming the field: unknown fields, a missing or out-of-range number, an unknown
     *     {@code appliesTo}
     */
    static @Nullable SiteRateLimit fromMap(@Nullable Object value, String path) {
        if (value == null) {
            return null;
        }
        Fields f = Fields.of(value, path, FIELDS);
        for (String required : new String[] {"rate", "burst"}) {
            if (!f.has(required)) {
                throw new SiteException(f.path(required), "required (a whole number from 1 to " + MAX + ")");
            }
        }
        Duration per = f.duration("per", MIN_PERIOD, MAX_PERIOD);
        return new SiteRateLimit(f.integer("rate", 0, 1, MAX), per == null ? MIN_PERIOD : per, f.integer("burst", 0, 1, MAX),
                f.has("appliesTo") ? f.choice("appliesTo", AppliesTo.class, AppliesTo.ALL) : null);
    }

    /** The JSON form, which {@link #fromMap} reads back to an equal limit. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rate", rate);
        m.put("per", Fields.format(per));
        m.put("burst", burst);
        if (appliesTo != null) {
            m.put("appliesTo", Fields.label(appliesTo));
        }
        return m;
    }
}
