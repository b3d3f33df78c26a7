package io.blueorigin.cdn.httpcache;

import io.blueorigin.cdn.httpcache.internal.HttpDates;
import java.util.List;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates a request's preconditions against a stored response (RFC 9110 §13.2.2), in the RFC's order:
 * {@code If-Match}, else {@code If-Unmodified-Since}; then {@code If-None-Match}, else
 * {@code If-Modified-Since} (GET and HEAD only). Used to answer a client's conditional GET from cache
 * (RFC 9111 §4.3.2) with 304 or 412 without asking upstream.
 */
public final class Conditionals {

    /** What the preconditions say. */
    public enum Outcome {
        /** No precondition applies or all passed: send the stored response. */
        PROCEED,
        /** {@code If-None-Match} matched or not modified since: 304. */
        NOT_MODIFIED,
        /** {@code If-Match} or {@code If-Unmodified-Since} failed: 412. */
        PRECONDITION_FAILED
    }

    private Conditionals() {}

    /**
     * @param request the request's fields
     * @param isGetOrHead whether the method is GET or HEAD (only then do 304s apply)
     * @param etag the stored response's entity tag, or null
     * @param lastModifiedMillis the stored response's {@code Last-Modified}, or -1
     */
    public static Outcome evaluate(FieldLookup request, boolean isGetOrHead, @Nullable EntityTag etag,
            long lastModifiedMillis) {
        List<String> ifMatch = request.values("If-Match");
        if (!ifMatch.isEmpty()) {
            List<EntityTag> tags = EntityTag.parseList(ifMatch);
            boolean matched = false;
            for (EntityTag t : tags) {
                // If-Match uses strong comparison; "*" matches any current representation.
                if (t == EntityTag.ANY || (etag != null && t.strongMatches(etag))) {
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else {
            String ius = request.first("If-Unmodified-Since");
            if (ius != null && lastModifiedMillis >= 0) {
                OptionalLong since = HttpDates.parse(ius);
                if (since.isPresent() && lastModifiedMillis > since.getAsLong()) {
                    return Outcome.PRECONDITION_FAILED;
                }
            }
        }
        List<String> ifNoneMatch = request.values("If-None-Match");
        if (!ifNoneMatch.isEmpty()) {
            for (EntityTag t : EntityTag.parseList(ifNoneMatch)) {
                // If-None-Match uses weak comparison (RFC 9110 §13.1.2).
                if (t == EntityTag.ANY || (etag != null && t.weakMatches(etag))) {
                    return isGetOrHead ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
                }
            }
            return Outcome.PROCEED;
        }
        if (isGetOrHead) {
            String ims = request.first("If-Modified-Since");
            if (ims != null && lastModifiedMillis >= 0) {
                OptionalLong since = HttpDates.parse(ims);
                // An invalid date, or one in the future, is ignored (RFC 9110 §13.1.3); the caller passes
                // only stored responses, whose Last-Modified is not after their Date.
                if (since.isPresent() && lastModifiedMillis <= since.getAsLong()) {
                    return Outcome.NOT_MODIFIED;
                }
            }
        }
        return Outcome.PROCEED;
    }
}
