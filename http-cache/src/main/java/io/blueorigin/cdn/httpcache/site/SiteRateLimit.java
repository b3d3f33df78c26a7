package io.blueorigin.cdn.httpcache.site;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A site's own rate limit per client address ({@code delivery.rateLimit}, docs/rate-limits.md): a token bucket
 * per client and site, checked at the edge <em>in addition to</em> the node's bucket per client
 * ({@code ratelimit.*}), so a site can be stricter than the POP but never lift the POP's protection.
 *
 * <p>JSON form: {@code {"perSecond": 20, "burst": 40, "appliesTo": "misses"}}; {@code appliesTo} left out keeps
 * the node's {@code ratelimit.applies-to}.
 *
 * @param perSecond tokens added per second (the sustained request rate one client may keep up)
 * @param burst bucket capacity: requests one client may send at once after being idle; at least 1
 * @param appliesTo which requests take a token: every one, or only those not answered from the cache; null
 *     keeps the node's setting
 */
public record SiteRateLimit(int perSecond, int burst, @Nullable AppliesTo appliesTo) {
    static final Set<String> FIELDS = Set.of("perSecond", "burst", "appliesTo");
    /** Largest {@code perSecond} and {@code burst}: beyond it a per-client limit protects nothing. */
    public static final int MAX = 1_000_000;

    /** Which requests a rate limit counts; as written in JSON and settings: {@code all}, {@code misses}. */
    public enum AppliesTo {
        /** Every request, hits included (protects the node as well as the origin). */
        ALL,
        /** Only requests not answered from the cache (protects the origin; hits are free). */
        MISSES
    }

    public SiteRateLimit {
        if (perSecond < 1 || perSecond > MAX) {
            throw new SiteException("delivery.rateLimit.perSecond", "expected a whole number from 1 to " + MAX + ", not " + perSecond);
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
        for (String required : new String[] {"perSecond", "burst"}) {
            if (!f.has(required)) {
                throw new SiteException(f.path(required), "required (a whole number from 1 to " + MAX + ")");
            }
        }
        return new SiteRateLimit(f.integer("perSecond", 0, 1, MAX), f.integer("burst", 0, 1, MAX),
                f.has("appliesTo") ? f.choice("appliesTo", AppliesTo.class, AppliesTo.ALL) : null);
    }

    /** The JSON form, which {@link #fromMap} reads back to an equal limit. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("perSecond", perSecond);
        m.put("burst", burst);
        if (appliesTo != null) {
            m.put("appliesTo", Fields.label(appliesTo));
        }
        return m;
    }
}
