package io.blueorigin.cdn.storage;

import io.blueorigin.cdn.httpcache.CachedResponse;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Where a node keeps stored responses, by primary cache key ({@code CacheKey.asString()}), each key holding
 * up to {@link Variants#MAX} variants. Implementations are thread-safe.
 *
 * <p>Invariant: an object is visible to lookups only once its body is complete and committed; a partially
 * written object is never served.
 *
 * <p>Lookups come in two kinds: {@link #lookupInMemory} never blocks (the hit path calls it on Jetty's
 * reading thread); {@link #lookup} may read the disk and runs on {@link #ioExecutor()}.
 */
public interface CacheStore extends AutoCloseable {

    /** The variants held in memory for {@code primaryKey}; never blocks. */
    Variants lookupInMemory(String primaryKey);

    /** Whether the disk tier may hold (more) variants of {@code primaryKey}: an in-memory check. */
    boolean mayHaveOnDisk(String primaryKey);

    /** Every stored variant of {@code primaryKey}, reading the disk if needed (blocking); small ones are promoted to memory. */
    Variants lookup(String primaryKey);

    /** Where blocking lookups run. */
    Executor ioExecutor();

    /**
     * Starts a new variant of {@code primaryKey}.
     *
     * @param response the metadata known when the headers arrived (the length may still be unknown)
     * @param announcedLength {@code Content-Length}, or -1
     */
    ObjectWriter begin(String primaryKey, CachedResponse response, long announcedLength);

    /**
     * A body that will not be stored, relayed to its readers in bounded memory: its writer is paced by the
     * slowest reader and by the process's {@link MemoryBudget} ({@link GrowingBody#isBacklogged()}).
     *
     * @param announcedLength {@code Content-Length}, or -1
     */
    GrowingBody passThrough(long announcedLength);

    /** The budget this store's bodies in transit are counted in (the process's, shared by its nodes). */
    MemoryBudget memoryBudget();

    /**
     * Replaces the metadata of {@code stored} (a variant of {@code primaryKey}) with {@code freshened},
     * keeping its body (RFC 9111 §4.3.4).
     *
     * @return the updated object
     */
    StoredObject freshen(String primaryKey, StoredObject stored, CachedResponse freshened);

    /** Removes every variant of {@code primaryKey} from every tier; returns how many objects were removed. */
    int remove(String primaryKey);

    /** Removes every object tagged {@code tag} ({@code Surrogate-Key}); returns how many objects were removed. */
    int removeTagged(String tag);

    /**
     * Marks every variant of {@code primaryKey} stale as of {@code nowMillis} (a soft purge): kept for
     * revalidation and for {@code stale-while-revalidate} / {@code stale-if-error}. Blocking (may read and
     * write the disk). Returns how many objects were marked (already stale ones count too).
     */
    int markStale(String primaryKey, long nowMillis);

    /** {@link #markStale} for every object tagged {@code tag}; blocking. */
    int markTaggedStale(String tag, long nowMillis);

    /**
     * The primary keys of every object tagged {@code tag} in any tier, each once (a purge of a tag within one
     * site filters them); blocking, no body read.
     */
    java.util.Set<String> taggedKeys(String tag);

    /**
     * Judges stored objects for a sweep (a ban): {@code primaryKey} and the time its response arrived
     * ({@code CachedResponse.responseTimeMillis()}), nothing more, so a sweep need not read the object.
     */
    @FunctionalInterface
    interface SweepCondition {
        boolean test(String primaryKey, long responseTimeMillis);
    }

    /**
     * Removes every object for which {@code condition} holds; returns how many were removed. Blocking; safe
     * alongside lookups and writes. Implementations judge from metadata only: they never read a body and
     * never promote an object between tiers (a sweep must not churn the heap tier).
     *
     * <p>This default reads each key's variants (which may promote); the tiered store overrides it.
     */
    default int removeIf(SweepCondition condition) {
        int removed = 0;
        for (String key : primaryKeys()) {
            boolean any = false;
            for (StoredObject o : lookup(key).all()) {
                any |= condition.test(key, o.response().responseTimeMillis());
            }
            if (any) {
                removed += remove(key);
            }
        }
        return removed;
    }

    /**
     * One tier's copy of a stored variant, as the cache inspector reports it: metadata only.
     *
     * @param tier {@code heap} or {@code disk} (the names {@link #stats()} uses)
     * @param response its metadata as that tier holds it
     * @param bodyLength its body's bytes
     */
    record TierCopy(String tier, CachedResponse response, long bodyLength) {}

    /**
     * Every copy of every variant of {@code primaryKey}, tier by tier (heap first), for the cache inspector.
     * Read-only: never reads a body, never promotes, counts no hit or miss and no access (the eviction order is
     * untouched). Blocking (a disk tier's metadata records); call it off Jetty's threads.
     *
     * <p>This default reports the in-memory variants only (a store without tiers of its own); the tiered store
     * overrides it.
     */
    default List<TierCopy> inspect(String primaryKey) {
        List<TierCopy> out = new java.util.ArrayList<>();
        for (StoredObject o : lookupInMemory(primaryKey).all()) {
            out.add(new TierCopy("heap", o.response(), o.body().length()));
        }
        return out;
    }

    /**
     * What a purge of {@code tag} would hit, for the cache inspector: how many primary keys carry it, and for the
     * first {@code maxKeys} of them in key order every tier's copy of each variant tagged {@code tag}. Read-only like
     * {@link #inspect}; blocking. Its output is bounded by {@code maxKeys} (and each key's variants per tier); the
     * count comes from {@link #taggedKeys}, which a tag purge reads too.
     */
    default Tagged tagged(String tag, int maxKeys) {
        if (maxKeys < 0) {
            throw new IllegalArgumentException("maxKeys < 0: " + maxKeys);
        }
        java.util.Set<String> keys = taggedKeys(tag);
        List<KeyedCopy> copies = new java.util.ArrayList<>();
        keys.stream().sorted().limit(maxKeys).forEach(key -> {
            for (TierCopy copy : inspect(key)) {
                if (copy.response().surrogateKeys().contains(tag)) {
                    copies.add(new KeyedCopy(key, copy));
                }
            }
        });
        return new Tagged(keys.size(), Math.min(keys.size(), maxKeys), copies);
    }

    /**
     * The answer of {@link #tagged}.
     *
     * @param keyCount primary keys carrying the tag in any tier
     * @param keysListed how many of them {@code copies} covers (the first ones in key order)
     * @param copies their copies carrying the tag, by key, then tier as {@link #inspect} orders them
     */
    record Tagged(int keyCount, int keysListed, List<KeyedCopy> copies) {
        public Tagged {
            copies = List.copyOf(copies);
        }

        /** Whether keys were left out. */
        public boolean truncated() {
            return keysListed < keyCount;
        }
    }

    /** One tier's copy of a variant and its primary key. */
    record KeyedCopy(String primaryKey, TierCopy copy) {}

    /** Removes every object from every tier; blocking. Returns how many were removed. */
    int clear();

    /** A snapshot of the primary keys held in any tier (for sweeps such as bans); blocking. */
    List<String> primaryKeys();

    /**
     * A durable number kept with the cached objects (for example the last invalidation applied to them), or
     * {@code absent} if never written. A heap-only store forgets it at restart, together with its objects.
     */
    long marker(String name, long absent);

    /**
     * Writes a marker. On disk it is ordered after every mutation made before it: after a crash, a
     * recovered marker never claims more than the recovered objects reflect.
     */
    void putMarker(String name, long value);

    /** The largest body this store accepts; larger ones are passed through unstored. */
    long maxObjectBytes();

    /** Counters and gauges, one entry per tier (heap first). */
    List<TierStats> stats();

    /** Why the store is not writing everything it should ("" when healthy), for readiness and metrics. */
    String degraded();

    @Override
    void close();
}
