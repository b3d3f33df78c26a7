package io.blueorigin.cdn.storage.rocks;

import io.blueorigin.cdn.storage.Variants;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The disk tier's entries for one primary key (immutable; at most {@link Variants#MAX}). */
public final class DiskVariants {
    private final List<DiskEntry> entries;

    DiskVariants(List<DiskEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    public List<DiskEntry> entries() {
        return entries;
    }

    @Nullable DiskEntry get(String varyKey) {
        for (DiskEntry e : entries) {
            if (e.varyKey().equals(varyKey)) {
                return e;
            }
        }
        return null;
    }

    /** These entries with {@code entry} first, replacing the one of the same secondary key. */
    DiskVariants with(DiskEntry entry) {
        List<DiskEntry> out = new ArrayList<>(entries.size() + 1);
        out.add(entry);
        for (DiskEntry e : entries) {
            if (!e.varyKey().equals(entry.varyKey())) {
                out.add(e);
            }
        }
        return new DiskVariants(out);
    }

    /** The entries beyond the per-URI limit, oldest last, which the caller deletes. */
    List<DiskEntry> overflow() {
        return entries.size() > Variants.MAX ? entries.subList(Variants.MAX, entries.size()) : List.of();
    }

    DiskVariants trimmed() {
        return entries.size() > Variants.MAX ? new DiskVariants(entries.subList(0, Variants.MAX)) : this;
    }

    @Nullable DiskVariants without(String varyKey) {
        List<DiskEntry> out = new ArrayList<>(entries.size());
        for (DiskEntry e : entries) {
            if (!e.varyKey().equals(varyKey)) {
                out.add(e);
            }
        }
        return out.isEmpty() ? null : new DiskVariants(out);
    }

    /** Disk budget units (KiB) of every entry. */
    long weightKiB() {
        long w = 0;
        for (DiskEntry e : entries) {
            w += e.weightKiB();
        }
        return w;
    }

    /** Body bytes of every entry. */
    long bodyBytes() {
        long b = 0;
        for (DiskEntry e : entries) {
            b += e.bodyLength();
        }
        return b;
    }

    /**
     * Heap this key's index entry takes (an estimate that errs high): the key string, the map's and
     * Caffeine's nodes and frequency sketch share ({@link #NODE_OVERHEAD}), this object and every entry.
     */
    long heapBytes(String primaryKey) {
        long bytes = NODE_OVERHEAD + DiskEntry.STRING_OVERHEAD + primaryKey.length() + 40 + 8L * entries.size();
        for (DiskEntry e : entries) {
            bytes += e.heapBytes();
        }
        return bytes;
    }

    /** Heap of a key's nodes in Caffeine's map, its access and write order and its frequency sketch share. */
    static final int NODE_OVERHEAD = 120;

    /** These entries with {@code replacement} in place of the one of the same secondary key (if present). */
    DiskVariants replacing(DiskEntry replacement) {
        List<DiskEntry> out = new ArrayList<>(entries.size());
        for (DiskEntry e : entries) {
            out.add(e.varyKey().equals(replacement.varyKey()) ? replacement : e);
        }
        return new DiskVariants(out);
    }
}
