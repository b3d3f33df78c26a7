package io.blueorigin.cdn.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.Field;
import io.blueorigin.cdn.httpcache.reply.Reply;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpGenerator;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.internal.ResponseHttpFields;
import org.eclipse.jetty.util.BufferUtil;
import org.junit.jupiter.api.Test;

/**
 * The head of a hit as it goes on the wire ({@link Delivery#head} into Jetty's own response fields, which hold the
 * server's persistent {@code Date}), byte for byte, and what replacing that {@code Date} leaves behind.
 */
class DeliveryHeadTest {
    private static final String SERVER_DATE = "Fri, 04 Dec 2026 16:00:00 GMT";
    private static final String STORED_DATE = "Fri, 04 Dec 2026 15:59:59 GMT";
    private static final List<Field> STORED = List.of(
            new Field("Date", STORED_DATE),
            new Field("Server", "bench-origin/1"),
            new Field("Content-Type", "application/octet-stream"),
            new Field("Cache-Control", "public, max-age=300"),
            new Field("ETag", "\"a5fbf443b4b5884e0f5b\""),
            new Field("Last-Modified", "Fri, 04 Dec 2026 15:55:09 GMT"));

    private static PreparedResponse prepared() {
        CachedResponse r = new CachedResponse(200, STORED, 0, 0, 0, 300_000, 0, 0, false, false, false, Optional.empty(),
                -1, -1, List.of(), "", List.of(), 1024);
        return PreparedResponse.of(r, STORED, 1024, "1.1 edge-bench", Set.of(), false);
    }

    /** Response fields as Jetty hands them to a handler: the server's Date, persistent. */
    private static ResponseHttpFields jettyFields() {
        ResponseHttpFields h = new ResponseHttpFields();
        h.add(new ResponseHttpFields.PersistentPreEncodedHttpField(HttpHeader.DATE, SERVER_DATE));
        return h;
    }

    private static HttpFields.Mutable hitHead(HttpFields.Mutable h, PreparedResponse p) {
        Delivery.head(h, p, p.fields, new HttpField[] {ResponseFields.age(1), XCache.of(Reply.Served.HIT).field(),
            p.hitStatus("edge-bench", 299), new HttpField(RequestIds.HEADER, "f97552bb78ab769c")});
        h.add(p.contentLength);
        return h;
    }

    private static String encoded(HttpFields fields) throws Exception {
        HttpGenerator generator = new HttpGenerator();
        ByteBuffer header = BufferUtil.allocate(4096);
        generator.generateResponse(new MetaData.Response(200, null, HttpVersion.HTTP_1_1, fields, 1024), false, header,
                null, null, false);
        return BufferUtil.toString(header, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aHitsHeadIsTheStoredDateThenThePreparedFieldsViaAndThePerRequestOnes() throws Exception {
        PreparedResponse p = prepared();
        String firstHit = encoded(hitHead(jettyFields(), p)); // its Cache-Status a plain field
        String secondHit = encoded(hitHead(jettyFields(), p)); // the same, pre-encoded
        assertThat(secondHit).isEqualTo(firstHit);
        assertThat(firstHit).isEqualTo("HTTP/1.1 200 OK\r\n"
                + "Date: " + STORED_DATE + "\r\n"
                + "Server: bench-origin/1\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "Cache-Control: public, max-age=300\r\n"
                + "ETag: \"a5fbf443b4b5884e0f5b\"\r\n"
                + "Last-Modified: Fri, 04 Dec 2026 15:55:09 GMT\r\n"
                + "Accept-Ranges: bytes\r\n"
                + "Via: 1.1 edge-bench\r\n"
                + "Age: 1\r\n"
                + "X-Cache: HIT\r\n"
                + "Cache-Status: edge-bench; hit; ttl=299\r\n"
                + "X-Request-ID: f97552bb78ab769c\r\n"
                + "Content-Length: 1024\r\n"
                + "\r\n");
    }

    @Test
    void theStoredDateReplacesTheServersForThisResponseOnly() {
        ResponseHttpFields h = jettyFields();
        hitHead(h, prepared());
        assertThat(h.getValuesList(HttpHeader.DATE)).containsExactly(STORED_DATE);
        h.clear(); // what Jetty does to a response it resets: its persistent fields come back as they were
        assertThat(h.getValuesList(HttpHeader.DATE)).containsExactly(SERVER_DATE);
    }

    @Test
    void theStoredDateIsNotPreEncoded() {
        // Jetty makes the field that replaces its persistent Date persistent too; from a pre-encoded one it builds a new
        // pre-encoded field, encoding the value for HTTP/1.1, HPACK and QPACK again on every hit (issue 16)
        assertThat(prepared().date).isNotInstanceOf(PreEncodedHttpField.class);
        assertThat(prepared().date.getValue()).isEqualTo(STORED_DATE);
    }
}
