package io.blueorigin.cdn.proxy;

import io.blueorigin.cdn.httpcache.CacheStatus;
import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.jspecify.annotations.Nullable;

/**
 * A stored response's header section, prepared once for the wire: every field this node sends as stored,
 * pre-encoded (Jetty copies the bytes, it does not re-encode), plus this node's {@code Via}. Kept on the
 * stored object, so a hit adds only the per-request fields ({@code Age}, {@code X-Cache},
 * {@code Cache-Status}, {@code X-Request-ID}). Immutable.
 *
 * <p>Left out of the prepared fields because they are per request or recomputed: {@code Date} (kept
 * separately, sent as stored), {@code Content-Length} (from the body), {@code Via} (ours appended),
 * {@code X-Cache}, {@code X-Request-ID}. At a client-facing node, CDN-only fields (targeted
 * cache-control fields, {@code Surrogate-Key}, {@code Surrogate-Control}) are left out too.
 */
final class PreparedResponse {
    /** Fields never copied from the stored response as they are. */
    private static final Set<String> RECOMPUTED = Set.of("date", "content-length", "via", "x-cache", "x-request-id", "age",
            "cache-status", "accept-ranges");
    /** Sent with a 200 of known length: this node answers ranges of it (RFC 9110 §14.3), whatever upstream said. */
    private static final HttpField ACCEPT_RANGES = new PreEncodedHttpField(HttpHeader.ACCEPT_RANGES, "bytes");
    private static final HttpField VARY_ACCEPT_ENCODING = new PreEncodedHttpField(HttpHeader.VARY, "Accept-Encoding");
    /**
     * Representation metadata a 304 leaves out (RFC 9110 §15.4.5: a sender SHOULD NOT generate it); every
     * other stored field is sent, so a downstream cache freshening its copy also gets updated fields.
     */
    private static final Set<String> NOT_IN_304 = Set.of("content-type", "content-encoding", "content-language",
            "content-length", "content-range", "transfer-encoding");

    final int status;
    final HttpField[] fields;
    final HttpField[] notModifiedFields;
    final @Nullable HttpField date;
    final HttpField via;
    final @Nullable HttpField contentLength;
    final long length;
    /** The upstream tiers' Cache-Status members, as stored ("" when none). */
    final String upstreamCacheStatus;
    /** One-slot memo of the last hit Cache-Status field: hits within the same second share it. */
    private volatile @Nullable HitStatus lastHit;

    private record HitStatus(long ttlSeconds, HttpField field) {}

    private PreparedResponse(int status, HttpField[] fields, HttpField[] notModifiedFields, @Nullable HttpField date,
            HttpField via, long length, String upstreamCacheStatus) {
        this.upstreamCacheStatus = upstreamCacheStatus;
        this.status = status;
        this.fields = fields;
        this.notModifiedFields = notModifiedFields;
        this.date = date;
        this.via = via;
        this.length = length;
        this.contentLength = length >= 0 ? new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, Long.toString(length)) : null;
    }

    /**
     * @param response the stored response
     * @param fieldsToSend its fields as this node sends them (the stored fields, or the upstream's for a
     *     response not stored)
     * @param length body length, or -1 when unknown (chunked)
     * @param viaSelf this node's {@code Via} member, e.g. {@code 1.1 edge-nyc}
     * @param dropped lower-case names never sent by this node (CDN-only fields at an edge)
     * @param varyOnCoding add {@code Vary: Accept-Encoding}: an identity response an edge would compress (decided once
     *     per response, not per hit)
     */
    static PreparedResponse of(CachedResponse response, List<Field> fieldsToSend, long length, String viaSelf,
            Set<String> dropped, boolean varyOnCoding) {
        List<HttpField> out = new ArrayList<>(fieldsToSend.size());
        List<HttpField> notModified = new ArrayList<>();
        HttpField date = null;
        StringBuilder via = new StringBuilder();
        StringBuilder cacheStatus = new StringBuilder();
        for (Field f : fieldsToSend) {
            String lower = f.name().toLowerCase(Locale.ROOT);
            if (dropped.contains(lower)) {
                continue;
            }
            if (lower.equals("date")) {
                if (date == null) {
                    // Deliberately not pre-encoded: it replaces the server's Date, which Jetty keeps persistent
                    // across requests, and Jetty makes the replacement persistent too; a pre-encoded one it
                    // re-encodes for HTTP/1.1, HPACK and QPACK on every hit (an EnumMap and its buffers: 352 of the
                    // 560 bytes HitHeadersBenchmark.hitHead allocated), a plain one it wraps in one small object and
                    // the generator encodes once, into the output.
                    date = new HttpField(HttpHeader.DATE, f.value());
                }
                continue;
            }
            if (lower.equals("via")) {
                via.append(via.length() == 0 ? "" : ", ").append(f.value());
                continue;
            }
            if (lower.equals("cache-status")) {
                cacheStatus.append(cacheStatus.length() == 0 ? "" : ", ").append(f.value());
                continue;
            }
            if (RECOMPUTED.contains(lower)) {
                continue;
            }
            HttpField field = new PreEncodedHttpField(f.name(), f.value());
            out.add(field);
            if (!NOT_IN_304.contains(lower)) {
                notModified.add(field);
            }
        }
        if (response.status() == 200 && length >= 0) {
            out.add(ACCEPT_RANGES);
        }
        if (varyOnCoding) {
            out.add(VARY_ACCEPT_ENCODING);
            notModified.add(VARY_ACCEPT_ENCODING);
        }
        via.append(via.length() == 0 ? "" : ", ").append(viaSelf);
        return new PreparedResponse(response.status(), out.toArray(new HttpField[0]), notModified.toArray(new HttpField[0]),
                date, new PreEncodedHttpField(HttpHeader.VIA, via.toString()), length, cacheStatus.toString());
    }

    /**
     * The Cache-Status field of a fresh hit at this node: the upstream members, then ours. Its value changes every
     * second; the one-slot memo shares it between the hits of one second. It is pre-encoded only once a second hit
     * reuses it: pre-encoding (for HTTP/1.1, HPACK and QPACK) costs more than Jetty's generator encoding it once, so an
     * object hit less than once a second (most of a Zipf tail) gets a plain field (HitHeadersBenchmark.hitStatusFormatted).
     */
    HttpField hitStatus(String nodeName, long ttlSeconds) {
        HitStatus memo = lastHit;
        if (memo != null && memo.ttlSeconds == ttlSeconds) {
            if (memo.field instanceof PreEncodedHttpField) {
                return memo.field;
            }
            HttpField encoded = new PreEncodedHttpField(CACHE_STATUS, memo.field.getValue());
            lastHit = new HitStatus(ttlSeconds, encoded);
            return encoded;
        }
        HttpField field = new HttpField(CACHE_STATUS,
                CacheStatus.of(nodeName).hit().ttl(ttlSeconds).appendTo(upstreamCacheStatus));
        lastHit = new HitStatus(ttlSeconds, field);
        return field;
    }

    /** Any other Cache-Status of this node for this response: the upstream members, then {@code member}. */
    HttpField cacheStatus(CacheStatus member) {
        return new HttpField(CACHE_STATUS, member.appendTo(upstreamCacheStatus));
    }

    static final String CACHE_STATUS = "Cache-Status";
}
