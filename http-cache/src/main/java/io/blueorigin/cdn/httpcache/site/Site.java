package io.blueorigin.cdn.httpcache.site;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.signing.SigningPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A site: a property the fleet serves, as operators define it in admin ({@code /api/v1/sites}) or in a
 * standalone node's YAML. One parser ({@link #fromMap}) for both, over decoded JSON/YAML, so admin's 400
 * and a node's start-up error say the same thing; {@link #toMap} is its inverse (what admin stores and
 * sends down the log).
 *
 * <p>JSON form (docs/sites.md):
 * <pre>{@code
 * {"name": "img", "hosts": ["img.example.com", "*.img.example.com"],
 *  "origins": [{"url": "https://10.0.0.7", "host": "img.example.com", "connectTimeout": "2s",
 *               "readTimeout": "30s", "maxConcurrent": 256, "verifyTls": true}],
 *  "caching": {"edgeTtlCap": "30s", "shieldTtlCap": "5m", "negativeTtl": "10s", "requestNoCache": "ignore",
 *              "query": {"mode": "allow-list", "allow": ["w", "h"]},
 *              "cookies": {"mode": "strip", "names": ["_ga"]}},
 *  "delivery": {"rateLimit": {"rate": 20, "per": "1s", "burst": 40, "appliesTo": "misses"},
 *               "signing": {"rules": [{"prefix": "/private/", "mode": "required", "params": ["w"]}]}}}
 * }</pre>
 * {@code delivery} holds how objects are delivered to clients: {@code rateLimit} ({@link SiteRateLimit}) and
 * {@code signing}, the signed-URL policy ({@link SiteSigning}, docs/signed-urls.md); other members are refused.
 *
 * @param name 1-63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit: the first part
 *     of every cache key of the site, a metrics label, and the {@code /api/v1/sites/{name}} path
 * @param hosts the host names it claims (none: reachable only as a node's default site)
 * @param origins where its misses are fetched, at least one; with several, keys are spread over them by
 *     consistent hashing and an unusable one's keys go to the next
 * @param caching its caching settings over the node's
 * @param rateLimit its own rate limit per client at the edge ({@code delivery.rateLimit}), on top of the node's;
 *     null: only the node's
 * @param signing which of its paths need signed URLs ({@code delivery.signing}; {@link SigningPolicy#NONE}: none)
 */
public record Site(String name, List<HostPattern> hosts, List<Origin> origins, SiteCaching caching,
        @Nullable SiteRateLimit rateLimit, SigningPolicy signing) {
    static final Set<String> FIELDS = Set.of("name", "hosts", "origins", "caching", "delivery");
    /** The members of {@code delivery}. */
    static final Set<String> DELIVERY_FIELDS = Set.of("rateLimit", "signing");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    /** Most host names one site claims. */
    public static final int MAX_HOSTS = 100;
    /** Most origins one site has. */
    public static final int MAX_ORIGINS = 16;

    public Site {
        requireNonNull(name, "name is null");
        hosts = List.copyOf(hosts);
        origins = List.copyOf(origins);
        requireNonNull(caching, "caching is null");
        requireNonNull(signing, "signing is null");
        if (!NAME.matcher(name).matches()) {
            throw new SiteException("name", "'" + name + "': expected 1-63 lower-case letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit");
        }
        if (origins.isEmpty()) {
            throw new SiteException("origins", "at least one origin");
        }
    }

    /** A site with no delivery settings of its own. */
    public Site(String name, List<HostPattern> hosts, List<Origin> origins, SiteCaching caching) {
        this(name, hosts, origins, caching, null, SigningPolicy.NONE);
    }

    /** A site with its own rate limit and no signed URLs. */
    public Site(String name, List<HostPattern> hosts, List<Origin> origins, SiteCaching caching,
            @Nullable SiteRateLimit rateLimit) {
        this(name, hosts, origins, caching, rateLimit, SigningPolicy.NONE);
    }

    /** A site with signed URLs and no rate limit of its own. */
    public Site(String name, List<HostPattern> hosts, List<Origin> origins, SiteCaching caching, SigningPolicy signing) {
        this(name, hosts, origins, caching, null, signing);
    }

    /** A site with one origin, no host names and the node's caching settings (a standalone node's default site). */
    public static Site of(String name, java.net.URI origin) {
        return new Site(name, List.of(), List.of(Origin.of(origin)), SiteCaching.DEFAULTS);
    }

    /** Whether {@code name} is a valid site name. */
    public static boolean isValidName(String name) {
        return NAME.matcher(name).matches();
    }

    /**
     * Reads a site definition.
     *
     * @throws SiteException naming the field: unknown fields, wrong types, bad URLs, host names or wildcards,
     *     a host claimed twice, values out of range
     */
    public static Site fromMap(Object value) {
        Fields f = Fields.of(value, "", FIELDS);
        String name = f.string("name");
        if (!NAME.matcher(name).matches()) {
            throw new SiteException("name", "'" + name + "': expected 1-63 lower-case letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit");
        }
        List<Object> hostValues = f.list("hosts");
        if (hostValues.size() > MAX_HOSTS) {
            throw new SiteException("hosts", "at most " + MAX_HOSTS + " host names");
        }
        List<HostPattern> hosts = new ArrayList<>();
        for (int i = 0; i < hostValues.size(); i++) {
            if (!(hostValues.get(i) instanceof String s)) {
                throw new SiteException("hosts[" + i + "]", "expected a host name");
            }
            HostPattern p = HostPattern.parse(s, "hosts[" + i + "]");
            for (HostPattern earlier : hosts) {
                if (earlier.overlaps(p)) {
                    throw new SiteException("hosts[" + i + "]", "'" + s + "' overlaps '" + earlier + "' of the same list");
                }
            }
            hosts.add(p);
        }
        List<Object> originValues = f.list("origins");
        if (originValues.isEmpty() || originValues.size() > MAX_ORIGINS) {
            throw new SiteException("origins", "expected 1 to " + MAX_ORIGINS + " origins");
        }
        List<Origin> origins = new ArrayList<>();
        for (int i = 0; i < originValues.size(); i++) {
            Origin o = Origin.fromMap(originValues.get(i), "origins[" + i + "]");
            for (Origin earlier : origins) {
                if (earlier.url().equals(o.url())) {
                    throw new SiteException("origins[" + i + "].url", "'" + o.url() + "' is listed twice");
                }
            }
            origins.add(o);
        }
        Object delivery = f.raw("delivery");
        Fields d = delivery == null ? null : Fields.of(delivery, "delivery", DELIVERY_FIELDS);
        SiteRateLimit rateLimit = d == null ? null : SiteRateLimit.fromMap(d.raw("rateLimit"), d.path("rateLimit"));
        SigningPolicy signing = d == null ? SigningPolicy.NONE : SiteSigning.fromMap(d.raw("signing"), d.path("signing"));
        return new Site(name, hosts, origins, SiteCaching.fromMap(f.raw("caching"), "caching"), rateLimit, signing);
    }

    /** The definition as JSON/YAML values, which {@link #fromMap} reads back to an equal site. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("hosts", hosts.stream().map(HostPattern::toString).toList());
        m.put("origins", origins.stream().map(Origin::toMap).toList());
        m.put("caching", caching.toMap());
        Map<String, Object> delivery = new LinkedHashMap<>();
        if (rateLimit != null) {
            delivery.put("rateLimit", rateLimit.toMap());
        }
        if (!signing.equals(SigningPolicy.NONE)) {
            delivery.put("signing", SiteSigning.toMap(signing));
        }
        m.put("delivery", delivery);
        return m;
    }
}
