package io.blueorigin.cdn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk tier's index counts its own heap and stays within store.disk.index-max-size: 300k objects with
 * 300-character keys (about 200 MB of index before the bound) go through a disk tier in a JVM of 64 MB,
 * whose disk budget they do not come close to filling. Without the bound the JVM runs out of heap.
 */
class DiskIndexBoundIT {
    private static final Pattern FILLED = Pattern.compile(
            "filled: stored (\\d+) entries (\\d+) evictions (\\d+) indexBytes (\\d+) indexMaxBytes (\\d+)");

    @TempDir
    Path dir;

    @Test
    void threeHundredThousandLongKeysFitA64MbHeapByEvicting() throws Exception {
        Process filler = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), DiskIndexFiller.class.getName(),
                dir.toString(), "300000", "300").redirectErrorStream(true).start();
        String output = new String(filler.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(filler.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(filler.exitValue()).as("the filler's output: %s", tail(output)).isZero();
        Matcher m = FILLED.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        long stored = Long.parseLong(m.group(1));
        long entries = Long.parseLong(m.group(2));
        long evictions = Long.parseLong(m.group(3));
        long indexBytes = Long.parseLong(m.group(4));
        long indexMax = Long.parseLong(m.group(5));
        assertThat(stored).isEqualTo(300_000);
        assertThat(indexBytes).as("the index within its bound").isLessThanOrEqualTo(indexMax);
        assertThat(indexMax).as("the default bound: a sixteenth of the heap").isLessThanOrEqualTo(64L << 20);
        assertThat(evictions).as("it evicted to stay there").isPositive();
        assertThat(entries + evictions).isEqualTo(300_000);
    }

    private static String tail(String output) throws IOException {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
