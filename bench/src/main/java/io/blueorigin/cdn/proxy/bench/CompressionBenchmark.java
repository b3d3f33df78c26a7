package io.blueorigin.cdn.proxy.bench;

import io.blueorigin.cdn.httpcache.encoding.Coding;
import io.blueorigin.cdn.proxy.encoding.BodyEncoders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU cost and ratio of the edge's encoders ({@link BodyEncoders}) per coding and level on ~100 KiB HTML, JS
 * and JSON samples, generated deterministically. One operation compresses one whole sample; ns per MiB of
 * input is the score times 1 MiB / sample size (printed with the ratio at setup: "ratio ...").
 *
 * <p>Run: {@code mvn -o -q -P bench -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar
 * CompressionBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class CompressionBenchmark {
    /** Input size of every sample. */
    static final int SIZE = 100 * 1024;

    /** coding:level. */
    @Param({"gzip:1", "gzip:6", "gzip:9", "br:1", "br:4", "br:5", "br:11"})
    public String encoder;

    @Param({"html", "js", "json"})
    public String sample;

    private byte[] input;
    private Coding coding;
    private int level;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(SIZE);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        input = switch (sample) {
            case "html" -> html();
            case "js" -> js();
            case "json" -> json();
            default -> throw new IllegalArgumentException(sample);
        };
        String[] parts = encoder.split(":");
        coding = parts[0].equals("br") ? Coding.BR : Coding.GZIP;
        level = Integer.parseInt(parts[1]);
        int compressed = compress();
        System.out.printf("%nratio %s %s: %d -> %d bytes, ratio %.2f%n", encoder, sample, input.length, compressed,
                (double) input.length / compressed);
    }

    @Benchmark
    public int compress() throws IOException {
        out.reset();
        try (OutputStream enc = BodyEncoders.open(coding, level, out)) {
            enc.write(input);
        }
        return out.size();
    }

    static byte[] html() {
        Random r = new Random(1);
        String[] words = {"edge", "cache", "origin", "shield", "purge", "delivery", "content", "network", "request",
            "response", "latency", "the", "a", "of", "and", "to", "in", "for", "with", "on"};
        StringBuilder s = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Catalogue</title><link rel=\"stylesheet\" href=\"/static/site.css\"></head><body><main>");
        while (s.length() < SIZE) {
            int id = r.nextInt(100_000);
            s.append("<article class=\"card\" data-id=\"").append(id).append("\"><h2><a href=\"/item/").append(id)
                    .append("\">");
            for (int i = 0; i < 4 + r.nextInt(5); i++) {
                s.append(words[r.nextInt(words.length)]).append(' ');
            }
            s.append("</a></h2><p>");
            for (int i = 0; i < 20 + r.nextInt(30); i++) {
                s.append(words[r.nextInt(words.length)]).append(' ');
            }
            s.append("</p><span class=\"price\">").append(r.nextInt(10_000) / 100.0).append("</span></article>\n");
        }
        return s.substring(0, SIZE).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] js() {
        Random r = new Random(2);
        String[] names = {"cache", "fetchItem", "render", "state", "props", "node", "value", "index", "result", "options"};
        StringBuilder s = new StringBuilder("\"use strict\";\n");
        int f = 0;
        while (s.length() < SIZE) {
            String a = names[r.nextInt(names.length)];
            String b = names[r.nextInt(names.length)];
            s.append("function ").append(a).append(f++).append("(").append(b).append(", opts) {\n")
                    .append("  const ").append(a).append(" = opts && opts.").append(b).append(" ? opts.").append(b)
                    .append(" : ").append(r.nextInt(1000)).append(";\n")
                    .append("  if (").append(b).append(" === undefined || ").append(b).append(" === null) { return ")
                    .append(a).append("; }\n")
                    .append("  return ").append(b).append(".map((x, i) => x * ").append(r.nextInt(97)).append(" + i + ")
                    .append(a).append(");\n}\n");
        }
        return s.substring(0, SIZE).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] json() {
        Random r = new Random(3);
        StringBuilder s = new StringBuilder("{\"items\":[");
        while (s.length() < SIZE) {
            s.append("{\"id\":").append(r.nextInt(1_000_000)).append(",\"name\":\"user-").append(Long.toHexString(r.nextLong()))
                    .append("\",\"email\":\"u").append(r.nextInt(100_000)).append("@example.com\",\"active\":")
                    .append(r.nextBoolean()).append(",\"score\":").append(r.nextInt(10_000) / 100.0)
                    .append(",\"tags\":[\"a").append(r.nextInt(20)).append("\",\"b").append(r.nextInt(20)).append("\"]},");
        }
        return s.substring(0, SIZE).getBytes(StandardCharsets.UTF_8);
    }
}
