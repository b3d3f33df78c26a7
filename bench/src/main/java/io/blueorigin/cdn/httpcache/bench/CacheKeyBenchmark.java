package io.blueorigin.cdn.httpcache.bench;

import io.blueorigin.cdn.httpcache.CacheKey;
import io.blueorigin.cdn.httpcache.RequestTarget;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The primary cache key of one request, the work the hit path does before its lookup: {@code CacheHandler} makes the
 * canonical target ({@link RequestTarget#parse}, RFC 3986 §6.2.2) from Jetty's path and query, and
 * {@code ServedSite.keyOf} the key string from it ({@code site + " " + pathAndQuery}; a site without a query policy
 * leaves the target as it is).
 *
 * <pre>
 *   mvn -o -q -P bench package -DskipTests
 *   java -jar bench/target/benchmarks.jar CacheKeyBenchmark -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 *
 * Targets ({@code target}): {@code hot} the bench's {@code /obj/1k/hot}, canonical already; {@code query} a
 * versioned asset with a two-parameter query; {@code messy} one that needs every normalization (lower-case and
 * unreserved percent-encodings, dot segments, a raw non-ASCII query character).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class CacheKeyBenchmark {
    @Param({"hot", "query", "messy"})
    String target;

    private String site;
    private String path;
    private String query;

    @Setup
    public void setUp() {
        site = "default";
        switch (target) {
            case "hot" -> {
                path = "/obj/1k/hot";
                query = null;
            }
            case "query" -> {
                path = "/static/js/app.min.js";
                query = "v=20261204&lang=en";
            }
            case "messy" -> {
                path = "/a/%7euser/./b/../c%2fd/%41";
                query = "q=caf\u00e9&x=%7e";
            }
            default -> throw new IllegalArgumentException("target : " + target + " (expected: hot, query, messy)");
        }
    }

    /** {@code CacheHandler.handle}: the canonical target. */
    @Benchmark
    public RequestTarget canonicalTarget() {
        return RequestTarget.parse(path, query);
    }

    /** The target, then the key string as {@code ServedSite.keyOf} made it before issue 16 (through the record). */
    @Benchmark
    public String key() {
        return CacheKey.of(site, RequestTarget.parse(path, query)).asString();
    }

    /** The target, then {@code ServedSite.keyOf}: the key the store is asked for ({@link CacheKey#stringOf}). */
    @Benchmark
    public String keyString() {
        return CacheKey.stringOf(site, RequestTarget.parse(path, query));
    }

    /** Runs this benchmark from an IDE or {@code java -cp ... CacheKeyBenchmark}. */
    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(CacheKeyBenchmark.class.getSimpleName()).build()).run();
    }
}
