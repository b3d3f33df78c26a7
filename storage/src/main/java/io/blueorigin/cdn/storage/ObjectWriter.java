package io.blueorigin.cdn.storage;

import io.blueorigin.cdn.httpcache.CachedResponse;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Writes one new variant into a {@link CacheStore}. The object is invisible to lookups until
 * {@link #commit}, which publishes it atomically; {@link #abort} discards it. Meanwhile
 * {@link #body()} can be read by any number of readers (read-while-writer). Exactly one of commit or
 * abort must be called; either may be called only once. Single writer thread at a time.
 */
public interface ObjectWriter {

    /** The body as written so far, readable while it grows. */
    GrowingBody body();

    /** Appends bytes (copied). */
    void write(ByteBuffer data);

    /**
     * Completes the body and publishes the object with its final metadata.
     *
     * @return the stored object, or empty when the store declined it (too large, store closed)
     */
    Optional<StoredObject> commit(CachedResponse response);

    /** Discards the object; readers of {@link #body()} see {@code cause}. */
    void abort(Throwable cause);

    /**
     * Stops storing (the object turned out larger than the store takes) but keeps the body flowing to its
     * readers, now in pass-through mode; neither commit nor abort follows.
     */
    void abandon();
}
