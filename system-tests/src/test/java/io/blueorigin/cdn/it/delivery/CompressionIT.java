package io.blueorigin.cdn.it.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aayushatharva.brotli4j.decoder.Decoder;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.decoder.DirectDecompress;
import io.blueorigin.cdn.httpcache.encoding.CompressionPolicy;
import io.blueorigin.cdn.proxy.encoding.BodyEncoders;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compression at the edge (gzip and Brotli from Accept-Encoding q-values): the identity response is served with
 * {@code Vary: Accept-Encoding}, the encoded copy is made once and then served as a hit with its own ETag; an
 * origin that compresses is passed through untouched; ranges apply to the encoded bytes.
 */
class CompressionIT {
    private static final String HTML = html();
    private static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.start(c -> c.edges("nyc").edgeConfig(p -> p.withCompression(CompressionPolicy.defaults())));
        BodyEncoders.ensureBrotli();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static String html() {
        StringBuilder b = new StringBuilder("<!doctype html><html><body>");
        for (int i = 0; i < 400; i++) {
            b.append("<p class=\"row\">item ").append(i).append(" of the catalogue, in stock</p>\n");
        }
        return b.append("</body></html>").toString();
    }

    private static void page(String path) {
        stack.origin.on(path, Reply.ok(HTML).withHeader("Content-Type", "text/html; charset=utf-8")
                .withHeader("Cache-Control", "max-age=600").withHeader("ETag", "\"p1\""));
    }

    private static ContentResponse get(String path, String... fields) {
        return stack.client.get(stack.edge("nyc", path), fields);
    }

    @Test
    void theBrotliCopyIsMadeOnceAndServedAsAHitWithItsOwnEtag() {
        page("/z/br");
        ContentResponse first = get("/z/br", "Accept-Encoding", "gzip, deflate, br");
        assertThat(first.getContentAsString()).isEqualTo(HTML);
        assertThat(first.getHeaders().get("Vary")).contains("Accept-Encoding");
        ContentResponse encoded = await().until(() -> get("/z/br", "Accept-Encoding", "gzip, deflate, br"),
                r -> "br".equals(r.getHeaders().get("Content-Encoding")));
        assertThat(encoded.getHeaders().get("X-Cache")).isEqualTo("HIT");
        assertThat(encoded.getHeaders().get("ETag")).isEqualTo("\"p1-br\"");
        assertThat(encoded.getHeaders().get("Vary")).containsIgnoringCase("Accept-Encoding");
        assertThat(encoded.getHeaders().get("X-Edge-Encoded")).as("the edge's own marker stays inside").isNull();
        assertThat(encoded.getContent().length).isLessThan(HTML.length() / 4);
        assertThat(new String(brotli(encoded.getContent()), StandardCharsets.UTF_8)).isEqualTo(HTML);
        assertThat(stack.origin.count("/z/br")).as("compressed from the stored identity, not fetched again").isEqualTo(1);

        ContentResponse identity = get("/z/br");
        assertThat(identity.getHeaders().get("Content-Encoding")).isNull();
        assertThat(identity.getContentAsString()).isEqualTo(HTML);
        assertThat(identity.getHeaders().get("Vary")).contains("Accept-Encoding");
    }

    @Test
    void qValuesChooseTheCodingAndZeroExcludesOne() {
        page("/z/q");
        get("/z/q", "Accept-Encoding", "gzip");
        ContentResponse gzip = await().until(() -> get("/z/q", "Accept-Encoding", "br;q=0, gzip;q=0.8"),
                r -> "gzip".equals(r.getHeaders().get("Content-Encoding")));
        assertThat(new String(gunzip(gzip.getContent()), StandardCharsets.UTF_8)).isEqualTo(HTML);
        assertThat(gzip.getHeaders().get("ETag")).isEqualTo("\"p1-gzip\"");
        ContentResponse none = get("/z/q", "Accept-Encoding", "br;q=0, gzip;q=0");
        assertThat(none.getHeaders().get("Content-Encoding")).isNull();
        assertThat(none.getContentAsString()).isEqualTo(HTML);
    }

    @Test
    void anOriginThatCompressesIsPassedThroughUntouched() {
        byte[] gz = gzip(HTML.getBytes(StandardCharsets.UTF_8));
        stack.origin.on("/z/origin-gz", Reply.ok("").withBody(gz).withHeader("Content-Type", "text/html")
                .withHeader("Content-Encoding", "gzip").withHeader("Vary", "Accept-Encoding").withHeader("Cache-Control", "max-age=600"));
        get("/z/origin-gz", "Accept-Encoding", "gzip");
        ContentResponse r = get("/z/origin-gz", "Accept-Encoding", "gzip");
        assertThat(r.getHeaders().get("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.getContent()).isEqualTo(gz);
        assertThat(r.getHeaders().get("X-Cache")).isEqualTo("HIT");
    }

    @Test
    void aRangeAppliesToTheEncodedBytesSent() {
        page("/z/range");
        get("/z/range", "Accept-Encoding", "br");
        ContentResponse whole = await().until(() -> get("/z/range", "Accept-Encoding", "br"),
                r -> "br".equals(r.getHeaders().get("Content-Encoding")));
        ContentResponse part = get("/z/range", "Accept-Encoding", "br", "Range", "bytes=0-9");
        assertThat(part.getStatus()).isEqualTo(206);
        assertThat(part.getHeaders().get("Content-Encoding")).isEqualTo("br");
        assertThat(part.getHeaders().get("Content-Range")).isEqualTo("bytes 0-9/" + whole.getContent().length);
        assertThat(part.getContent()).isEqualTo(Arrays.copyOfRange(whole.getContent(), 0, 10));
    }

    @Test
    void aSmallOrIncompressibleResponseIsNeverEncoded() {
        stack.origin.on("/z/small", Reply.ok("tiny").withHeader("Content-Type", "text/plain").withHeader("Cache-Control", "max-age=600"));
        stack.origin.on("/z/png", Reply.ok(HTML).withHeader("Content-Type", "image/png").withHeader("Cache-Control", "max-age=600"));
        for (int i = 0; i < 3; i++) {
            ContentResponse small = get("/z/small", "Accept-Encoding", "br");
            assertThat(small.getHeaders().get("Content-Encoding")).isNull();
            assertThat(small.getHeaders().get("Vary")).isNull();
            assertThat(get("/z/png", "Accept-Encoding", "br").getHeaders().get("Content-Encoding")).isNull();
        }
    }

    private static byte[] brotli(byte[] encoded) {
        try {
            DirectDecompress d = Decoder.decompress(encoded);
            assertThat(d.getResultStatus()).isEqualTo(DecoderJNI.Status.DONE);
            return d.getDecompressedData();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gunzip(byte[] encoded) {
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(encoded))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
