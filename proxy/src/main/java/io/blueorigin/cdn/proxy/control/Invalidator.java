package io.blueorigin.cdn.proxy.control;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CacheKey;
import io.blueorigin.cdn.storage.CacheStore;
import io.blueorigin.cdn.storage.StoredObject;
import java.time.Clock;
import java.util.Locale;

/**
 * Applies invalidation entries to this node's store and {@link LocalInvalidations}; returns how many
 * objects each affected. Blocking (the disk tier); runs on the agent's thread, and for an edge's own
 * PURGE on the store's I/O executor. Applying an entry twice is harmless (the second finds nothing).
 */
public final class Invalidator {
    /** Marker: the last soft purge-all, so a restarted node keeps treating older objects as stale. */
    static final String SOFT_PURGE_ALL_MARKER = "invalidation.soft-purge-all-at";

    private final CacheStore store;
    private final String site;
    private final Clock clock;
    private final LocalInvalidations local;

    public Invalidator(CacheStore store, String site, Clock clock, LocalInvalidations local) {
        this.store = requireNonNull(store, "store is null");
        this.site = requireNonNull(site, "site is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.local = requireNonNull(local, "local is null");
    }

    /** Applies {@code entry}; returns the number of objects removed or marked stale. */
    public int apply(Invalidation entry) {
        long now = clock.millis();
        return switch (entry.kind()) {
            case PURGE -> {
                int n = 0;
                for (Invalidation.Url url : entry.urls()) {
                    if (appliesHere(url.site())) {
                        String key = CacheKey.of(site, url.path(), url.query()).asString();
                        n += entry.soft() ? store.markStale(key, now) : store.remove(key);
                    }
                }
                yield n;
            }
            case PURGE_TAGS -> {
                int n = 0;
                for (String tag : entry.tags()) {
                    n += entry.soft() ? store.markTaggedStale(tag, now) : store.removeTagged(tag);
                }
                yield n;
            }
            case BAN -> {
                Invalidation.BanSpec spec = entry.ban().orElseThrow();
                Ban ban = new Ban(entry.id(), spec.kind(), spec.pattern(), now, spec.expiresAt().toEpochMilli());
                local.addBan(ban); // from now on lookups screen it; the sweep below removes what it covers
                yield sweep(ban);
            }
            case PURGE_ALL -> {
                if (entry.soft()) {
                    local.softPurgeAll(now);
                    store.putMarker(SOFT_PURGE_ALL_MARKER, now);
                    yield store.primaryKeys().size();
                }
                yield store.clear();
            }
        };
    }

    /** Removes every stored object {@code ban} invalidates; the hit path screens the rest lazily meanwhile. */
    int sweep(Ban ban) {
        int removed = 0;
        for (String key : store.primaryKeys()) {
            if (!ban.matches(key)) {
                continue;
            }
            boolean banned = false;
            for (StoredObject o : store.lookup(key).all()) {
                banned |= ban.bans(key, o.response().responseTimeMillis());
            }
            if (banned) {
                removed += store.remove(key);
            }
        }
        return removed;
    }

    /** A URL's site applies here when it is unset (a path), this node's site, or this node serves the default site. */
    private boolean appliesHere(String urlSite) {
        return urlSite == null || "default".equals(site) || site.equalsIgnoreCase(urlSite.toLowerCase(Locale.ROOT));
    }

    /** Re-reads what a restarted store remembers. */
    void restore() {
        local.softPurgeAll(store.marker(SOFT_PURGE_ALL_MARKER, 0));
    }
}
