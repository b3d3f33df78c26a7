package io.blueorigin.cdn.httpcache.range;

import io.blueorigin.cdn.httpcache.EntityTag;
import io.blueorigin.cdn.httpcache.internal.HttpDates;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code If-Range} precondition (RFC 9110 §13.1.5): send the range only if the client's copy is the
 * representation we hold, judged with strong validators only.
 *
 * <ul>
 *   <li>An entity-tag (the value starts with {@code "} or {@code W/"}): true only if it is strong and
 *       strongly matches the stored {@code ETag} (§8.8.3.2). A weak tag is never true (a client must not send
 *       one).</li>
 *   <li>An HTTP-date: true only if it equals the stored {@code Last-Modified} and that Last-Modified is a
 *       strong validator, which a cache can tell only when the stored {@code Date} is at least one second
 *       after it (§8.8.2.2). The dates are compared as instants (both are whole seconds); a client echoes
 *       the field value, so the same instant is the same value.</li>
 *   <li>Anything else, or several {@code If-Range} lines: false.</li>
 * </ul>
 *
 * False means: ignore {@code Range}, send the whole representation (§13.1.5, §13.2.2 step 5).
 */
public final class IfRange {
    private IfRange() {}

    /**
     * Whether the range condition holds.
     *
     * @param values the request's {@code If-Range} field values (one line expected)
     * @param etag the stored representation's entity tag
     * @param lastModifiedMillis its {@code Last-Modified}, or -1
     * @param dateMillis its {@code Date}, or -1
     */
    public static boolean holds(List<String> values, Optional<EntityTag> etag, long lastModifiedMillis, long dateMillis) {
        if (values.size() != 1) {
            return false;
        }
        String value = values.get(0).trim();
        if (value.startsWith("\"") || value.startsWith("W/\"")) {
            Optional<EntityTag> tag = EntityTag.parse(value);
            return tag.isPresent() && etag.isPresent() && tag.get().strongMatches(etag.get());
        }
        OptionalLong date = HttpDates.parse(value);
        return date.isPresent() && lastModifiedMillis >= 0 && date.getAsLong() == lastModifiedMillis
                && isStrongLastModified(lastModifiedMillis, dateMillis);
    }

    /** §8.8.2.2: a cache may treat Last-Modified as strong when its entry's Date is at least one second later. */
    static boolean isStrongLastModified(long lastModifiedMillis, long dateMillis) {
        return dateMillis >= 0 && dateMillis - lastModifiedMillis >= 1000;
    }
}
