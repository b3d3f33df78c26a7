package io.blueorigin.cdn.httpcache.site;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CachePolicyConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A site's caching settings: each one left unset (null) keeps the node's own setting ({@code cache.*}).
 *
 * @param edgeTtlCap longest an edge serves an object of this site without revalidating (clamps, never extends)
 * @param shieldTtlCap the same at a shield
 * @param negativeTtl lifetime of 404/410 answers that carry no freshness (0s: not cached)
 * @param requestNoCache what a client's {@code no-cache} does: revalidate, or ignore (protect the origin)
 * @param query what the key keeps of the query
 * @param cookies what is done with request cookies
 */
public record SiteCaching(@Nullable Duration edgeTtlCap, @Nullable Duration shieldTtlCap, @Nullable Duration negativeTtl,
        CachePolicyConfig.@Nullable RequestNoCache requestNoCache, QueryPolicy query, CookiePolicy cookies) {
    static final Set<String> FIELDS = Set.of("edgeTtlCap", "shieldTtlCap", "negativeTtl", "requestNoCache", "query",
            "cookies");
    /** Longest TTL cap or negative TTL a site may set. */
    static final Duration MAX_TTL = Duration.ofDays(365);

    public static final SiteCaching DEFAULTS = new SiteCaching(null, null, null, null, QueryPolicy.KEEP, CookiePolicy.PASS);

    public SiteCaching {
        requireNonNull(query, "query is null");
        requireNonNull(cookies, "cookies is null");
    }

    /** The node's policy {@code base} with this site's settings over it; {@code shield} picks the TTL cap. */
    public CachePolicyConfig applyTo(CachePolicyConfig base, boolean shield) {
        Duration cap = shield ? shieldTtlCap : edgeTtlCap;
        return new CachePolicyConfig(cap == null ? base.ttlCapMillis() : cap.toMillis(), base.heuristicFraction(),
                base.heuristicMaxMillis(), negativeTtl == null ? base.negativeTtlMillis() : negativeTtl.toMillis(),
                base.errorTtlMillis(), base.maxStaleOnErrorMillis(),
                requestNoCache == null ? base.requestNoCache() : requestNoCache, base.setCookie(), base.targetedFields());
    }

    static SiteCaching fromMap(@Nullable Object value, String path) {
        if (value == null) {
            return DEFAULTS;
        }
        Fields f = Fields.of(value, path, FIELDS);
        return new SiteCaching(f.duration("edgeTtlCap", Duration.ZERO, MAX_TTL), f.duration("shieldTtlCap", Duration.ZERO, MAX_TTL),
                f.duration("negativeTtl", Duration.ZERO, MAX_TTL),
                f.has("requestNoCache") ? f.choice("requestNoCache", CachePolicyConfig.RequestNoCache.class, null) : null,
                QueryPolicy.fromMap(f.raw("query"), f.path("query")), CookiePolicy.fromMap(f.raw("cookies"), f.path("cookies")));
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (edgeTtlCap != null) {
            m.put("edgeTtlCap", Fields.format(edgeTtlCap));
        }
        if (shieldTtlCap != null) {
            m.put("shieldTtlCap", Fields.format(shieldTtlCap));
        }
        if (negativeTtl != null) {
            m.put("negativeTtl", Fields.format(negativeTtl));
        }
        if (requestNoCache != null) {
            m.put("requestNoCache", Fields.label(requestNoCache));
        }
        m.put("query", query.toMap());
        m.put("cookies", cookies.toMap());
        return m;
    }
}
