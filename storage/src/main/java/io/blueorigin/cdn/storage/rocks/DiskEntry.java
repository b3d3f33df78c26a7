package io.blueorigin.cdn.storage.rocks;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What the disk tier keeps in memory about one stored object: enough to find its records, weigh it and
 * keep the surrogate-key index consistent; the response itself stays on disk.
 *
 * @param varyKey its secondary key
 * @param generation the id of its chunk records
 * @param bodyLength body bytes
 * @param chunkSize bytes per chunk
 * @param chunkCount number of chunks
 * @param tags its surrogate keys
 */
public record DiskEntry(String varyKey, long generation, long bodyLength, int chunkSize, int chunkCount, List<String> tags) {
    public DiskEntry {
        requireNonNull(varyKey, "varyKey is null");
        tags = List.copyOf(tags);
    }

    /** Disk budget units (KiB) this object uses: body plus a kilobyte for metadata and keys. */
    int weightKiB() {
        return (int) Math.min(Integer.MAX_VALUE, (bodyLength + 1023) / 1024 + 1);
    }
}
