package io.blueorigin.cdn.proxy;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.storage.GrowingBody;
import io.blueorigin.cdn.storage.StoredObject;

/** What an upstream fetch produced, as its subscribers see it once the response headers (or a failure) arrived. */
sealed interface FetchOutcome {

    /**
     * A response with a body arriving in {@code body}.
     *
     * @param response what this node knows of it (status, fields, freshness)
     * @param prepared its header section, ready for the wire
     * @param body the body, readable while it arrives
     * @param stored whether it is being stored
     * @param cacheable whether it is cacheable: stored, or would be but for its size ({@code X-Cache: MISS}, else PASS)
     * @param reason the store decision's reason ("stored", "private", ...)
     */
    record Fresh(CachedResponse response, PreparedResponse prepared, GrowingBody body, boolean stored,
            boolean cacheable, String reason)
            implements FetchOutcome {}

    /** The upstream answered 304 to a revalidation: {@code object} is the stored response, freshened. */
    record Validated(StoredObject object) implements FetchOutcome {}

    /** No response: connect failure, reset or timeout before the headers. */
    record Failed(Throwable cause) implements FetchOutcome {}
}
