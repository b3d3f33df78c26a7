package io.blueorigin.cdn.httpcache.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 9110 §14.6 framing: the exact bytes around each part, and a length that matches them. */
class MultipartByterangesTest {
    private static final String BOUNDARY = "THIS0STRING0SEPARATES";

    @Test
    void framesThePartsAsTheRfcExampleDoes() {
        MultipartByteranges m = new MultipartByteranges(BOUNDARY, Optional.of("application/pdf"),
                List.of(new ByteRange(500, 999), new ByteRange(7000, 7999)), 8000);
        assertThat(m.contentTypeField()).isEqualTo("multipart/byteranges; boundary=THIS0STRING0SEPARATES");
        assertThat(ascii(m.partHead(0))).isEqualTo("--THIS0STRING0SEPARATES\r\nContent-Type: application/pdf\r\n"
                + "Content-Range: bytes 500-999/8000\r\n\r\n");
        assertThat(ascii(m.partHead(1))).isEqualTo("\r\n--THIS0STRING0SEPARATES\r\nContent-Type: application/pdf\r\n"
                + "Content-Range: bytes 7000-7999/8000\r\n\r\n");
        assertThat(ascii(m.closing())).isEqualTo("\r\n--THIS0STRING0SEPARATES--\r\n");
        long expected = m.partHead(0).length + 500 + m.partHead(1).length + 1000 + m.closing().length;
        assertThat(m.contentLength()).isEqualTo(expected).isEqualTo(93 + 97 + 1500 + 29);
    }

    @Test
    void aResponseWithoutContentTypeHasPartsWithoutOne() {
        MultipartByteranges m = new MultipartByteranges(BOUNDARY, Optional.empty(), List.of(new ByteRange(0, 0), new ByteRange(2, 2)), 3);
        assertThat(ascii(m.partHead(0))).isEqualTo("--THIS0STRING0SEPARATES\r\nContent-Range: bytes 0-0/3\r\n\r\n");
    }

    @Test
    void aContentTypeThatWouldBreakTheFramingIsDropped() {
        MultipartByteranges m = new MultipartByteranges(BOUNDARY, Optional.of("text/html\r\nX-Evil: 1"),
                List.of(new ByteRange(0, 0), new ByteRange(2, 2)), 3);
        assertThat(m.contentType()).isEmpty();
        assertThat(ascii(m.partHead(1))).doesNotContain("Evil");
    }

    @Test
    void boundariesAreFreshSafeAndLongEnough() {
        Random random = new Random(7);
        String a = MultipartByteranges.newBoundary(random);
        String b = MultipartByteranges.newBoundary(random);
        assertThat(a).hasSize(MultipartByteranges.BOUNDARY_LENGTH).matches("[0-9A-Za-z]+").isNotEqualTo(b);
        new MultipartByteranges(a, Optional.empty(), List.of(new ByteRange(0, 0)), 1); // accepted
    }

    @Test
    void badArgumentsAreRefused() {
        List<ByteRange> one = List.of(new ByteRange(0, 0));
        assertThatThrownBy(() -> new MultipartByteranges("short", Optional.empty(), one, 1))
                .hasMessageContaining("boundary : short");
        assertThatThrownBy(() -> new MultipartByteranges("has space in it, see", Optional.empty(), one, 1))
                .hasMessageContaining("expected: 16 to 70 letters and digits");
        assertThatThrownBy(() -> new MultipartByteranges(BOUNDARY, Optional.empty(), List.of(new ByteRange(0, 5)), 5))
                .hasMessageContaining("within 5 bytes");
        assertThatThrownBy(() -> new MultipartByteranges(BOUNDARY, Optional.empty(), List.of(), 5)).hasMessageContaining("empty");
    }

    @Test
    void framesAMultipartDecision() {
        RangeDecision d = new RangePolicy().decide("GET", List.of("bytes=0-1,5-6"), List.of(),
                new Representation(200, 10, Optional.empty(), -1, -1));
        MultipartByteranges m = MultipartByteranges.of(d, Optional.of("text/plain"), BOUNDARY);
        assertThat(m.ranges()).containsExactly(new ByteRange(0, 1), new ByteRange(5, 6));
        assertThat(m.completeLength()).isEqualTo(10);
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
