package io.blueorigin.cdn.it.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestStack;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Byte ranges (RFC 9110 §14) through edge and shield: single, suffix, open and multiple ranges from the stored
 * object, If-Range, 416, an invalid Range ignored, a range miss answered as soon as its bytes arrive, and
 * hostile Range fields answered with a clear 200/416, never a 5xx.
 */
class RangesIT {
    private static final byte[] BODY = body(10_000);
    private static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.start(c -> c.edges("nyc"));
        stack.origin.on("/r/a", Reply.ok("").withBody(BODY).withHeader("Cache-Control", "max-age=600")
                .withHeader("ETag", "\"v1\"").withHeader("Content-Type", "application/octet-stream"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static byte[] body(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) ('a' + (i * 7 + i / 26) % 26);
        }
        return b;
    }

    private static ContentResponse get(String path, String... fields) {
        return stack.client.get(stack.edge("nyc", path), fields);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        §14.1.2 one range                    | bytes=10-19       | 10   | 19
        §14.1.2 first byte                   | bytes=0-0         | 0    | 0
        §14.1.2 open range                   | bytes=9990-       | 9990 | 9999
        §14.1.2 suffix range                 | bytes=-5          | 9995 | 9999
        §14.1.2 last beyond the end, clipped | bytes=9000-20000  | 9000 | 9999
        §14.2 overlapping ranges coalesced   | bytes=10-19,15-29 | 10   | 29
        §14.1.1 unit is case-insensitive     | BYTES=1-2         | 1    | 2
        §14.1.2 a last beyond 2^63, clipped  | bytes=5-99999999999999999999999 | 5 | 9999
        """)
    void aRangeOfTheStoredObjectIsA206WithItsBytes(String section, String range, long first, long last) {
        get("/r/a"); // stored at edge and shield
        ContentResponse r = get("/r/a", "Range", range);
        assertThat(r.getStatus()).as(section).isEqualTo(206);
        assertThat(r.getHeaders().get("Content-Range")).as(section).isEqualTo("bytes " + first + "-" + last + "/" + BODY.length);
        assertThat(r.getHeaders().getLongField("Content-Length")).as(section).isEqualTo(last - first + 1);
        assertThat(r.getContent()).as(section).isEqualTo(Arrays.copyOfRange(BODY, (int) first, (int) last + 1));
        assertThat(r.getHeaders().get("X-Cache")).as(section).isEqualTo("HIT");
        assertThat(stack.origin.count("/r/a")).as("ranges are served from the stored whole object").isEqualTo(1);
    }

    @Test
    void severalRangesAreOneMultipartByteranges() {
        get("/r/a");
        ContentResponse r = get("/r/a", "Range", "bytes=0-1, 100-102");
        assertThat(r.getStatus()).isEqualTo(206);
        String type = r.getHeaders().get("Content-Type");
        assertThat(type).startsWith("multipart/byteranges; boundary=");
        String boundary = type.substring(type.indexOf("boundary=") + 9);
        String payload = new String(r.getContent(), StandardCharsets.ISO_8859_1);
        assertThat(r.getHeaders().getLongField("Content-Length")).isEqualTo(r.getContent().length);
        assertThat(payload).contains("--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-1/10000\r\n\r\n"
                + new String(BODY, 0, 2, StandardCharsets.ISO_8859_1) + "\r\n");
        assertThat(payload).contains("Content-Range: bytes 100-102/10000\r\n\r\n" + new String(BODY, 100, 3, StandardCharsets.ISO_8859_1));
        assertThat(payload).endsWith("--" + boundary + "--\r\n");
    }

    @Test
    void anUnsatisfiableRangeIsA416WithTheLength() {
        get("/r/a");
        ContentResponse r = get("/r/a", "Range", "bytes=20000-30000");
        assertThat(r.getStatus()).isEqualTo(416);
        assertThat(r.getHeaders().get("Content-Range")).isEqualTo("bytes */10000");
        assertThat(r.getContentAsString()).startsWith("416 Range Not Satisfiable");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        §14.2 a reversed range is invalid: ignored       | bytes=20-10
        §14.2 another unit: ignored                      | items=0-1
        §14.2 garbage: ignored                           | bytes=a-b
        §14.2 an empty set: ignored                      | bytes=
        """)
    void anInvalidRangeIsIgnored(String section, String range) {
        get("/r/a");
        ContentResponse r = get("/r/a", "Range", range);
        assertThat(r.getStatus()).as(section).isEqualTo(200);
        assertThat(r.getContent()).as(section).isEqualTo(BODY);
        assertThat(r.getHeaders().get("Accept-Ranges")).as(section).isEqualTo("bytes");
    }

