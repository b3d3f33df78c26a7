package io.blueorigin.cdn.httpcache.bench;

import io.blueorigin.cdn.httpcache.FieldLookup;
import io.blueorigin.cdn.httpcache.VaryKey;
import io.blueorigin.cdn.httpcache.internal.ListTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * The secondary key of one request for a response with {@code Vary: Accept-Language} (RFC 9111 §4.1), the
 * work the hit path does once per stored variant it compares: {@code varyKey} is {@link VaryKey#of} as
 * built, {@code regex} the normalizer it replaced (two {@code replaceAll} per list member), side by side.
 *
 * <pre>
 *   mvn -q -B -P bench -pl bench -am package -DskipTests
 *   java -jar bench/target/benchmarks.jar VaryKeyBenchmark -f 1 -wi 3 -i 5
 * </pre>
 *
 * Values ({@code value}): {@code ordinary} is a browser's {@code Accept-Language}; the others are 8 KiB
 * (the default request-header budget of Jetty) of what a hostile client sends: {@code spaces8k} a run of
 * spaces between two tags (the regex backtracks over it quadratically), {@code semicolons8k} alternating
 * spaces and semicolons (linear for both), {@code commas8k} 4,096 one-letter members.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class VaryKeyBenchmark {
    private static final List<String> VARY = List.of("accept-language");

    @Param({"ordinary", "spaces8k", "semicolons8k", "commas8k"})
    String value;

    private FieldLookup request;
    private List<String> values;

    @Setup
    public void setUp() {
        String v = switch (value) {
            case "ordinary" -> "en-US,en;q=0.9,fr-FR;q=0.8,fr;q=0.7,de;q=0.6";
            case "spaces8k" -> "en" + " ".repeat(8192 - 4) + "fr";
            case "semicolons8k" -> "en" + " ;".repeat((8192 - 4) / 2) + "fr";
            case "commas8k" -> "a,".repeat(4096);
            default -> throw new IllegalArgumentException("value : " + value + " (expected: ordinary, spaces8k, semicolons8k, commas8k)");
        };
        values = List.of(v);
        request = name -> name.equals("accept-language") ? values : List.of();
    }

    @Benchmark
    public String varyKey() {
        return VaryKey.of(VARY, request);
    }

    @Benchmark
    public String regex() {
        return "accept-language=" + regexNormalize(values) + '\u001f';
    }

    /** The normalizer before the hardening issue, verbatim (for {@code Accept-Language}). */
    private static String regexNormalize(List<String> values) {
        List<String> members = ListTokenizer.members(values);
        List<String> out = new ArrayList<>(members.size());
        for (String m : members) {
            String collapsed = m.replaceAll("\\s*;\\s*", ";").replaceAll("\\s+", " ");
            out.add(collapsed.toLowerCase(Locale.ROOT));
        }
        return String.join(", ", out);
    }

    /** Runs this benchmark from an IDE or {@code java -cp ... VaryKeyBenchmark}. */
    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(VaryKeyBenchmark.class.getSimpleName()).build()).run();
    }
}
