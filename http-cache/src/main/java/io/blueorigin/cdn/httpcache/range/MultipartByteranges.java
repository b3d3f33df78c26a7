package io.blueorigin.cdn.httpcache.range;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The framing of a {@code multipart/byteranges} payload (RFC 9110 §14.6, RFC 2046 §5.1.1): every part's
 * header bytes and the exact total length, known before any body byte is written, so the 206 carries a
 * {@code Content-Length}.
 *
 * <h2>Byte layout</h2>
 * <pre>
 * part 0 head : "--" boundary CRLF [ "Content-Type: " type CRLF ] "Content-Range: bytes f-l/len" CRLF CRLF
 * part 0 body : the bytes f..l of the representation
 * part i head : CRLF "--" boundary CRLF [ "Content-Type: " ... ] "Content-Range: ..." CRLF CRLF   (i &gt; 0)
 * part i body
 * closing     : CRLF "--" boundary "--" CRLF
 * </pre>
 * The CRLF before each later boundary belongs to the delimiter (RFC 2046: {@code delimiter := CRLF
 * dash-boundary}), so a part's body is exactly its range. There is no preamble and no epilogue.
 * Each part carries the {@code Content-Type} the whole response would have had (§14.6), when it had one.
 * Header bytes are ISO-8859-1, as field values are on the wire.
 *
 * <p>Invariant: {@link #contentLength()} is the sum of every head, every range's length and the closing.
 *
 * @param boundary the boundary, from {@link #newBoundary}: a fresh one per response
 * @param contentType the whole response's {@code Content-Type}, if any (dropped when it holds a control character)
 * @param ranges the parts, in the order to send them (two or more, from {@link RangeDecision#ranges()})
 * @param completeLength the representation's length
 */
public record MultipartByteranges(String boundary, Optional<String> contentType, List<ByteRange> ranges, long completeLength) {
    /** Characters of generated boundaries: RFC 2046 {@code bcharsnospace} letters and digits only, safe in any field. */
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** Length of generated boundaries: 24 characters of 62, about 143 bits, never found in a body by chance. */
    public static final int BOUNDARY_LENGTH = 24;

    public MultipartByteranges {
        requireNonNull(boundary, "boundary is null");
        requireNonNull(contentType, "contentType is null");
        ranges = List.copyOf(ranges);
        if (boundary.length() < 16 || boundary.length() > 70 || !boundary.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
            throw new IllegalArgumentException("boundary : " + boundary + " (expected: 16 to 70 letters and digits)");
        }
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("ranges : empty (expected: at least one)");
        }
        for (ByteRange r : ranges) {
            if (r.last() >= completeLength) {
                throw new IllegalArgumentException("range : " + r + " (expected: within " + completeLength + " bytes)");
            }
        }
        contentType = contentType.filter(MultipartByteranges::isFieldValue);
    }

    /** The framing for a {@link RangeDecision.Action#MULTIPART} decision. */
    public static MultipartByteranges of(RangeDecision decision, Optional<String> contentType, String boundary) {
        return new MultipartByteranges(boundary, contentType, decision.ranges(), decision.completeLength());
    }

    /** A fresh random boundary of {@link #BOUNDARY_LENGTH} letters and digits. */
    public static String newBoundary(RandomGenerator random) {
        StringBuilder b = new StringBuilder(BOUNDARY_LENGTH);
        for (int i = 0; i < BOUNDARY_LENGTH; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** The 206's {@code Content-Type} field value. */
    public String contentTypeField() {
        return "multipart/byteranges; boundary=" + boundary;
    }

    public int partCount() {
        return ranges.size();
    }

    /** The bytes before part {@code index}'s body: delimiter line and part fields (see the layout). */
    public byte[] partHead(int index) {
        ByteRange r = ranges.get(index);
        StringBuilder b = new StringBuilder(96 + boundary.length());
        if (index > 0) {
            b.append("\r\n");
        }
        b.append("--").append(boundary).append("\r\n");
        contentType.ifPresent(t -> b.append("Content-Type: ").append(t).append("\r\n"));
        b.append("Content-Range: ").append(r.contentRange(completeLength)).append("\r\n\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The bytes after the last part: the close delimiter. */
    public byte[] closing() {
        return ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The exact payload length: every head, every part and the closing. */
    public long contentLength() {
        long total = closing().length;
        for (int i = 0; i < ranges.size(); i++) {
            total += partHead(i).length + ranges.get(i).length();
        }
        return total;
    }

    /** A value that can go in a field line: visible ISO-8859-1 characters, spaces and tabs, no CR, LF or NUL. */
    private static boolean isFieldValue(String value) {
        return value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c != 0x7f && c <= 0xff));
    }
}
