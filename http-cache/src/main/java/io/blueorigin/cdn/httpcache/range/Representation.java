package io.blueorigin.cdn.httpcache.range;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.EntityTag;
import java.util.Optional;

/**
 * What the range decision needs to know of the response that would be sent whole: its status, its length
 * and its validators.
 *
 * @param status the status of the whole response (ranges apply to 200 only)
 * @param length the body length, or -1 when not known yet
 * @param etag the entity tag, if any
 * @param lastModifiedMillis {@code Last-Modified}, or -1
 * @param dateMillis {@code Date}, or -1
 */
public record Representation(int status, long length, Optional<EntityTag> etag, long lastModifiedMillis, long dateMillis) {

    public Representation {
        requireNonNull(etag, "etag is null");
    }

    /** A stored response whose body is {@code length} bytes long (-1: unknown, e.g. still arriving without Content-Length). */
    public static Representation of(CachedResponse response, long length) {
        return new Representation(response.status(), length, response.etag(), response.lastModifiedMillis(), response.dateMillis());
    }
}
