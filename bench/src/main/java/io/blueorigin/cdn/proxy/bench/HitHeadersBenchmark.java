package io.blueorigin.cdn.proxy.bench;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.Field;
import io.blueorigin.cdn.proxy.HitPathAccess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpGenerator;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.server.internal.ResponseHttpFields;
import org.eclipse.jetty.util.BufferUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The response head of a fresh hit on a 1 KiB object, as the edge assembles it per request: the work our code does,
 * on Jetty's real response fields, without a socket. The stored response is the bench origin's
 * ({@code Server}, {@code Content-Type}, {@code Cache-Control: public, max-age=300}, {@code ETag},
 * {@code Last-Modified}, {@code Date}), hit one second after it was stored.
 *
 * <pre>
 *   mvn -o -q -P bench package -DskipTests
 *   java -jar bench/target/benchmarks.jar HitHeadersBenchmark -f 1 -wi 3 -i 5 -prof gc
 * </pre>
 *
 * <ul>
 *   <li>{@code hitFields}: the per-request fields {@code ClientExchange} makes ({@code Age}, {@code X-Cache},
 *       {@code Cache-Status}, a generated {@code X-Request-ID}).</li>
 *   <li>{@code hitHead}: those, into response fields as Jetty hands them over for each request (recycled, with
 *       the server's persistent {@code Date}), through {@code Delivery.head}: stored {@code Date} in its place,
 *       prepared fields, {@code Via}, per-request fields, {@code Content-Length}.</li>
 *   <li>{@code hitHeadEncoded}: {@code hitHead}, then Jetty's HTTP/1.1 generator encoding it into a buffer (the
 *       bytes a hit's head is; what is pre-encoded costs a copy there, what is not is encoded there).</li>
 *   <li>{@code hitStatusFormatted}: the hit's {@code Cache-Status} field when its one-slot memo misses.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class HitHeadersBenchmark {
    static final String NODE = "edge-bench";
    static final long LENGTH = 1024;

    private CachedResponse stored;
    private HitPathAccess.Prepared prepared;
    private long now;
    /** What {@code Server.getDateField()} puts in every response (persistent: it survives recycling). */
    private HttpField serverDate;
    private final ResponseHttpFields fields = new ResponseHttpFields();
    private final HttpGenerator generator = new HttpGenerator();
    private final ByteBuffer header = BufferUtil.allocate(4096);

    @Setup
    public void setUp() {
        long storedAt = 1_764_000_000_000L;
        now = storedAt + 1_000;
        stored = storedResponse(storedAt);
        prepared = HitPathAccess.prepare(stored, LENGTH, "1.1 " + NODE);
        serverDate = new ResponseHttpFields.PersistentPreEncodedHttpField(HttpHeader.DATE, DateGenerator.formatDate(now));
    }

    /** A 200 of the bench origin, stored at {@code storedAt}, fresh for 300 s. */
    static CachedResponse storedResponse(long storedAt) {
        List<Field> f = List.of(new Field("Date", DateGenerator.formatDate(storedAt)), new Field("Server", "bench-origin/1"),
                new Field("Content-Type", "application/octet-stream"), new Field("Cache-Control", "public, max-age=300"),
                new Field("ETag", "\"a5fbf443b4b5884e0f5b\""), new Field("Last-Modified", DateGenerator.formatDate(storedAt - 60_000)));
        return new CachedResponse(200, f, storedAt, storedAt, 0, 300_000, 0, 0, false, false, false, Optional.empty(),
                storedAt - 60_000, storedAt, List.of(), "", List.of(), LENGTH);
    }

    @Benchmark
    public HttpField[] hitFields() {
        return HitPathAccess.hitFields(prepared, stored, now, NODE, null);
    }

    @Benchmark
    public HttpFields.Mutable hitHead() {
        return head();
    }

    @Benchmark
    public ByteBuffer hitHeadEncoded() throws IOException {
        HttpFields.Mutable h = head();
        generator.reset();
        BufferUtil.clear(header);
        generator.generateResponse(new MetaData.Response(200, null, HttpVersion.HTTP_1_1, h, LENGTH), false, header, null,
                null, false);
        return header;
    }

    /**
     * {@code Cache-Status} of a fresh hit whose ttl differs from the previous hit's on this object (hits on many
     * objects, or a second later): {@code PreparedResponse.hitStatus} formats and pre-encodes it (its one-slot memo
     * misses). {@code hitFields} shows the memo hitting.
     */
    @Benchmark
    public HttpField hitStatusFormatted() {
        return HitPathAccess.hitStatus(prepared, NODE, 298 + (++ttlFlip & 1));
    }

    private int ttlFlip;

    private HttpFields.Mutable head() {
        fields.recycle();
        fields.add(serverDate);
        return HitPathAccess.sendHead(fields, prepared, HitPathAccess.hitFields(prepared, stored, now, NODE, null));
    }

    /** Runs this benchmark from an IDE or {@code java -cp ... HitHeadersBenchmark}. */
    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(HitHeadersBenchmark.class.getSimpleName()).build()).run();
    }
}
