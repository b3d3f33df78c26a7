package io.blueorigin.cdn.storage;

import io.blueorigin.cdn.storage.rocks.RocksDiskTier;
import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Run in a small-heap JVM by {@link DiskIndexBoundIT}: stores {@code count} small objects whose keys are
 * {@code keyLength} characters long (long query strings) in a disk tier whose byte budget is nowhere near
 * full, then prints the disk tier's figures. Exits 0 when it got through.
 */
public final class DiskIndexFiller {
    private DiskIndexFiller() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int keyLength = Integer.parseInt(args[2]);
        String padding = "x".repeat(keyLength);
        // 64 GB of disk budget: only the index's own heap can bind
        StorageConfig config = new StorageConfig(1L << 20, 64 * 1024, Optional.of(dir), 64L << 30, 1L << 30, 16 * 1024);
        try (TieredStore store = TieredStore.open(config, "filler")) {
            for (int i = 0; i < count; i++) {
                String key = "s /search?q=" + i + "&pad=" + padding.substring(String.valueOf(i).length());
                StoreFixtures.store(store, key, "", new byte[] {(byte) i}, List.of("tag-" + (i % 100)), 16);
            }
            store.cleanUp();
            TierStats disk = store.stats().get(1);
            RocksDiskTier tier = store.disk().orElseThrow();
            System.out.printf("filled: stored %d entries %d evictions %d indexBytes %d indexMaxBytes %d diskBytes %d%n",
                    disk.stores(), disk.entries(), disk.evictions(), tier.indexBytes(), tier.indexMaxBytes(), disk.bytes());
        }
    }
}
