package io.blueorigin.cdn.testkit;

import io.blueorigin.cdn.proxy.ProxyConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Disk tiers for test nodes: one directory per node under a test's temporary directory. */
public final class NodeDisks {
    private NodeDisks() {}

    /** {@code c} with a 256 MiB disk tier in {@code root/<node name>} (created). */
    public static ProxyConfig withDisk(ProxyConfig c, Path root) {
        Path dir = root.resolve(c.identity().name());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return c.withCache(c.cache().withStorage(c.cache().storage().withDisk(dir, 256L << 20)));
    }
}
