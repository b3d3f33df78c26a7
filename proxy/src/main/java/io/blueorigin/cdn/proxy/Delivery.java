package io.blueorigin.cdn.proxy;

import io.blueorigin.cdn.storage.Body;
import io.blueorigin.cdn.storage.BodyReader;
import io.blueorigin.cdn.storage.ChunkedBody;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.jspecify.annotations.Nullable;

/**
 * Writes a response from the cache to the client: the prepared header section, the per-request fields,
 * and the body read chunk by chunk from the store (or from a body still arriving), each write waiting for
 * the previous one (backpressure from the client). A small complete object goes out in one write with
 * {@code last=true}, headers and body together.
 *
 * <p>Contract: every method here completes {@code callback} exactly once: succeeded when the response is
 * written, failed when the client went away or the body failed (Jetty then aborts the connection, so a
 * truncated body is never taken for a whole one).
 */
final class Delivery {
    private Delivery() {}

    /**
     * Sends {@code prepared} with {@code body} (null: no body, as for HEAD).
     *
     * @param extra per-request fields (Age, X-Cache, Cache-Status, X-Request-ID), added after the prepared ones
     */
    static void send(Response response, Callback callback, PreparedResponse prepared, @Nullable Body body,
            boolean headOnly, HttpField... extra) {
        HttpFields.Mutable h = head(response, prepared.status, prepared, prepared.fields, extra);
        if (prepared.contentLength != null) {
            h.add(prepared.contentLength);
        } else if (body != null && body.length() >= 0 && isBodyAllowed(prepared.status)) {
            h.add(HttpHeader.CONTENT_LENGTH, body.length());
        }
        if (headOnly || body == null || !isBodyAllowed(prepared.status)) {
            response.write(true, BufferUtil.EMPTY_BUFFER, callback);
            return;
        }
        if (body instanceof ChunkedBody chunked && chunked.chunkCount() <= 1) {
            // the common small hit: headers and body in one write, no reader, no iteration
            response.write(true, chunked.chunkCount() == 0 ? BufferUtil.EMPTY_BUFFER : chunked.chunk(0), callback);
            return;
        }
        new BodyWriter(response, body.reader(), callback).iterate();
    }

    /**
     * A 206: part of the representation {@code prepared} describes, as {@code part} (a slice, or a
     * {@code multipart/byteranges} payload of known length) with the field that says which part.
     *
     * @param partField {@code Content-Range} (one range), or the {@code multipart/byteranges} {@code Content-Type}
     *     that replaces the representation's (RFC 9110 §14.6)
     */
    static void sendPartial(Response response, Callback callback, PreparedResponse prepared, Body part, HttpField partField,
            HttpField... extra) {
        HttpFields.Mutable h = head(response, 206, prepared, prepared.fields, extra);
        h.put(partField);
        h.add(HttpHeader.CONTENT_LENGTH, part.length());
        new BodyWriter(response, part.reader(), callback).iterate();
    }

    /** A 304 from the cache: the stored fields but representation metadata (RFC 9110 §15.4.5), no body. */
    static void sendNotModified(Response response, Callback callback, PreparedResponse prepared, HttpField... extra) {
        head(response, 304, prepared, prepared.notModifiedFields, extra);
        response.write(true, BufferUtil.EMPTY_BUFFER, callback);
    }

    /** Status, the stored Date (replacing the server's), the prepared fields, Via, then the per-request ones. */
    private static HttpFields.Mutable head(Response response, int status, PreparedResponse prepared, HttpField[] fields,
            HttpField[] extra) {
        response.setStatus(status);
        return head(response.getHeaders(), prepared, fields, extra);
    }

    /**
     * The header section of a response from the cache, into a response's fields (which Jetty gave its own {@code Date}):
     * the stored Date in its place, the prepared fields, Via, then the per-request ones. Package-private for the
     * benchmark of the hit path's head (bench: HitHeadersBenchmark).
     */
    static HttpFields.Mutable head(HttpFields.Mutable h, PreparedResponse prepared, HttpField[] fields, HttpField[] extra) {
        if (prepared.date != null) {
            h.put(prepared.date);
        }
        for (HttpField f : fields) {
            h.add(f);
        }
        h.add(prepared.via);
        // the prepared fields never hold these, so add (no scan for a field to replace)
        for (HttpField f : extra) {
            h.add(f);
        }
        return h;
    }

    /** A short plain-text answer of this node's own (errors, 412, 504 only-if-cached). */
    static void sendText(Response response, Callback callback, int status, String text, HttpField... extra) {
        response.setStatus(status);
        HttpFields.Mutable h = response.getHeaders();
        h.put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
        for (HttpField f : extra) {
            h.put(f);
        }
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        h.put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private static boolean isBodyAllowed(int status) {
        return status >= 200 && status != 204 && status != 304;
    }

    /** Streams a body reader into the response, one write at a time. */
    private static final class BodyWriter extends IteratingCallback {
        private final Response response;
        private final BodyReader reader;
        private final Callback callback;
        private boolean lastWritten;

        BodyWriter(Response response, BodyReader reader, Callback callback) {
            this.response = response;
            this.reader = reader;
            this.callback = callback;
        }

        @Override
        protected Action process() {
            if (lastWritten) {
                return Action.SUCCEEDED;
            }
            ByteBuffer buffer = reader.next();
            if (buffer != null) {
                lastWritten = reader.isFinished();
                response.write(lastWritten, buffer, this);
                return Action.SCHEDULED;
            }
            if (reader.isFinished()) {
                lastWritten = true;
                response.write(true, BufferUtil.EMPTY_BUFFER, this);
                return Action.SCHEDULED;
            }
            Throwable failure = reader.failure();
            if (failure != null) {
                throw new IllegalStateException("upstream body failed: " + failure, failure);
            }
            reader.demand(this::iterate);
            return Action.IDLE;
        }

        @Override
        protected void onCompleteSuccess() {
            reader.close();
            callback.succeeded();
        }

        /**
         * Before the first byte went out the client can still get a proper answer: a 502 saying why, not
         * Jetty's generic 500 page. After it, the connection is aborted (the callback fails), so a
         * truncated body is never mistaken for a whole one.
         */
        @Override
        protected void onCompleteFailure(Throwable cause) {
            reader.close();
            if (!response.isCommitted()) {
                response.reset();
                Throwable root = cause.getCause() == null ? cause : cause.getCause();
                sendText(response, callback, 502, "502 Bad Gateway: the upstream response failed before any of its body "
                        + "arrived (" + root + ")", new HttpField(Fetcher.ERROR_HEADER, "upstream-failed"));
                return;
            }
            callback.failed(cause);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }
}
