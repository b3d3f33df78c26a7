package io.blueorigin.cdn.admin.report;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A request the report classes refuse: a bad parameter or filter (then {@link #field()} names it, so a form can show
 * the message next to that field), or a report PostgreSQL refused or cancelled. The message says what to change; it
 * is meant for the operator as it is (a 400 in an API, an error on a page).
 */
public final class ReportException extends Exception {
    private static final long serialVersionUID = 1L;
    private final @Nullable String field;

    /** @param field the parameter or filter at fault; null when the request as a whole is */
    public ReportException(@Nullable String field, String message) {
        super(message);
        this.field = field;
    }

    /** The parameter or filter at fault, if one is. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
