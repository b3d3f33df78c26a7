package io.blueorigin.cdn.storage.bench;

import io.blueorigin.cdn.storage.StorageConfig;
import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

/**
 * The bench kit's Zipf mix replayed on the store alone, counted in requests instead of seconds (issue 16):
 * Zipf (s = 0.9) over 10,000 keys of 32 KiB, a 128 MiB heap tier (and a 128 MiB disk tier with {@code disk}),
 * rounds of fresh keys like the kit's, each with {@code warm} requests then {@code measured} ones. It separates
 * the caching policy from the node's speed: the kit's rounds last 10 s, so a slower node serves fewer requests
 * per round and its cache has less time to learn the new keys.
 *
 * <pre>
 *   mvn -q -B -P bench -pl bench -am package -DskipTests
 *   java -cp bench/target/benchmarks.jar io.blueorigin.cdn.storage.bench.ZipfRounds disk 50000 50000 3
 *   java -cp bench/target/benchmarks.jar io.blueorigin.cdn.storage.bench.ZipfRounds heap 150000 150000 3
 * </pre>
 *
 * A lookup is done as the proxy does it (memory first, then the disk tier if it may hold the key); a miss
 * stores the object. Prints each round's hit ratio over its measured requests and the wall time.
 */
public final class ZipfRounds {
    private static final int KEYS = 10_000;
    private static final double S = 0.9;
    private static final int SIZE = 32 * 1024;

    private ZipfRounds() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4 || !(args[0].equals("heap") || args[0].equals("disk"))) {
            System.err.println("usage: ZipfRounds heap|disk WARM MEASURED ROUNDS");
            System.exit(2);
        }
        boolean disk = args[0].equals("disk");
        int warm = Integer.parseInt(args[1]);
        int measured = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        if (warm < 0 || measured < 1 || (long) warm + measured > 2_000_000 || rounds < 1 || rounds > 10) {
            System.err.println("bounded loops: WARM + MEASURED at most 2,000,000 requests, MEASURED at least 1, 1..10 ROUNDS");
            System.exit(2);
        }
        double[] cdf = new double[KEYS];
        double sum = 0;
        for (int i = 0; i < KEYS; i++) {
            sum += 1 / Math.pow(i + 1, S);
            cdf[i] = sum;
        }
        for (int i = 0; i < KEYS; i++) {
            cdf[i] /= sum;
        }
        byte[] body = new byte[SIZE];
        Random random = new Random(42);
        random.nextBytes(body);
        Path dir = Files.createTempDirectory("zipf-rounds");
        StorageConfig config = new StorageConfig(128L << 20, 8L << 20, disk ? Optional.of(dir) : Optional.empty(),
                disk ? 128L << 20 : 0, 64L << 20, 256 * 1024);
        long start = System.nanoTime();
        try (TieredStore store = TieredStore.open(config, "zipf-rounds")) {
            for (int round = 1; round <= rounds; round++) {
                long hits = 0;
                for (int i = 0; i < warm + measured; i++) {
                    int rank = Arrays.binarySearch(cdf, random.nextDouble());
                    String key = "zipf /r" + round + "/k" + (rank < 0 ? -rank - 1 : rank);
                    boolean hit = !store.lookupInMemory(key).isEmpty()
                            || (store.mayHaveOnDisk(key) && !store.lookup(key).isEmpty());
                    if (!hit) {
                        StoreLookupBenchmark.store(store, key, body);
                    } else if (i >= warm) {
                        hits++;
                    }
                }
                System.out.printf("%s round %d: hit ratio %.3f over %d requests after %d%n", args[0], round,
                        (double) hits / measured, measured, warm);
            }
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.printf("%.1f s%n", (System.nanoTime() - start) / 1e9);
    }
}
