package io.blueorigin.cdn.proxy.upstream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * A consistent-hash ring (Karger et al.) over named members, each placed at {@code virtualNodes} points,
 * so a key's member changes only when that member leaves or a new one takes its arc: adding or removing
 * one of N members moves about 1/N of the keys. Immutable and thread-safe.
 *
 * <p>Hash: 64-bit FNV-1a of the UTF-8 bytes, then MurmurHash3's {@code fmix64} finalizer for avalanche.
 *
 * @param <T> member type
 */
public final class HashRing<T> {
    /** Points per member; at least 100 (SPEC §6), more smooths the load. */
    public static final int DEFAULT_VIRTUAL_NODES = 160;

    private final long[] points;
    private final int[] owners;
    private final List<T> members;

    /**
     * @param members the members, identified by {@code names.get(i)} (a stable name, e.g. the URL)
     * @param names the members' names, placed at {@code name#0 .. name#(virtualNodes-1)}
     */
    public HashRing(List<T> members, List<String> names, int virtualNodes) {
        if (members.size() != names.size()) {
            throw new IllegalArgumentException("one name per member");
        }
        if (virtualNodes < 1) {
            throw new IllegalArgumentException("virtualNodes : " + virtualNodes + " (expected: >= 1)");
        }
        this.members = List.copyOf(members);
        int n = members.size() * virtualNodes;
        long[][] placed = new long[n][];
        int k = 0;
        for (int m = 0; m < members.size(); m++) {
            for (int v = 0; v < virtualNodes; v++) {
                placed[k++] = new long[] {hash(names.get(m) + "#" + v), m};
            }
        }
        Arrays.sort(placed, (a, b) -> Long.compareUnsigned(a[0], b[0]));
        points = new long[n];
        owners = new int[n];
        for (int i = 0; i < n; i++) {
            points[i] = placed[i][0];
            owners[i] = (int) placed[i][1];
        }
    }

    public List<T> members() {
        return members;
    }

    /** The member owning {@code key}, or null for an empty ring. */
    public T owner(String key) {
        List<T> order = preference(key, members.size());
        return order.isEmpty() ? null : order.get(0);
    }

    /** The first member for {@code key} that {@code usable} accepts, walking the ring clockwise; null if none. */
    public T first(String key, Predicate<T> usable) {
        for (T member : preference(key, members.size())) {
            if (usable.test(member)) {
                return member;
            }
        }
        return null;
    }

    /** Up to {@code limit} distinct members in the order the ring offers them for {@code key}. */
    public List<T> preference(String key, int limit) {
        List<T> out = new ArrayList<>(Math.min(limit, members.size()));
        if (points.length == 0) {
            return out;
        }
        long h = hash(key);
        int i = lowerBound(h);
        boolean[] seen = new boolean[members.size()];
        for (int step = 0; step < points.length && out.size() < limit; step++) {
            int owner = owners[(i + step) % points.length];
            if (!seen[owner]) {
                seen[owner] = true;
                out.add(members.get(owner));
            }
        }
        return out;
    }

    /** Index of the first point at or after {@code h} (unsigned), wrapping to 0. */
    private int lowerBound(long h) {
        int lo = 0;
        int hi = points.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(points[mid], h) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == points.length ? 0 : lo;
    }

    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
