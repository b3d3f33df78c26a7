package io.blueorigin.cdn.httpcache.bench;

import io.blueorigin.cdn.httpcache.CacheDecision;
import io.blueorigin.cdn.httpcache.CacheStatus;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Formatting one {@code Cache-Status} value (RFC 9211) with {@link CacheStatus}, as {@code ClientExchange.cacheStatus}
 * does per response that is not a memoized plain hit (the memoized one is {@code HitHeadersBenchmark}):
 *
 * <ul>
 *   <li>{@code hit}: {@code edge-nyc; hit; ttl=299}, an edge's own member (what a hit formats when its memo misses).</li>
 *   <li>{@code hitBehindShield}: the same appended to the shield's stored member.</li>
 *   <li>{@code miss}: {@code edge-nyc; fwd=uri-miss; fwd-status=200; ttl=300; stored} after the shield's member.</li>
 *   <li>{@code failure}: a 502's member with a quoted {@code detail}.</li>
 * </ul>
 *
 * <pre>
 *   mvn -o -q -P bench package -DskipTests
 *   java -jar bench/target/benchmarks.jar CacheStatusBenchmark -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class CacheStatusBenchmark {
    private static final String UPSTREAM = "shield-iad; fwd=uri-miss; fwd-status=200; ttl=300; stored";

    /** Not constant, so the JIT cannot fold the numbers into the strings. */
    private long ttl = 299;
    private int status = 200;
    private String node = "edge-nyc";

    @Benchmark
    public String hit() {
        return CacheStatus.of(node).hit().ttl(ttl).appendTo(null);
    }

    @Benchmark
    public String hitBehindShield() {
        return CacheStatus.of(node).hit().ttl(ttl).appendTo(UPSTREAM);
    }

    @Benchmark
    public String miss() {
        return CacheStatus.of(node).fwd(CacheDecision.Fwd.URI_MISS).fwdStatus(status).ttl(ttl + 1).stored()
                .appendTo(UPSTREAM);
    }

    @Benchmark
    public String failure() {
        return CacheStatus.of(node).fwd(CacheDecision.Fwd.URI_MISS).detail("connect refused: upstream").appendTo(null);
    }

    /** Runs this benchmark from an IDE or {@code java -cp ... CacheStatusBenchmark}. */
    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(CacheStatusBenchmark.class.getSimpleName()).build()).run();
    }
}
