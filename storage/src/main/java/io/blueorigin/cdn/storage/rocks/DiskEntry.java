package io.blueorigin.cdn.storage.rocks;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What the disk tier keeps in memory about one stored object: enough to find its records, weigh it, keep
 * the surrogate-key index consistent and judge it for a sweep (a ban); the response itself stays on disk.
 *
 * @param varyKey its secondary key
 * @param generation the id of its chunk records
 * @param bodyLength body bytes
 * @param chunkSize bytes per chunk
 * @param chunkCount number of chunks
 * @param tags its surrogate keys
 * @param responseTimeMillis when its response arrived ({@code CachedResponse.responseTimeMillis()}), for sweeps
 */
public record DiskEntry(String varyKey, long generation, long bodyLength, int chunkSize, int chunkCount, List<String> tags,
        long responseTimeMillis) {
    /**
     * Heap of a {@code String} besides its characters: object header and fields, array header (compact
     * strings hold cache keys, which are ASCII, in one byte per character).
     */
    static final int STRING_OVERHEAD = 40;
    /** Heap of the entry itself: header, seven fields, the tag list's object and array. */
    private static final int ENTRY_OVERHEAD = 56 + 32;

    public DiskEntry {
        requireNonNull(varyKey, "varyKey is null");
        tags = List.copyOf(tags);
    }

    /** This entry with other tags and response time (after a 304 freshened its metadata). */
    DiskEntry withMetadata(List<String> newTags, long newResponseTimeMillis) {
        return new DiskEntry(varyKey, generation, bodyLength, chunkSize, chunkCount, newTags, newResponseTimeMillis);
    }

    /** Disk budget units (KiB) this object uses: body plus a kilobyte for metadata and keys. */
    long weightKiB() {
        return (bodyLength + 1023) / 1024 + 1;
    }

    /** Heap this entry takes in the index (an estimate that errs high): itself, its vary key and tags. */
    long heapBytes() {
        long bytes = ENTRY_OVERHEAD + STRING_OVERHEAD + varyKey.length();
        for (String tag : tags) {
            bytes += 4 + STRING_OVERHEAD + tag.length();
        }
        return bytes;
    }
}
