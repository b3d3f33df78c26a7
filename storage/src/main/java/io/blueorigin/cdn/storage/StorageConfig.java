package io.blueorigin.cdn.storage;

/**
 * Sizes of a node's store ({@code store.*} keys).
 *
 * @param heapMaxBytes byte budget of the heap tier ({@code store.heap.max-size})
 * @param maxObjectBytes largest body stored; larger ones stream through uncached ({@code store.max-object-size})
 * @param chunkSize body chunk size ({@code store.chunk-size})
 */
public record StorageConfig(long heapMaxBytes, long maxObjectBytes, int chunkSize) {

    public StorageConfig {
        if (heapMaxBytes < 1 << 20) {
            throw new IllegalArgumentException("store.heap.max-size : " + heapMaxBytes + " bytes (expected: >= 1MB)");
        }
        if (maxObjectBytes < 1) {
            throw new IllegalArgumentException("store.max-object-size : " + maxObjectBytes + " bytes (expected: > 0)");
        }
        if (chunkSize < 4096 || chunkSize > 64 << 20) {
            throw new IllegalArgumentException("store.chunk-size : " + chunkSize + " bytes (expected: 4KB..64MB)");
        }
    }

    /** 256 MB of heap, objects up to 64 MB, 256 KB chunks. */
    public static StorageConfig defaults() {
        return new StorageConfig(256L << 20, 64L << 20, 256 << 10);
    }
}
