package io.blueorigin.cdn.proxy.control;

import io.blueorigin.cdn.httpcache.CacheKey;
import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.site.Site;
import io.blueorigin.cdn.httpcache.site.SiteTable;
import org.jspecify.annotations.Nullable;

/**
 * What the control agent needs of a node's sites: which site a purged URL's host belongs to (the same answer
 * a request with that host gets), and the table to change when a site entry arrives. Implemented by the
 * node's {@code SiteRouter}; a fixed one-site directory for tests and tools.
 */
public interface SiteDirectory {
    /**
     * The site a request for {@code host} is served by: the site claiming it, else the node's default site,
     * else null (the node answers 421). A null host (a path without host) gets the default site.
     */
    @Nullable String siteFor(@Nullable String host);

    /**
     * The primary key of a raw path and query in {@code site}, as a request for it gets (the site's query policy
     * applied).
     *
     * @throws io.blueorigin.cdn.httpcache.RequestTarget.InvalidTarget when no request could have that target
     */
    default String keyOf(String site, String rawPath, @Nullable String rawQuery) {
        RequestTarget target = RequestTarget.parse(rawPath, rawQuery);
        Site defined = table().get(site);
        return CacheKey.stringOf(site, defined == null ? target : defined.caching().query().apply(target));
    }

    /** {@link #keyOf(String, String, String)} of a raw {@code path?query}. */
    default String keyOf(String site, String rawPathAndQuery) {
        int q = rawPathAndQuery.indexOf('?');
        return q < 0 ? keyOf(site, rawPathAndQuery, null)
                : keyOf(site, rawPathAndQuery.substring(0, q), rawPathAndQuery.substring(q + 1));
    }

    /** Whether a site of this name is served here now. */
    boolean has(String site);

    /** The table now. */
    SiteTable table();

    /** The sites' signed-URL keyrings (replaced by registration and {@code keys_put} entries). */
    SiteKeyrings keyrings();

    /**
     * Replaces the table (atomically for requests) and persists it beside the cache.
     *
     * @throws io.blueorigin.cdn.httpcache.site.SiteException when the table breaks an invariant (a host claimed by
     *     two sites); nothing changes then
     */
    void replace(SiteTable table);

    /** A directory of one site, {@code name}, serving every host (no table). */
    static SiteDirectory single(String name) {
        return new SiteDirectory() {
            private volatile SiteTable table = SiteTable.EMPTY;
            private final SiteKeyrings keyrings = SiteKeyrings.inMemory();

            @Override
            public @Nullable String siteFor(@Nullable String host) {
                Site claimed = table.select(host);
                return claimed != null ? claimed.name() : name;
            }

            @Override
            public boolean has(String site) {
                return name.equals(site) || table.get(site) != null;
            }

            @Override
            public SiteTable table() {
                return table;
            }

            @Override
            public SiteKeyrings keyrings() {
                return keyrings;
            }

            @Override
            public void replace(SiteTable newTable) {
                table = newTable;
            }
        };
    }
}
