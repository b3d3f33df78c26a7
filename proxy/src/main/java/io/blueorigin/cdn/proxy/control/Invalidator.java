package io.blueorigin.cdn.proxy.control;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CacheKey;
import io.blueorigin.cdn.httpcache.range.Slices;
import io.blueorigin.cdn.storage.CacheStore;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Applies invalidation entries to this node's store and {@link LocalInvalidations}; returns how many
 * objects each affected. Blocking (the disk tier); runs on the agent's threads, and for an edge's own
 * PURGE on the store's I/O executor. Applying an entry twice is harmless (the second finds nothing).
 *
 * <p>Costs, for a store of n objects: a URL purge is one key lookup per distinct URL; a tag purge one
 * {@code removeTagged}/{@code markTaggedStale} per distinct tag (an entry may repeat a tag, admin keeps
 * tags as given: each repeat would be another pass over the tag's objects); a ban is screened at once
 * ({@link #screen}) and swept by {@link #sweep} with {@link CacheStore#removeIf}, which judges objects by
 * key and response time only: it never reads a body and never promotes an object to the heap tier.
 */
public final class Invalidator {
    /** Marker: the last soft purge-all, so a restarted node keeps treating older objects as stale. */
    static final String SOFT_PURGE_ALL_MARKER = "invalidation.soft-purge-all-at";

    private final CacheStore store;
    private final SiteDirectory sites;
    private final Clock clock;
    private final LocalInvalidations local;

    public Invalidator(CacheStore store, SiteDirectory sites, Clock clock, LocalInvalidations local) {
        this.store = requireNonNull(store, "store is null");
        this.sites = requireNonNull(sites, "sites is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.local = requireNonNull(local, "local is null");
    }

    /** An invalidator of a node serving one site, {@code site}, whatever the host. */
    public Invalidator(CacheStore store, String site, Clock clock, LocalInvalidations local) {
        this(store, SiteDirectory.single(site), clock, local);
    }

    /**
     * Applies {@code entry} completely (a ban: screened, then swept here; a lift: the ban leaves the screen at
     * once, its sweep having run here); returns the objects removed or marked stale.
     */
    public int apply(Invalidation entry) {
        if (entry.kind() == Invalidation.Kind.BAN) {
            return sweep(screen(entry), () -> false);
        }
        if (entry.kind() == Invalidation.Kind.BAN_LIFT) {
            return lift(entry);
        }
        return applyNow(entry);
    }

    /**
     * Applies {@code entry}, which is neither a ban (see {@link #screen}) nor a lift (see {@link #lift}); returns
     * the objects removed or marked stale.
     */
    int applyNow(Invalidation entry) {
        long now = clock.millis();
        return switch (entry.kind()) {
            case PURGE -> {
                Set<String> keys = new LinkedHashSet<>();
                for (Invalidation.Url url : entry.urls()) {
                    // a URL naming a host belongs to that host's site, as a request for it would; a path to the entry's
                    String site = url.site() != null ? sites.siteFor(url.site().toLowerCase(Locale.ROOT))
                            : entry.site() != null ? entry.site() : sites.siteFor(null);
                    if (site != null) {
                        keys.add(sites.keyOf(site, url.path(), url.query()));
                    }
                }
                int n = 0;
                for (String key : keys) {
                    // and the key's slice entries (docs/ranges.md), found by the tag each carries
                    n += entry.soft() ? store.markStale(key, now) + store.markTaggedStale(Slices.tag(key), now)
                            : store.remove(key) + store.removeTagged(Slices.tag(key));
                }
                yield n;
            }
            case PURGE_TAGS -> {
                int n = 0;
                for (String tag : new LinkedHashSet<>(entry.tags())) {
                    if (entry.site() == null) {
                        n += entry.soft() ? store.markTaggedStale(tag, now) : store.removeTagged(tag);
                    } else {
                        String prefix = entry.site() + " ";
                        for (String key : store.taggedKeys(tag)) {
                            if (key.startsWith(prefix)) {
                                n += entry.soft() ? store.markStale(key, now) : store.remove(key);
                            }
                        }
                    }
                }
                yield n;
            }
            case BAN -> throw new IllegalArgumentException("invalidation " + entry.id() + " is a ban: screen it, then sweep it");
            case BAN_LIFT -> throw new IllegalArgumentException("entry " + entry.id() + " lifts a ban: lift it once the"
                    + " ban's sweep is done");
            case PURGE_ALL -> {
                if (entry.site() != null) {
                    yield purgeSite(entry.site(), entry.soft(), now);
                }
                if (entry.soft()) {
                    local.softPurgeAll(now);
                    store.putMarker(SOFT_PURGE_ALL_MARKER, now);
                    yield store.primaryKeys().size();
                }
                yield store.clear();
            }
            case SITE_PUT -> {
                if (entry.id() > sites.table().version()) { // else the table already holds it (registration's copy)
                    sites.replace(sites.table().with(entry.id(), requireNonNull(entry.definition(), "definition")));
                }
                yield 0;
            }
            case SITE_REMOVE -> {
                String name = requireNonNull(entry.site(), "site");
                if (entry.id() > sites.table().version()) {
                    sites.replace(sites.table().without(entry.id(), name));
                }
                yield sites.has(name) ? 0 : purgeSite(name, false, now); // a default site of that name keeps its objects
            }
            case KEYS_PUT -> {
                // the whole keyring as of this entry: applying it again (a replay) changes nothing
                sites.keyrings().put(requireNonNull(entry.site(), "site"), requireNonNull(entry.keyring(), "keyring"));
                yield 0;
            }
        };
    }

    /** Removes (or marks stale) every object of {@code site}: a walk over the keys, no body read. */
    private int purgeSite(String site, boolean soft, long now) {
        String prefix = site + " ";
        if (!soft) {
            return store.removeIf((key, responseTime) -> key.startsWith(prefix));
        }
        int n = 0;
        for (String key : store.primaryKeys()) {
            if (key.startsWith(prefix)) {
                n += store.markStale(key, now);
            }
        }
        return n;
    }

    /**
     * Makes ban {@code entry} effective at once: from now on lookups screen out what it covers (Varnish's lazy
     * bans). Cheap; the store still holds the objects until {@link #sweep} removes them.
     *
     * @return the ban, to sweep
     */
    Ban screen(Invalidation entry) {
        Invalidation.BanSpec spec = entry.ban().orElseThrow(() -> new IllegalArgumentException("invalidation " + entry.id()
                + " is not a ban"));
        Ban ban = new Ban(entry.id(), spec.kind(), spec.pattern(), entry.site(), clock.millis(), spec.expiresAt().toEpochMilli());
        local.addBan(ban);
        return ban;
    }

    /**
     * Removes every stored object {@code ban} invalidates (judged by key and response time, no body read);
     * the hit path screens them meanwhile. Stops judging (removes nothing more) once {@code stop} says so.
     *
     * @return how many objects it removed
     */
    int sweep(Ban ban, BooleanSupplier stop) {
        return store.removeIf((key, responseTimeMillis) -> !stop.getAsBoolean() && ban.bans(key, responseTimeMillis));
    }

    /**
     * Applies lift {@code entry}: its ban stops screening lookups. Call it once that ban's sweep (if any) is done,
     * so the lift never brings back an object the ban covered; it removes nothing, and a ban this node does not
     * hold (expired, retired, or never handed out) is no matter.
     *
     * @return 0: a lift affects no object
     */
    int lift(Invalidation entry) {
        if (entry.kind() != Invalidation.Kind.BAN_LIFT) {
            throw new IllegalArgumentException("entry " + entry.id() + " is not a ban lift");
        }
        local.liftBan(entry.liftedBan());
        return 0;
    }

    /** Re-reads what a restarted store remembers. */
    void restore() {
        local.softPurgeAll(store.marker(SOFT_PURGE_ALL_MARKER, 0));
    }
}
