package io.blueorigin.cdn.storage.heap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.storage.CacheStore;
import io.blueorigin.cdn.storage.StoredObject;
import io.blueorigin.cdn.storage.TierStats;
import io.blueorigin.cdn.storage.Variants;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The heap tier: variants by primary key in a Caffeine cache bounded by weight in bytes (W-TinyLFU
 * admission and eviction, size-aware). Bodies are {@code ChunkedBody} chunks; a hit hands out views of them
 * without copying. Caffeine does the locking; maintenance runs on the calling thread (handing it to
 * {@code ForkJoinPool.commonPool()} cost a thread wake-up every few dozen hits on one core).
 *
 * <p>Also keeps an in-memory surrogate-key index (tag → primary keys) for stores without a disk tier,
 * maintained on every put and removal, so it never outgrows the entries.
 */
public final class HeapTier {
    private final Cache<String, Variants> cache;
    private final long maxBytes;
    /** tag -> primary keys; entries removed with the last variant carrying the tag. */
    private final ConcurrentHashMap<String, Set<String>> tags = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder stores = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder removals = new LongAdder();
    private final LongAdder promotions = new LongAdder();

    public HeapTier(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("store.heap.max-size : " + maxBytes + " (expected: > 0)");
        }
        this.maxBytes = maxBytes;
        this.cache = Caffeine.newBuilder()
                .executor(Runnable::run)
                .maximumWeight(maxBytes)
                .weigher((String key, Variants v) -> (int) Math.min(Integer.MAX_VALUE, v.weight() + 2L * key.length()))
                .removalListener((String key, Variants v, RemovalCause cause) -> {
                    if (key != null && v != null && cause != RemovalCause.REPLACED) {
                        if (cause.wasEvicted()) {
                            evictions.add(v.size());
                        }
                        untag(key, v);
                    }
                })
                .build();
    }

    /** The variants of {@code primaryKey}, counting a hit or a miss. */
    public Variants lookup(String primaryKey) {
        Variants v = cache.getIfPresent(primaryKey);
        if (v == null) {
            misses.increment();
            return Variants.EMPTY;
        }
        hits.increment();
        return v;
    }

    /** The variants of {@code primaryKey} without counting a hit, a miss or an access (the cache inspector). */
    public Variants peek(String primaryKey) {
        Variants v = cache.policy().getIfPresentQuietly(primaryKey);
        return v == null ? Variants.EMPTY : v;
    }

    /** Adds (or replaces, by secondary key) a variant. */
    public void put(String primaryKey, StoredObject object) {
        Variants[] before = new Variants[1];
        Variants after = cache.asMap().compute(primaryKey, (k, v) -> {
            before[0] = v;
            return v == null ? Variants.of(object) : v.with(object);
        });
        retag(primaryKey, before[0], after);
        stores.increment();
    }

    /**
     * Brings the tag index in step after {@code primaryKey} went from {@code before} to {@code after}
     * (either may be null): tags no remaining variant carries are dropped, new ones added.
     */
    private void retag(String primaryKey, @Nullable Variants before, @Nullable Variants after) {
        Set<String> kept = new java.util.HashSet<>();
        if (after != null) {
            after.all().forEach(o -> kept.addAll(o.response().surrogateKeys()));
        }
        for (String tag : kept) {
            tags.computeIfAbsent(tag, t -> ConcurrentHashMap.newKeySet()).add(primaryKey);
        }
        if (before != null) {
            for (StoredObject old : before.all()) {
                for (String tag : old.response().surrogateKeys()) {
                    if (!kept.contains(tag)) {
                        tags.computeIfPresent(tag, (t, keys) -> {
                            keys.remove(primaryKey);
                            return keys.isEmpty() ? null : keys;
                        });
                    }
                }
            }
        }
    }

    /** Adds a variant read back from the disk tier. */
    public void promote(String primaryKey, StoredObject object) {
        put(primaryKey, object);
        promotions.increment();
    }

    /**
     * Replaces {@code stored} by {@code updated} (same secondary key, new metadata) if it is still held; the
     * tag index follows the new surrogate keys.
     */
    public void replace(String primaryKey, StoredObject stored, StoredObject updated) {
        Variants[] before = new Variants[1];
        Variants after = cache.asMap().computeIfPresent(primaryKey, (k, v) -> {
            before[0] = v;
            Variants replaced = v.replacing(stored, updated);
            return replaced == null ? v : replaced;
        });
        if (before[0] != null && after != before[0]) {
            retag(primaryKey, before[0], after);
        }
    }

    /**
     * Replaces the response of every variant of {@code primaryKey} by {@code transform}'s (a soft purge marks
     * them stale), keeping the bodies; the tag index follows. Returns how many variants it holds.
     */
    public int rewriteResponses(String primaryKey, UnaryOperator<CachedResponse> transform) {
        Variants[] before = new Variants[1];
        Variants after = cache.asMap().computeIfPresent(primaryKey, (k, v) -> {
            before[0] = v;
            Variants out = v;
            for (StoredObject o : v.all()) {
                CachedResponse changed = transform.apply(o.response());
                if (changed != o.response()) {
                    Variants replaced = out.replacing(o, o.withResponse(changed));
                    out = replaced == null ? out : replaced;
                }
            }
            return out;
        });
        if (before[0] == null) {
            return 0;
        }
        if (after != before[0]) {
            retag(primaryKey, before[0], after);
        }
        return before[0].size();
    }

    /** Drops the variant stored under {@code varyKey} (a newer version of it now lives on disk only). */
    public void removeVariant(String primaryKey, String varyKey) {
        removeVariants(primaryKey, o -> o.response().varyKey().equals(varyKey));
    }

    /** Drops the variants of {@code primaryKey} that {@code doomed} picks; returns how many. */
    private int removeVariants(String primaryKey, Predicate<StoredObject> doomed) {
        Variants[] before = new Variants[1];
        Variants after = cache.asMap().computeIfPresent(primaryKey, (k, v) -> {
            before[0] = v;
            Variants rest = v;
            for (StoredObject o : v.all()) {
                if (doomed.test(o)) {
                    rest = rest.without(o.response().varyKey());
                }
            }
            return rest.isEmpty() ? null : rest;
        });
        if (before[0] == null || after == before[0]) {
            return 0;
        }
        retag(primaryKey, before[0], after);
        return before[0].size() - (after == null ? 0 : after.size());
    }

    /**
     * Removes every variant for which {@code condition} holds, judged from the metadata held (no body is
     * looked at); returns how many were removed.
     */
    public int removeIf(CacheStore.SweepCondition condition) {
        int removed = 0;
        for (String key : cache.asMap().keySet()) {
            removed += removeVariants(key, o -> condition.test(key, o.response().responseTimeMillis()));
        }
        removals.add(removed);
        return removed;
    }

    /** Removes every variant of {@code primaryKey}; returns how many. */
    public int remove(String primaryKey) {
        Variants removed = cache.asMap().remove(primaryKey);
        int n = removed == null ? 0 : removed.size();
        removals.add(n);
        return n;
    }

    /** The primary keys holding a variant tagged {@code tag}. */
    public List<String> taggedPrimaryKeys(String tag) {
        Set<String> keys = tags.get(tag);
        return keys == null ? List.of() : List.copyOf(keys);
    }

    private void untag(String primaryKey, Variants removed) {
        for (StoredObject o : removed.all()) {
            for (String tag : o.response().surrogateKeys()) {
                tags.computeIfPresent(tag, (t, keys) -> {
                    keys.remove(primaryKey);
                    return keys.isEmpty() ? null : keys;
                });
            }
        }
    }

    /** Runs Caffeine's pending maintenance (evictions) now; for tests and stats. */
    public void cleanUp() {
        cache.cleanUp();
    }

    /** Distinct tags indexed (bounded by the entries held). */
    public int tagCount() {
        return tags.size();
    }

    public TierStats stats() {
        long bytes = cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
        return new TierStats("heap", cache.estimatedSize(), bytes, maxBytes, 0, hits.sum(), misses.sum(), stores.sum(),
                evictions.sum(), removals.sum(), promotions.sum(), 0, 0, 0, "");
    }

    /** Removes everything; returns how many objects were held. */
    public int clear() {
        int n = 0;
        for (Variants v : cache.asMap().values()) {
            n += v.size();
        }
        cache.invalidateAll();
        tags.clear();
        removals.add(n);
        return n;
    }

    /** A snapshot of the primary keys held. */
    public List<String> primaryKeys() {
        return List.copyOf(cache.asMap().keySet());
    }
}
