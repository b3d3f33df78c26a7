package io.blueorigin.cdn.proxy.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import com.aayushatharva.brotli4j.decoder.Decoder;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.decoder.DirectDecompress;
import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.EntityTag;
import io.blueorigin.cdn.httpcache.Field;
import io.blueorigin.cdn.httpcache.FieldLookup;
import io.blueorigin.cdn.httpcache.encoding.Coding;
import io.blueorigin.cdn.httpcache.encoding.CompressionPolicy;
import io.blueorigin.cdn.proxy.encoding.Compressor.Outcome;
import io.blueorigin.cdn.storage.Body;
import io.blueorigin.cdn.storage.BodyReader;
import io.blueorigin.cdn.storage.CacheStore;
import io.blueorigin.cdn.storage.ForwardingCacheStore;
import io.blueorigin.cdn.storage.ObjectWriter;
import io.blueorigin.cdn.storage.StorageConfig;
import io.blueorigin.cdn.storage.StoredObject;
import io.blueorigin.cdn.storage.Variants;
import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The compressor against the real heap store: copies stored next to the identity variant and found by
 * {@link EncodedVariants#selectFor}; deduplication, bounds and purges. Tests that need a compression to wait
 * run the store's I/O tasks by hand ({@link HeldStore}).
 */
class CompressorTest {
    private static final String KEY = "s /page";
    private static final long T = 1_000_000;
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(T + 5_000), ZoneOffset.UTC);
    private final TieredStore real = TieredStore.open(new StorageConfig(16L << 20, 4L << 20, Optional.empty(), 0,
            4L << 20, 16 * 1024), "test");
    private final CompressionPolicy policy = CompressionPolicy.defaults();
    private static final FieldLookup BROWSER = FieldLookup.of(List.of(new Field("Accept-Encoding", "gzip, deflate, br")));

    @AfterEach
    void close() {
        real.close();
    }

    @Test
    void storesAGzipCopyNextToTheIdentityOneAndARequestForGzipFindsIt() throws Exception {
        byte[] html = html(200_000);
        StoredObject identity = storeIdentity(real, "text/html; charset=utf-8", html, List.of());
        Compressor compressor = new Compressor(real, policy, clock, 8);

        assertThat(compressor.compressInBackground(KEY, identity, Coding.GZIP, BROWSER).get(10, TimeUnit.SECONDS))
                .isEqualTo(Outcome.STORED);

        Variants variants = real.lookup(KEY);
        assertThat(variants.size()).isEqualTo(2);
        StoredObject gzip = EncodedVariants.selectFor(variants, BROWSER, Coding.GZIP, clock.millis()).object();
        assertThat(gzip).isNotNull().isNotSameAs(identity);
        CachedResponse r = gzip.response();
        FieldLookup f = r.lookup();
        assertThat(f.values("Content-Encoding")).containsExactly("gzip");
        assertThat(f.values("ETag")).containsExactly("\"v1-gzip\"");
        assertThat(r.etag()).contains(new EntityTag("v1-gzip", false));
        assertThat(f.values("Vary")).containsExactly("Accept-Encoding");
        assertThat(f.values("Content-Type")).containsExactly("text/html; charset=utf-8");
        assertThat(f.values("Content-Length")).containsExactly(Long.toString(gzip.body().length()));
        assertThat(r.contentLength()).isEqualTo(gzip.body().length()).isLessThan(html.length / 3);
        assertThat(r.surrogateKeys()).containsExactly("t1", "t2");
        assertThat(r.responseTimeMillis()).isEqualTo(identity.response().responseTimeMillis());
        assertThat(r.ttlMillis(clock.millis())).isEqualTo(identity.response().ttlMillis(clock.millis()));
        assertThat(gunzip(read(gzip.body()))).isEqualTo(html);

        // identity still served to a client without Accept-Encoding, and nothing to compress for it
        EncodedVariants.Selection plain = EncodedVariants.selectFor(variants, FieldLookup.EMPTY, Coding.IDENTITY, clock.millis());
        assertThat(plain.object()).isSameAs(variants.all().stream().filter(o -> o.response().equals(identity.response()))
                .findFirst().orElseThrow());
        assertThat(plain.compressible()).isNull();
        // a Brotli client does not get the gzip copy: identity, to be compressed as br
        EncodedVariants.Selection br = EncodedVariants.selectFor(variants, BROWSER, Coding.BR, clock.millis());
        assertThat(br.object().response()).isEqualTo(identity.response());
        assertThat(br.compressible()).isNotNull();
    }

    @Test
    void storesABrotliCopyThatDecodesToTheIdentityBytes() throws Exception {
        byte[] json = json(100_000);
        StoredObject identity = storeIdentity(real, "application/json", json, List.of());
        Compressor compressor = new Compressor(real, policy, clock, 8);

        assertThat(compressor.compressInBackground(KEY, identity, Coding.BR, BROWSER).get(10, TimeUnit.SECONDS))
                .isEqualTo(Outcome.STORED);

        StoredObject br = EncodedVariants.selectFor(real.lookup(KEY), BROWSER, Coding.BR, clock.millis()).object();
        assertThat(br.response().lookup().values("Content-Encoding")).containsExactly("br");
        assertThat(br.response().lookup().values("ETag")).containsExactly("\"v1-br\"");
        DirectDecompress decoded = Decoder.decompress(read(br.body()));
        assertThat(decoded.getResultStatus()).isEqualTo(DecoderJNI.Status.DONE);
        assertThat(decoded.getDecompressedData()).isEqualTo(json);
    }

    @Test
    void aVaryOnAnotherFieldIsKeptAndTheCopyMatchesOnlyItsValue() throws Exception {
        FieldLookup french = FieldLookup.of(List.of(new Field("Accept-Encoding", "br"), new Field("Accept-Language", "fr")));
        FieldLookup english = FieldLookup.of(List.of(new Field("Accept-Encoding", "br"), new Field("Accept-Language", "en")));
        StoredObject identity = storeIdentity(real, "text/html", html(20_000), List.of("accept-language"), french);
        Compressor compressor = new Compressor(real, policy, clock, 8);

        assertThat(compressor.compressInBackground(KEY, identity, Coding.BR, french).get(10, TimeUnit.SECONDS))
                .isEqualTo(Outcome.STORED);

        Variants variants = real.lookup(KEY);
        StoredObject br = EncodedVariants.selectFor(variants, french, Coding.BR, clock.millis()).object();
        assertThat(br.response().varyFields()).containsExactly("accept-encoding", "accept-language");
        assertThat(br.response().lookup().values("Vary")).containsExactly("Accept-Language, Accept-Encoding");
        assertThat(EncodedVariants.selectFor(variants, english, Coding.BR, clock.millis()).object()).isNull();
    }

    @Test
    void aStaleCopyIsSkippedForTheIdentityOneWhichIsCompressedAgain() throws Exception {
        StoredObject identity = storeIdentity(real, "text/html", html(20_000), List.of());
        Compressor compressor = new Compressor(real, policy, clock, 8);
        compressor.compressInBackground(KEY, identity, Coding.BR, BROWSER).get(10, TimeUnit.SECONDS);

        long afterExpiry = T + 61_000;
        EncodedVariants.Selection s = EncodedVariants.selectFor(real.lookup(KEY), BROWSER, Coding.BR, afterExpiry);
        assertThat(s.object().response()).isEqualTo(identity.response());
        assertThat(s.compressible()).isSameAs(s.object());
    }

    @Test
    void aStaleVariantTheOriginCompressedIsStillSelectedForRevalidation() {
        CachedResponse originBr = response("text/html", List.of(new Field("Content-Encoding", "br"),
                new Field("Vary", "Accept-Encoding")), List.of("accept-encoding"), "accept-encoding=br\u001f", List.of());
        StoredObject stored = put(real, originBr, html(2_000));
        EncodedVariants.Selection s = EncodedVariants.selectFor(real.lookup(KEY), BROWSER, Coding.BR, T + 600_000);
        assertThat(s.object()).isSameAs(stored);
        assertThat(s.compressible()).isNull();
        // and it is never compressed again
        Compressor compressor = new Compressor(real, policy, clock, 8);
        assertThat(compressor.compressInBackground(KEY, stored, Coding.GZIP, BROWSER)).isCompletedWithValue(Outcome.NOT_ELIGIBLE);
    }

    @Test
    void onlyEligibleObjectsAndOnlyOfferedCodingsAreCompressed() {
        Compressor gzipOnly = new Compressor(real, new CompressionPolicy(EnumSet.of(Coding.GZIP), CompressionPolicy.DEFAULT_TYPES,
                1024, 1 << 20, 6, 5), clock, 8);
        StoredObject png = storeIdentity(real, "image/png", html(5_000), List.of());
        assertThat(gzipOnly.compressInBackground(KEY, png, Coding.GZIP, BROWSER)).isCompletedWithValue(Outcome.NOT_ELIGIBLE);
        StoredObject page = storeIdentity(real, "text/html", html(5_000), List.of());
        assertThat(gzipOnly.compressInBackground(KEY, page, Coding.BR, BROWSER)).isCompletedWithValue(Outcome.NOT_ELIGIBLE);
        assertThat(gzipOnly.compressInBackground(KEY, page, Coding.IDENTITY, BROWSER)).isCompletedWithValue(Outcome.NOT_ELIGIBLE);
        StoredObject tiny = storeIdentity(real, "text/html", html(100), List.of());
        assertThat(gzipOnly.compressInBackground(KEY, tiny, Coding.GZIP, BROWSER)).isCompletedWithValue(Outcome.NOT_ELIGIBLE);
    }

    @Test
    void anIncompressibleBodyIsNotStoredTwice() throws Exception {
        byte[] noise = new byte[50_000];
        new Random(7).nextBytes(noise);
        StoredObject identity = storeIdentity(real, "text/plain", noise, List.of());
        Compressor compressor = new Compressor(real, policy, clock, 8);
        assertThat(compressor.compressInBackground(KEY, identity, Coding.GZIP, BROWSER).get(10, TimeUnit.SECONDS))
                .isEqualTo(Outcome.NOT_SMALLER);
        assertThat(real.lookup(KEY).size()).isEqualTo(1);
        assertThat(compressor.pending()).isZero();
    }

    @Test
    void concurrentAsksForTheSameCopyMakeItOnceAndThePendingBoundHolds() {
        HeldStore held = new HeldStore(real);
        StoredObject identity = storeIdentity(real, "text/html", html(20_000), List.of());
        Compressor compressor = new Compressor(held, policy, clock, 1);

        CompletableFuture<Outcome> first = compressor.compressInBackground(KEY, identity, Coding.BR, BROWSER);
        assertThat(compressor.compressInBackground(KEY, identity, Coding.BR, BROWSER)).isCompletedWithValue(Outcome.DEDUPLICATED);
        assertThat(compressor.compressInBackground(KEY, identity, Coding.GZIP, BROWSER)).isCompletedWithValue(Outcome.QUEUE_FULL);
        assertThat(first).isNotDone();

        held.runAll();
        assertThat(first).isCompletedWithValue(Outcome.STORED);
        assertThat(compressor.pending()).isZero();
        assertThat(compressor.compressInBackground(KEY, identity, Coding.GZIP, BROWSER)).isNotDone();
        held.runAll();
        assertThat(real.lookup(KEY).size()).isEqualTo(3);
    }

    @Test
    void aPurgeWhileCompressingLeavesNoServableCopy() {
        HeldStore held = new HeldStore(real);
        StoredObject identity = storeIdentity(real, "text/html", html(20_000), List.of());
        Compressor compressor = new Compressor(held, policy, clock, 4);
        CompletableFuture<Outcome> job = compressor.compressInBackground(KEY, identity, Coding.GZIP, BROWSER);

        real.remove(KEY);
        held.runAll();

        assertThat(job).isCompletedWithValue(Outcome.SUPERSEDED);
        assertThat(EncodedVariants.selectFor(real.lookup(KEY), BROWSER, Coding.GZIP, clock.millis()).object()).isNull();
    }

    @Test
    void aSoftPurgeWhileCompressingLeavesTheCopyStale() {
        HeldStore held = new HeldStore(real);
        StoredObject identity = storeIdentity(real, "text/html", html(20_000), List.of());
        Compressor compressor = new Compressor(held, policy, clock, 4);
        CompletableFuture<Outcome> job = compressor.compressInBackground(KEY, identity, Coding.GZIP, BROWSER);

        real.markStale(KEY, clock.millis());
        held.runAll();

        assertThat(job).isCompletedWithValue(Outcome.SUPERSEDED);
        EncodedVariants.Selection s = EncodedVariants.selectFor(real.lookup(KEY), BROWSER, Coding.GZIP, clock.millis());
        assertThat(EncodedVariants.isEncodedHere(s.object().response())).isFalse();
    }

    @Test
    void aTagPurgeRemovesTheCopyWithTheIdentity() throws Exception {
        StoredObject identity = storeIdentity(real, "text/html", html(20_000), List.of());
        new Compressor(real, policy, clock, 8).compressInBackground(KEY, identity, Coding.BR, BROWSER).get(10, TimeUnit.SECONDS);
        assertThat(real.lookup(KEY).size()).isEqualTo(2);
        assertThat(real.removeTagged("t2")).isEqualTo(2);
        assertThat(real.lookup(KEY).isEmpty()).isTrue();
    }

    // ---- fixtures

    /** A store whose I/O tasks wait until the test runs them. */
    private static final class HeldStore extends ForwardingCacheStore {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        HeldStore(CacheStore delegate) {
            super(delegate);
        }

        @Override
        public Executor ioExecutor() {
            return tasks::add;
        }

        void runAll() {
            Runnable r;
            while ((r = tasks.poll()) != null) {
                r.run();
            }
        }
    }

    private static CachedResponse response(String type, List<Field> extra, List<String> vary, String varyKey, List<String> tags) {
        List<Field> fields = new java.util.ArrayList<>(List.of(new Field("Content-Type", type), new Field("ETag", "\"v1\""),
                new Field("Cache-Control", "max-age=60")));
        fields.addAll(extra);
        return new CachedResponse(200, fields, T, T, 0, 60_000, 0, 0, false, false, false,
                Optional.of(new EntityTag("v1", false)), -1, T, vary, varyKey, tags, -1);
    }

    private StoredObject storeIdentity(CacheStore store, String type, byte[] body, List<String> vary) {
        return storeIdentity(store, type, body, vary, BROWSER);
    }

    private StoredObject storeIdentity(CacheStore store, String type, byte[] body, List<String> vary, FieldLookup request) {
        List<Field> extra = vary.isEmpty() ? List.of() : List.of(new Field("Vary", "Accept-Language"));
        String key = vary.isEmpty() ? "" : io.blueorigin.cdn.httpcache.VaryKey.of(vary, request);
        return put(store, response(type, extra, vary, key, List.of("t1", "t2")), body);
    }

    private static StoredObject put(CacheStore store, CachedResponse response, byte[] body) {
        ObjectWriter w = store.begin(KEY, response, body.length);
        w.write(ByteBuffer.wrap(body));
        return w.commit(response.withBodyLength(body.length)).orElseThrow();
    }

    static byte[] html(int size) {
        StringBuilder s = new StringBuilder("<!doctype html><html><body>");
        Random r = new Random(size);
        while (s.length() < size) {
            s.append("<div class=\"item\"><a href=\"/item/").append(r.nextInt(10_000)).append("\">Item ")
                    .append(r.nextInt(1000)).append("</a></div>\n");
        }
        return s.substring(0, size).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] json(int size) {
        StringBuilder s = new StringBuilder("[");
        Random r = new Random(size);
        while (s.length() < size) {
            s.append("{\"id\":").append(r.nextInt(100_000)).append(",\"name\":\"user").append(r.nextInt(500))
                    .append("\",\"active\":").append(r.nextBoolean()).append("},");
        }
        return s.substring(0, size).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] read(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BodyReader reader = body.reader()) {
            ByteBuffer b;
            while ((b = reader.next()) != null) {
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
            assertThat(reader.isFinished()).as("heap bodies are complete").isTrue();
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] gz) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }
}
