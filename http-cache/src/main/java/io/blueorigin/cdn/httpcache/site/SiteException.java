package io.blueorigin.cdn.httpcache.site;

import static java.util.Objects.requireNonNull;

/**
 * A site definition that cannot be accepted: names the field (a JSON path such as {@code origins[0].url}) and
 * says what was expected. Admin turns it into a 400 with this message; a node's YAML loader into a start-up
 * error.
 */
public class SiteException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public SiteException(String field, String message) {
        super(requireNonNull(field, "field is null") + ": " + requireNonNull(message, "message is null"));
        this.field = field;
    }

    /** The offending field, as a JSON path ({@code hosts[2]}, {@code caching.query.mode}). */
    public String field() {
        return field;
    }
}
