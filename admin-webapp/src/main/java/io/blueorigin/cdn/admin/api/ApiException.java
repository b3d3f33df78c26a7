package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

/**
 * A request the API refuses, with the status, the {@code error} code and an operator-readable message of
 * the error body {@code {"error": ..., "message": ...}}. Thrown before anything is changed.
 */
final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;

    ApiException(int status, String error, String message) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.status = status;
        this.error = requireNonNull(error, "error is null");
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

    int status() {
        return status;
    }

    String error() {
        return error;
    }
}
