package io.blueorigin.cdn.it.ops;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is, seen from a test's working directory (a module directory under Maven). */
final class OpsPaths {
    private OpsPaths() {}

    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("ops/install.sh")) && Files.isDirectory(dir.resolve("ops/systemd"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no ops/install.sh above " + Path.of("").toAbsolutePath());
    }
}
