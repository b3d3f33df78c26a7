package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A request the API refuses, with the status, the {@code error} code and an operator-readable message of
 * the error body {@code {"error": ..., "message": ...}}, and, for some 400s, the offending {@code field} (a JSON
 * path such as {@code origins[0].url}). Thrown before anything is changed.
 */
public final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final @Nullable String field;

    ApiException(int status, String error, String message) {
        this(status, error, message, null);
    }

    private ApiException(int status, String error, String message, @Nullable String field) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.status = status;
        this.error = requireNonNull(error, "error is null");
        this.field = field;
    }

    /** A 400 whose body also names {@code field} ({@code "field": "origins[0].url"}); the message starts with it. */
    static ApiException badField(String field, String message) {
        return new ApiException(400, "bad_request", message, requireNonNull(field, "field is null"));
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message);
    }

    static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message);
    }

    static ApiException payloadTooLarge(String message) {
        return new ApiException(413, "payload_too_large", message);
    }

    static ApiException unsupportedMediaType(String message) {
        return new ApiException(415, "unsupported_media_type", message);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    /** The offending field of a 400, when the answer names it in a {@code field} member. */
    public @Nullable String field() {
        return field;
    }

    /**
     * The field the message is about: {@link #field()}, else the name its message starts with ({@code "urls[2]:
     * ..."} is about {@code urls}, {@code "pattern: ..."} about {@code pattern}); empty when it names none. The
     * console puts the message next to that form field.
     */
    public java.util.Optional<String> fieldName() {
        String named = field != null ? field : getMessage();
        int end = 0;
        while (end < named.length() && (Character.isLetterOrDigit(named.charAt(end)) || named.charAt(end) == '_')) {
            end++;
        }
        boolean prefix = field != null || (end > 0 && end < named.length()
                && (named.charAt(end) == ':' || named.charAt(end) == '[' || named.charAt(end) == '.'));
        return prefix && end > 0 ? java.util.Optional.of(named.substring(0, end)) : java.util.Optional.empty();
    }
}
