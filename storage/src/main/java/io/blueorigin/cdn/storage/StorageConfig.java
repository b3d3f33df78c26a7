package io.blueorigin.cdn.storage;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Sizes and place of a node's store ({@code store.*} keys).
 *
 * @param heapMaxBytes byte budget of the heap tier ({@code store.heap.max-size})
 * @param heapMaxObjectBytes larger objects skip the heap tier ({@code store.heap.max-object-size})
 * @param diskPath directory of the disk tier, or empty for a heap-only store ({@code store.disk.path})
 * @param diskMaxBytes byte budget of the disk tier ({@code store.disk.max-size})
 * @param maxObjectBytes largest object stored; larger ones stream through uncached ({@code store.max-object-size})
 * @param chunkSize body chunk size ({@code store.chunk-size})
 * @param inFlightMaxBytes the process's budget for bodies in transit ({@code store.in-flight.max-size}; see
 *     {@link MemoryBudget#forProcess}: every node of a process shares one budget, the smallest configured)
 * @param diskIndexMaxBytes heap the disk tier's index of stored objects may use ({@code store.disk.index-max-size})
 */
public record StorageConfig(long heapMaxBytes, long heapMaxObjectBytes, Optional<Path> diskPath, long diskMaxBytes,
        long maxObjectBytes, int chunkSize, long inFlightMaxBytes, long diskIndexMaxBytes) {
    /**
     * The subdirectory of {@code store.disk.path} where the node keeps its own state beside the cache (the site
     * table it serves); the only entry besides the store's own that the directory check accepts.
     */
    public static final String NODE_STATE_DIR = "node";


    public StorageConfig {
        requireNonNull(diskPath, "diskPath is null");
        if (heapMaxBytes < 1 << 20) {
            throw new IllegalArgumentException("store.heap.max-size : " + heapMaxBytes + " bytes (expected: >= 1MB)");
        }
        if (heapMaxObjectBytes < 1 || heapMaxObjectBytes > heapMaxBytes) {
            throw new IllegalArgumentException("store.heap.max-object-size : " + heapMaxObjectBytes
                    + " bytes (expected: > 0 and <= store.heap.max-size " + heapMaxBytes + ")");
        }
        if (diskPath.isPresent() && diskMaxBytes < 64L << 20) {
            throw new IllegalArgumentException("store.disk.max-size : " + diskMaxBytes + " bytes (expected: >= 64MB)");
        }
        if (maxObjectBytes < 1) {
            throw new IllegalArgumentException("store.max-object-size : " + maxObjectBytes + " bytes (expected: > 0)");
        }
        if (diskPath.isPresent() && maxObjectBytes > diskMaxBytes) {
            throw new IllegalArgumentException("store.max-object-size : " + maxObjectBytes
                    + " bytes (expected: <= store.disk.max-size " + diskMaxBytes + ")");
        }
        if (chunkSize < 4096 || chunkSize > 64 << 20) {
            throw new IllegalArgumentException("store.chunk-size : " + chunkSize + " bytes (expected: 4KB..64MB)");
        }
        if (inFlightMaxBytes < 4L * chunkSize) {
            throw new IllegalArgumentException("store.in-flight.max-size : " + inFlightMaxBytes
                    + " bytes (expected: at least 4 chunks, 4 x store.chunk-size = " + 4L * chunkSize + ")");
        }
        if (diskIndexMaxBytes < 1 << 20) {
            throw new IllegalArgumentException("store.disk.index-max-size : " + diskIndexMaxBytes
                    + " bytes (expected: >= 1MB)");
        }
    }

    /**
     * Settings with the default in-flight budget and disk index bound of this JVM
     * ({@link #defaultInFlightBytes()}, {@link #defaultDiskIndexBytes()}).
     */
    public StorageConfig(long heapMaxBytes, long heapMaxObjectBytes, Optional<Path> diskPath, long diskMaxBytes,
            long maxObjectBytes, int chunkSize) {
        this(heapMaxBytes, heapMaxObjectBytes, diskPath, diskMaxBytes, maxObjectBytes, chunkSize,
                Math.max(defaultInFlightBytes(), 4L * chunkSize), defaultDiskIndexBytes());
    }

    /** The default budget for bodies in transit: an eighth of the JVM heap, at least 4 MB. */
    public static long defaultInFlightBytes() {
        return Math.max(4L << 20, Runtime.getRuntime().maxMemory() / 8);
    }

    /** The default bound of a disk tier's index: a sixteenth of the JVM heap, at least 1 MB. */
    public static long defaultDiskIndexBytes() {
        return Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 16);
    }

    /** A heap-only store: 256 MB (at most a quarter of the JVM heap), objects up to 8 MB, 256 KB chunks. */
    public static StorageConfig defaults() {
        long heap = Math.max(4L << 20, Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4));
        return new StorageConfig(heap, Math.min(8L << 20, heap / 4), Optional.empty(), 0, 1L << 30, 256 << 10);
    }

    /** These settings with a disk tier in {@code dir} of {@code maxBytes}. */
    public StorageConfig withDisk(Path dir, long maxBytes) {
        return new StorageConfig(heapMaxBytes, heapMaxObjectBytes, Optional.of(dir), maxBytes, Math.min(maxObjectBytes, maxBytes),
                chunkSize, inFlightMaxBytes, diskIndexMaxBytes);
    }

    public StorageConfig withHeap(long maxBytes, long maxObject) {
        return new StorageConfig(maxBytes, maxObject, diskPath, diskMaxBytes, maxObjectBytes, chunkSize, inFlightMaxBytes,
                diskIndexMaxBytes);
    }

    public StorageConfig withMaxObject(long bytes) {
        return new StorageConfig(heapMaxBytes, heapMaxObjectBytes, diskPath, diskMaxBytes, bytes, chunkSize, inFlightMaxBytes,
                diskIndexMaxBytes);
    }

    public StorageConfig withChunkSize(int bytes) {
        return new StorageConfig(heapMaxBytes, heapMaxObjectBytes, diskPath, diskMaxBytes, maxObjectBytes, bytes,
                Math.max(inFlightMaxBytes, 4L * bytes), diskIndexMaxBytes);
    }

    /** These settings with an in-flight budget of {@code bytes} (shared by the process) and a disk index bound. */
    public StorageConfig withMemory(long inFlightBytes, long diskIndexBytes) {
        return new StorageConfig(heapMaxBytes, heapMaxObjectBytes, diskPath, diskMaxBytes, maxObjectBytes, chunkSize,
                inFlightBytes, diskIndexBytes);
    }
}