    @Test
    void moreRangesThanAllowedInOneFieldAreIgnoredNotServed() {
        get("/r/a");
        StringBuilder many = new StringBuilder("bytes=");
        for (int i = 0; i < 300; i++) { // above RangePolicy.DEFAULT_MAX_RANGES (100), within the client's header buffer
            many.append(i == 0 ? "" : ",").append(i).append('-').append(i);
        }
        ContentResponse r = get("/r/a", "Range", many.toString());
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getContent()).isEqualTo(BODY);
    }

    @Test
    void ifRangeWithTheCurrentTagGivesTheRangeAndWithAnotherTheWhole() {
        get("/r/a");
        assertThat(get("/r/a", "Range", "bytes=0-9", "If-Range", "\"v1\"").getStatus()).isEqualTo(206);
        ContentResponse changed = get("/r/a", "Range", "bytes=0-9", "If-Range", "\"v0\"");
        assertThat(changed.getStatus()).isEqualTo(200);
        assertThat(changed.getContent()).isEqualTo(BODY);
        assertThat(get("/r/a", "Range", "bytes=0-9", "If-Range", "W/\"v1\"").getStatus())
                .as("§13.1.5 a weak tag never matches").isEqualTo(200);
    }

    @Test
    void aRangeOnHeadIsIgnored() {
        get("/r/a");
        ContentResponse r = TestClient.send(stack.client.request(stack.edge("nyc", "/r/a")).method(HttpMethod.HEAD)
                .headers(h -> h.put("Range", "bytes=0-9")));
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getHeaders().getLongField("Content-Length")).isEqualTo(BODY.length);
    }

    @Test
    void aRangeMissIsAnsweredAsSoonAsItsBytesArriveAndTheWholeObjectIsStored() throws Exception {
        byte[] large = body(1 << 20);
        CompletableFuture<Void> rest = new CompletableFuture<>();
        stack.origin.on("/r/large", Reply.ok("").withBody(large).withHeader("Cache-Control", "max-age=600")
                .pausedMidBodyUntil(rest));
        try {
            // the origin sent half the body and waits: the first 1000 bytes are answered meanwhile
            ContentResponse r = stack.client.request(stack.edge("nyc", "/r/large")).headers(h -> h.put("Range", "bytes=0-999"))
                    .timeout(20, TimeUnit.SECONDS).send();
            assertThat(rest).as("answered before the origin sent the rest").isNotDone();
            assertThat(r.getStatus()).isEqualTo(206);
            assertThat(r.getContent()).isEqualTo(Arrays.copyOfRange(large, 0, 1000));
            assertThat(stack.origin.last("/r/large").orElseThrow().header("Range"))
                    .as("the whole object is fetched, to be stored").isEmpty();
        } finally {
            rest.complete(null);
        }
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(get("/r/large").getHeaders().get("X-Cache")).isEqualTo("HIT"));
        ContentResponse tail = get("/r/large", "Range", "bytes=-10");
        assertThat(tail.getContent()).isEqualTo(Arrays.copyOfRange(large, large.length - 10, large.length));
        assertThat(stack.origin.count("/r/large")).isEqualTo(1);
    }

    @Test
    void aStoredObjectSaysItAcceptsRanges() {
        assertThat(get("/r/a").getHeaders().get("Accept-Ranges")).isEqualTo("bytes");
    }
}
