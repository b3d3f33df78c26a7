package io.blueorigin.cdn.httpcache.reply;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CachedResponse;

/** What an upstream fetch gave, as {@link ReplyPolicy#afterFetch} needs to know it (no bodies, no server types). */
public sealed interface Fetched {

    /**
     * A response arrived.
     *
     * @param response what is known of it (status, fields, freshness)
     * @param stored whether it is being stored
     * @param cacheable whether it is cacheable (stored, or would be but for its size): {@code MISS}, else {@code PASS}
     * @param reason the store decision's reason ("stored", "private", "larger than store.max-object-size", ...)
     */
    record Response(CachedResponse response, boolean stored, boolean cacheable, String reason) implements Fetched {
        public Response {
            requireNonNull(response, "response is null");
            requireNonNull(reason, "reason is null");
        }
    }

    /** The upstream answered 304 to a revalidation: {@code freshened} is the stored response, updated. */
    record Validated(CachedResponse freshened) implements Fetched {
        public Validated {
            requireNonNull(freshened, "freshened is null");
        }
    }

    /** No response. */
    record Failure(Reply.UpstreamError error) implements Fetched {
        public Failure {
            requireNonNull(error, "error is null");
        }
    }
}
