package io.blueorigin.cdn.storage.bench;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.Field;
import io.blueorigin.cdn.storage.BodyReader;
import io.blueorigin.cdn.storage.CacheStore;
import io.blueorigin.cdn.storage.ObjectWriter;
import io.blueorigin.cdn.storage.StorageConfig;
import io.blueorigin.cdn.storage.StoredObject;
import io.blueorigin.cdn.storage.Variants;
import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Store lookups with a full body read, heap hits against disk hits, for 1 KiB and 256 KiB objects.
 * Ops/s is lookups; bytes/s is ops/s times the size. 1,000 objects, keys drawn uniformly.
 *
 * <pre>
 *   mvn -q -B -P bench -pl bench -am package -DskipTests
 *   java -jar bench/target/benchmarks.jar StoreLookupBenchmark
 * </pre>
 *
 * {@code heap}: the object is in the heap tier (a hit hands out views of its chunks, no copy).
 * {@code disk}: the heap tier only takes objects up to 1 KiB, so 256 KiB objects are read from RocksDB
 * on every lookup (metadata and chunks, each chunk's checksum verified, through the I/O executor as the proxy does);
 * 1 KiB objects are re-promoted after each lookup, so that row is "disk lookup then promote".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class StoreLookupBenchmark {
    private static final int OBJECTS = 1000;

    @Param({"1024", "262144"})
    int size;

    @Param({"heap", "disk"})
    String tier;

    private TieredStore store;
    private Path dir;

    @Setup(Level.Trial)
    public void populate() throws Exception {
        dir = Files.createTempDirectory("store-bench");
        boolean heap = tier.equals("heap");
        long heapBytes = heap ? 512L << 20 : 16L << 20;
        long heapObject = heap ? 1L << 20 : 1024;
        store = TieredStore.open(new StorageConfig(heapBytes, heapObject, Optional.of(dir), 1L << 30, 8L << 20, 256 << 10), "bench");
        byte[] body = new byte[size];
        ThreadLocalRandom.current().nextBytes(body);
        for (int i = 0; i < OBJECTS; i++) {
            store(store, "bench /obj/" + i, body);
        }
        if (!heap) {
            for (int i = 0; i < OBJECTS; i++) {
                store.heap().remove("bench /obj/" + i);
            }
        }
    }

    /** Stores {@code body} under {@code key} as an hour-fresh 200 (also for {@link ZipfRounds}). */
    static void store(CacheStore store, String key, byte[] body) {
        CachedResponse r = new CachedResponse(200, List.of(new Field("Content-Type", "application/octet-stream")), 0, 0, 0,
                3_600_000, 0, 0, false, false, false, Optional.empty(), -1, -1, List.of(), "", List.of(), body.length);
        ObjectWriter w = store.begin(key, r, body.length);
        w.write(ByteBuffer.wrap(body));
        w.commit(r);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        store.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public long lookupAndRead(Blackhole hole) throws Exception {
        String key = "bench /obj/" + ThreadLocalRandom.current().nextInt(OBJECTS);
        Variants v = store.lookupInMemory(key);
        if (v.isEmpty()) {
            v = store.lookup(key);
        }
        StoredObject o = v.all().get(0);
        long read = 0;
        BodyReader reader = o.body().reader();
        while (true) {
            ByteBuffer b = reader.next();
            if (b != null) {
                read += b.remaining();
                hole.consume(b);
                continue;
            }
            if (reader.isFinished()) {
                break;
            }
            if (reader.failure() != null) {
                throw new IllegalStateException(reader.failure());
            }
            CompletableFuture<Void> woken = new CompletableFuture<>();
            reader.demand(() -> woken.complete(null));
            woken.get(10, TimeUnit.SECONDS);
        }
        reader.close();
        if (!tier.equals("heap")) {
            store.heap().remove(key); // keep the next lookup of this key a disk hit
        }
        return read;
    }

    /** Runs this benchmark from an IDE or {@code java -cp ... StoreLookupBenchmark}. */
    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(StoreLookupBenchmark.class.getSimpleName()).build()).run();
    }
}
