package io.blueorigin.cdn.storage.tiered;

import io.blueorigin.cdn.storage.StorageConfig;
import io.blueorigin.cdn.storage.StoreOpenException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks a disk tier directory before RocksDB touches it, so a bad {@code store.disk.path} stops the node
 * with a message saying what to do: missing, not a directory, not writable, nearly full, or holding files
 * of another program. A directory becomes a store when a {@value #MARKER} file is written into it; the
 * RocksDB files live in its {@code rocksdb/} subdirectory.
 */
final class DiskDirectory {
    /** File that marks a directory as a Blue Origin store. */
    static final String MARKER = "BLUE-ORIGIN-STORE";
    /** Least free space the disk tier starts with. */
    static final long MIN_FREE_BYTES = 64L << 20;

    private DiskDirectory() {}

    /** Returns the RocksDB directory inside {@code dir}, after checking {@code dir}. */
    static Path prepare(Path dir) {
        if (!Files.exists(dir)) {
            throw new StoreOpenException("store.disk.path " + dir + " does not exist; create it (mkdir -p " + dir
                    + ", owned by the node's user) or choose another directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new StoreOpenException("store.disk.path " + dir + " is not a directory");
        }
        if (!Files.isWritable(dir)) {
            throw new StoreOpenException("store.disk.path " + dir + " is not writable by this process (user "
                    + System.getProperty("user.name") + ")");
        }
        Path marker = dir.resolve(MARKER);
        try {
            if (!Files.exists(marker)) {
                List<String> foreign;
                try (Stream<Path> entries = Files.list(dir)) {
                    foreign = entries.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
                }
                if (!foreign.isEmpty()) {
                    throw new StoreOpenException("store.disk.path " + dir + " already holds files that are not a Blue Origin "
                            + "store (" + String.join(", ", foreign.subList(0, Math.min(5, foreign.size())))
                            + (foreign.size() > 5 ? ", ..." : "") + "); choose an empty directory");
                }
                Files.writeString(marker, "Blue Origin CDN cache store, format 1. Do not put other files here.\n");
            }
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < MIN_FREE_BYTES) {
                throw new StoreOpenException("store.disk.path " + dir + " has only " + (free >> 20)
                        + " MB free; the disk tier needs at least " + (MIN_FREE_BYTES >> 20) + " MB");
            }
            Path rocks = dir.resolve("rocksdb");
            Files.createDirectories(rocks);
            Set<String> unexpected;
            try (Stream<Path> entries = Files.list(dir)) {
                unexpected = entries.map(p -> p.getFileName().toString())
                        .filter(n -> !n.equals(MARKER) && !n.equals("rocksdb") && !n.equals(StorageConfig.NODE_STATE_DIR))
                        .collect(Collectors.toSet());
            }
            if (!unexpected.isEmpty()) {
                throw new StoreOpenException("store.disk.path " + dir + " holds files a Blue Origin store does not make ("
                        + String.join(", ", unexpected) + "); remove them or choose another directory");
            }
            return rocks;
        } catch (IOException e) {
            throw new StoreOpenException("store.disk.path " + dir + ": " + e, e);
        }
    }
}
