package io.blueorigin.cdn.proxy;

import io.blueorigin.cdn.httpcache.reply.Reply;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * The {@code X-Cache} values, one per response, describing what this tier did (each tier replaces the
 * value it received; {@code Cache-Status} keeps every tier's story). Documented in docs/x-cache.md.
 */
enum XCache {
    /** Served from cache without going upstream (including a 304 to a client's conditional request). */
    HIT,
    /** Fetched from upstream; cacheable (stored, unless too large). */
    MISS,
    /** Served stale from cache: stale-while-revalidate, client max-stale, or stale-if-error. */
    STALE,
    /** Stored response validated upstream (304) and served. */
    REVALIDATED,
    /** Not cacheable (method, or the response forbade storing): passed through. */
    PASS;

    static {
        // one value per http-cache Served value, in the same order (XCache.of relies on it)
        for (Reply.Served s : Reply.Served.values()) {
            if (!values()[s.ordinal()].name().equals(s.name())) {
                throw new ExceptionInInitializerError("XCache and Reply.Served differ at " + s);
            }
        }
    }

    /** The value for what http-cache's reply decision says this tier did. */
    static XCache of(Reply.Served served) {
        return VALUES[served.ordinal()];
    }

    private static final XCache[] VALUES = values();

    /** Header name. */
    static final String HEADER = "X-Cache";

    private final HttpField field = new PreEncodedHttpField(HEADER, name());

    /** The pre-encoded {@code X-Cache} field for this value. */
    HttpField field() {
        return field;
    }
}
