package io.blueorigin.cdn.storage;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CachedResponse;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One stored variant: what {@code http-cache} knows of the response, and its body. Immutable, except for
 * one lazily set slot where the proxy keeps the response's header section prepared for the wire (computed
 * once per object, reused by every hit).
 */
public final class StoredObject {
    private final CachedResponse response;
    private final Body body;
    private final long storedAtMillis;
    /** Set at most once per distinct value; racing writers compute equal values, so last-wins is fine. */
    private volatile @Nullable Object prepared;

    public StoredObject(CachedResponse response, Body body, long storedAtMillis) {
        this.response = requireNonNull(response, "response is null");
        this.body = requireNonNull(body, "body is null");
        this.storedAtMillis = storedAtMillis;
    }

    public CachedResponse response() {
        return response;
    }

    public Body body() {
        return body;
    }

    /** When it was stored (for bans: an object stored after a ban is not affected by it). */
    public long storedAtMillis() {
        return storedAtMillis;
    }

    /** A copy with new metadata and the same body (after a 304 freshened it). */
    public StoredObject withResponse(CachedResponse freshened) {
        return new StoredObject(freshened, body, storedAtMillis);
    }

    /**
     * The value {@code prepare} computes from this object, computed on first use and kept. Meant for one
     * kind of derived value (the proxy's wire-ready header fields).
     */
    @SuppressWarnings("unchecked")
    public <T> T prepared(Function<StoredObject, T> prepare) {
        Object p = prepared;
        if (p == null) {
            p = prepare.apply(this);
            prepared = p;
        }
        return (T) p;
    }

    /** Bytes this object holds in memory: body plus an estimate of its metadata. */
    public long weight() {
        long fields = 0;
        for (var f : response.fields()) {
            fields += 48 + 2L * (f.name().length() + f.value().length());
        }
        return (body instanceof ChunkedBody cb ? cb.weight() : 0) + 256 + fields;
    }
}
