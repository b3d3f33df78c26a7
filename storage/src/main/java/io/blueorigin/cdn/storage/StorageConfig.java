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
 */
public record StorageConfig(long heapMaxBytes, long heapMaxObjectBytes, Optional<Path> diskPath, long diskMaxBytes,
        long maxObjectBytes, int chunkSize) {

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
    }

    /** A heap-only store: 256 MB (at most a quarter of the JVM heap), objects up to 8 MB, 256 KB chunks. */
    public static StorageConfig defaults() {
        long heap = Math.max(4L << 20, Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4));
        return new StorageConfig(heap, Math.min(8L << 20, heap / 4), Optional.empty(), 0, 1L << 30, 256 << 10);
    }

    /** These settings with a disk tier in {@code dir} of {@code maxBytes}. */
    public StorageConfig withDisk(Path dir, long maxBytes) {
        return new StorageConfig(heapMaxBytes, heapMaxObjectBytes, Optional.of(dir), maxBytes, Math.min(maxObjectBytes, maxBytes),
                chunkSize);
    }

    public StorageConfig withHeap(long maxBytes, long maxObject) {
        return new StorageConfig(maxBytes, maxObject, diskPath, diskMaxBytes, maxObjectBytes, chunkSize);
    }

    public StorageConfig withMaxObject(long bytes) {
        return new StorageConfig(heapMaxBytes, heapMaxObjectBytes, diskPath, diskMaxBytes, bytes, chunkSize);
    }

    public StorageConfig withChunkSize(int bytes) {
        return new StorageConfig(heapMaxBytes, heapMaxObjectBytes, diskPath, diskMaxBytes, maxObjectBytes, bytes);
    }
}
