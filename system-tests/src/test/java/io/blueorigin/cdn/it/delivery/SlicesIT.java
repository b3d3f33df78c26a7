package io.blueorigin.cdn.it.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.RecordedRequest;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestStack;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slices (cache.slice-size 64 KiB at edge and shield, docs/ranges.md): a range miss fetches only the slices it
 * covers, a whole GET fetches the others once and gets the exact bytes, later GETs are hits, and an object that
 * changed between slices is refetched, never stitched.
 */
class SlicesIT {
    private static final int SLICE = 64 * 1024;
    private static final byte[] BODY = body(1 << 20, 0);
    private static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.start(c -> c.edges("nyc").edgeConfig(p -> p.withCache(p.cache().withSliceSize(SLICE)))
                .shieldConfig(p -> p.withCache(p.cache().withSliceSize(SLICE))));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static byte[] body(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) ('a' + (i * 7 + i / 26 + seed) % 26);
        }
        return b;
    }

    private static Reply object(byte[] body, String etag) {
        return Reply.ok("").withBody(body).withHeader("Cache-Control", "max-age=600").withHeader("ETag", etag)
                .withHeader("Content-Type", "video/mp4").withRanges();
    }

    private static ContentResponse get(String path, String... fields) {
        return stack.client.get(stack.edge("nyc", path), fields);
    }

    private static List<String> rangesAsked(String path) {
        return stack.origin.requests(path).stream().map(r -> header(r, "Range")).toList();
    }

    private static String header(RecordedRequest r, String name) {
        return r.headers().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(java.util.Map.Entry::getValue)
                .findFirst().orElse("none");
    }

    @Test
    void aRangeMissFetchesOnlyItsSlicesThenAWholeGetTheRestOnceThenHits() {
        stack.origin.on("/s/a.mp4", object(BODY, "\"v1\""));
        int first = BODY.length - 100_000;
        ContentResponse range = get("/s/a.mp4", "Range", "bytes=" + first + "-" + (BODY.length - 1));
        assertThat(range.getStatus()).isEqualTo(206);
        assertThat(range.getHeaders().get("Content-Range")).isEqualTo("bytes " + first + "-" + (BODY.length - 1) + "/" + BODY.length);
        assertThat(range.getContent()).isEqualTo(Arrays.copyOfRange(BODY, first, BODY.length));
        assertThat(rangesAsked("/s/a.mp4")).as("only the two slices covering the range")
                .containsExactlyInAnyOrder("bytes=917504-983039", "bytes=983040-1048575");

        ContentResponse whole = get("/s/a.mp4");
        assertThat(whole.getStatus()).isEqualTo(200);
        assertThat(whole.getHeaders().getLongField("Content-Length")).isEqualTo(BODY.length);
        assertThat(whole.getHeaders().get("Content-Range")).isNull();
        assertThat(whole.getHeaders().get("ETag")).isEqualTo("\"v1\"");
        assertThat(whole.getContent()).isEqualTo(BODY);
        assertThat(stack.origin.count("/s/a.mp4")).as("each of the 16 slices fetched once").isEqualTo(16);
        assertThat(rangesAsked("/s/a.mp4")).doesNotHaveDuplicates().doesNotContain("none");

        ContentResponse again = get("/s/a.mp4");
        assertThat(again.getContent()).isEqualTo(BODY);
        assertThat(again.getHeaders().get("X-Cache")).isEqualTo("HIT");
        assertThat(again.getHeaders().get("Cache-Status")).as("every slice stored: a hit, not a miss").contains("edge-nyc; hit");
        ContentResponse multi = get("/s/a.mp4", "Range", "bytes=0-9,500000-500009");
        assertThat(multi.getStatus()).isEqualTo(206);
        assertThat(multi.getHeaders().get("Content-Type")).startsWith("multipart/byteranges");
        ContentResponse unsatisfiable = get("/s/a.mp4", "Range", "bytes=2000000-");
        assertThat(unsatisfiable.getStatus()).isEqualTo(416);
        assertThat(unsatisfiable.getHeaders().get("Content-Range")).isEqualTo("bytes */" + BODY.length);
        assertThat(stack.origin.count("/s/a.mp4")).as("all hits").isEqualTo(16);
    }

    @Test
    void aSliceOfAnotherVersionIsRefetchedNotStitched() {
        byte[] v2 = body(BODY.length, 5);
        AtomicReference<Reply> current = new AtomicReference<>(object(BODY, "\"v1\""));
        stack.origin.on("/s/b.mp4", r -> current.get());
        ContentResponse tail = get("/s/b.mp4", "Range", "bytes=1000000-1000009");
        assertThat(tail.getContent()).isEqualTo(Arrays.copyOfRange(BODY, 1_000_000, 1_000_010));
        current.set(object(v2, "\"v2\""));
        stack.origin.clearRecords();

        ContentResponse whole = get("/s/b.mp4", "Range", "bytes=0-");
        assertThat(whole.getStatus()).isEqualTo(206);
        assertThat(whole.getHeaders().get("ETag")).isEqualTo("\"v2\"");
        assertThat(whole.getContent()).as("every byte of v2, none of v1").isEqualTo(v2);
        assertThat(rangesAsked("/s/b.mp4")).as("the stored v1 slice was fetched again").contains("bytes=983040-1048575")
                .hasSize(16);
    }

    @Test
    void anOriginThatIgnoresRangesHasItsWholeObjectStoredAtTheShieldAndServed() {
        byte[] small = body(200_000, 3);
        stack.origin.on("/s/plain.bin", Reply.ok("").withBody(small).withHeader("Cache-Control", "max-age=600")
                .withHeader("ETag", "\"p\""));
        ContentResponse range = get("/s/plain.bin", "Range", "bytes=150000-150009");
        assertThat(range.getStatus()).isEqualTo(206);
        assertThat(range.getContent()).isEqualTo(Arrays.copyOfRange(small, 150_000, 150_010));
        assertThat(stack.origin.count("/s/plain.bin")).isEqualTo(1);
        // the shield stored the origin's 200 whole and answers the edge's slices from it: the origin is asked once
        assertThat(get("/s/plain.bin").getContent()).isEqualTo(small);
        ContentResponse again = get("/s/plain.bin");
        assertThat(again.getContent()).isEqualTo(small);
        assertThat(again.getHeaders().get("X-Cache")).isEqualTo("HIT");
        assertThat(stack.origin.count("/s/plain.bin")).isEqualTo(1);
    }
}
