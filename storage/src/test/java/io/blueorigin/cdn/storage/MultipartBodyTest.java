package io.blueorigin.cdn.storage;

import static io.blueorigin.cdn.storage.BodySliceTest.chunked;
import static io.blueorigin.cdn.storage.StoreFixtures.bytes;
import static io.blueorigin.cdn.storage.StoreFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.range.ByteRange;
import io.blueorigin.cdn.httpcache.range.MultipartByteranges;
import io.blueorigin.cdn.httpcache.range.RangeDecision;
import io.blueorigin.cdn.httpcache.range.RangePolicy;
import io.blueorigin.cdn.httpcache.range.Representation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link MultipartBody}: the payload parses back into the asked parts, and its length is exact. */
class MultipartBodyTest {
    private static final MemoryBudget BUDGET = new MemoryBudget(1L << 30);
    private static final String BOUNDARY = "0123456789abcdefXYZ";

    /** One part parsed back: its Content-Range field and its bytes. */
    private record Part(String contentType, String contentRange, byte[] bytes) {}

    @Test
    void aMultipartPayloadParsesBackIntoTheRequestedParts() {
        byte[] all = bytes(10_000, 1);
        MultipartByteranges framing = framing("bytes=9990-,0-99,5000-5099,50-120", all.length);
        MultipartBody body = MultipartBody.of(framing, chunked(all, 1024));
        byte[] payload = read(body);
        assertThat(payload).hasSize((int) body.length());
        assertThat(body.length()).isEqualTo(framing.contentLength());

        List<Part> parts = parse(payload, BOUNDARY);
        assertThat(parts).extracting(Part::contentRange)
                .containsExactly("bytes 9990-9999/10000", "bytes 0-120/10000", "bytes 5000-5099/10000");
        assertThat(parts).extracting(Part::contentType).containsOnly("video/mp4");
        assertThat(parts.get(0).bytes()).isEqualTo(Arrays.copyOfRange(all, 9990, 10_000));
        assertThat(parts.get(1).bytes()).isEqualTo(Arrays.copyOfRange(all, 0, 121));
        assertThat(parts.get(2).bytes()).isEqualTo(Arrays.copyOfRange(all, 5000, 5100));
    }

    @Test
    void aReaderMayStartAnywhereInThePayload() {
        byte[] all = bytes(3000, 2);
        MultipartBody body = MultipartBody.of(framing("bytes=0-9,1000-2999", all.length), chunked(all, 512));
        byte[] payload = read(body);
        for (int from = 0; from <= payload.length + 1; from += 37) {
            assertThat(read(body.reader(from))).as("from " + from)
                    .isEqualTo(Arrays.copyOfRange(payload, Math.min(from, payload.length), payload.length));
        }
    }

    @Test
    void partsFollowABodyStillArrivingAndLetItGo() {
        byte[] all = bytes(4000, 3);
        GrowingBody whole = GrowingBody.retained(1024, all.length, BUDGET);
        MultipartBody body = MultipartBody.of(framing("bytes=0-9,2000-2099", all.length), whole);
        BodyReader reader = body.reader();
        whole.write(ByteBuffer.wrap(all, 0, 1500));
        byte[] firstPart = BodySliceTest.drainWithoutClosing(reader);
        assertThat(new String(firstPart, StandardCharsets.ISO_8859_1)).endsWith("\r\n\r\n" + new String(all, 0, 10, StandardCharsets.ISO_8859_1)
                + "\r\n--" + BOUNDARY + "\r\nContent-Type: video/mp4\r\nContent-Range: bytes 2000-2099/4000\r\n\r\n");
        assertThat(reader.isFinished()).isFalse();
        whole.write(ByteBuffer.wrap(all, 1500, 2500 - 1500));
        byte[] rest = BodySliceTest.drainWithoutClosing(reader);
        assertThat(reader.isFinished()).as("done before the whole object arrived").isTrue();
        assertThat(whole.isComplete()).isFalse();
        assertThat(whole.readerCount()).isZero();
        byte[] payload = concat(firstPart, rest);
        assertThat(payload).hasSize((int) body.length());
        assertThat(parse(payload, BOUNDARY).get(1).bytes()).isEqualTo(Arrays.copyOfRange(all, 2000, 2100));
    }

    @Test
    void closingMidPartClosesThePartsReader() {
        GrowingBody whole = GrowingBody.retained(1024, 100, BUDGET);
        BodyReader reader = MultipartBody.of(framing("bytes=0-9,50-59", 100), whole).reader();
        whole.write(ByteBuffer.wrap(bytes(5, 4)));
        BodySliceTest.drainWithoutClosing(reader);
        assertThat(whole.readerCount()).isEqualTo(1);
        reader.close();
        assertThat(whole.readerCount()).isZero();
        assertThat(reader.isFinished()).isFalse();
        assertThat(reader.next()).isNull();
    }

    private static MultipartByteranges framing(String range, long length) {
        RangeDecision d = new RangePolicy().decide("GET", List.of(range), List.of(),
                new Representation(200, length, Optional.empty(), -1, -1));
        assertThat(d.action()).isEqualTo(RangeDecision.Action.MULTIPART);
        return MultipartByteranges.of(d, Optional.of("video/mp4"), BOUNDARY);
    }

    /**
     * A strict RFC 2046 reader of this layout: "--" boundary CRLF, field lines, CRLF, the part (as long as its
     * Content-Range says), then CRLF "--" boundary and either CRLF (another part) or "--" CRLF (the end).
     */
    private static List<Part> parse(byte[] payload, String boundary) {
        String text = new String(payload, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        assertThat(text).startsWith(delimiter + "\r\n");
        int pos = delimiter.length() + 2;
        List<Part> parts = new ArrayList<>();
        while (true) {
            int blank = text.indexOf("\r\n\r\n", pos);
            String fields = text.substring(pos, blank + 2);
            Matcher type = Pattern.compile("Content-Type: ([^\r]*)\r\n").matcher(fields);
            Matcher range = Pattern.compile("Content-Range: bytes (\\d+)-(\\d+)/(\\d+)\r\n").matcher(fields);
            assertThat(type.find()).as(fields).isTrue();
            assertThat(range.find()).as(fields).isTrue();
            int length = (int) (Long.parseLong(range.group(2)) - Long.parseLong(range.group(1)) + 1);
            int bodyStart = blank + 4;
            parts.add(new Part(type.group(1), range.group(0).substring("Content-Range: ".length()).strip(),
                    Arrays.copyOfRange(payload, bodyStart, bodyStart + length)));
            pos = bodyStart + length;
            assertThat(text.startsWith("\r\n" + delimiter, pos)).as("delimiter after part " + parts.size()).isTrue();
            pos += 2 + delimiter.length();
            if (text.startsWith("--\r\n", pos)) {
                assertThat(pos + 4).as("nothing after the close delimiter").isEqualTo(payload.length);
                return parts;
            }
            assertThat(text.startsWith("\r\n", pos)).isTrue();
            pos += 2;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
