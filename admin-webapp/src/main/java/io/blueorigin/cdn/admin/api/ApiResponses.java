package io.blueorigin.cdn.admin.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Writes API responses: JSON bodies, never cached, and the error body of docs/control-plane.md:
 * {@code {"error": <code>, "message": <what to do>, "requestId": <id>}}. Error messages are ours, never an
 * exception's or PostgreSQL's text (that goes to the admin's log, under the same request id).
 */
final class ApiResponses {
    /** Request and response field carrying the request id (the client's, when it sent a sane one). */
    static final String REQUEST_ID = "X-Request-ID";
    /** Longest client-sent request id reused as is. */
    private static final int MAX_REQUEST_ID = 64;

    private ApiResponses() {}

    /**
     * Gives the exchange its request id, before anything else answers: the client's {@code X-Request-ID} if it
     * is 1-64 visible ASCII characters, else a new UUID. Echoed in the response field and every error body.
     */
    static String assignRequestId(HttpServletRequest request, HttpServletResponse response) {
        String id = request.getHeader(REQUEST_ID);
        if (id == null || id.isEmpty() || id.length() > MAX_REQUEST_ID || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            id = UUID.randomUUID().toString();
        }
        response.setHeader(REQUEST_ID, id);
        return id;
    }

    /** The request id {@link #assignRequestId} gave this exchange. */
    static String requestId(HttpServletResponse response) {
        String id = response.getHeader(REQUEST_ID);
        if (id == null) {
            id = UUID.randomUUID().toString();
            response.setHeader(REQUEST_ID, id);
        }
        return id;
    }

    /**
     * Clears what a failed handler put in the response (status, fields, buffered bytes of a streamed answer),
     * keeping the request id, so an error answer can be written. The response must not be committed.
     */
    static void resetForError(HttpServletResponse response) {
        String id = requestId(response);
        response.reset();
        response.setHeader(REQUEST_ID, id);
    }

    static void json(HttpServletResponse response, int status, Object body) throws IOException {
        json(response, status, ApiJson.write(body));
    }

    /** A JSON answer already rendered (shared by several polls: LongPollApi, RoutingApi). */
    static void json(HttpServletResponse response, int status, byte[] body) throws IOException {
        startJson(response, status);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Status and fields of a JSON answer whose body the caller streams. */
    static void startJson(HttpServletResponse response, int status) {
        response.setStatus(status);
        response.setContentType("application/json; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
    }

    static void noContent(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        response.setHeader("Cache-Control", "no-store");
    }

    static void error(HttpServletResponse response, ApiException e) throws IOException {
        if (e.status() == 401) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"blue-origin\"");
        }
        if (e.status() == 503) {
            response.setHeader("Retry-After", "1");
        }
        Map<String, @Nullable Object> body = body(response, e.error(), e.getMessage());
        if (e.field() != null) {
            body.put("field", e.field());
        }
        json(response, e.status(), body);
    }

    /** 503: PostgreSQL did not answer; nothing was changed, retry after a second. */
    static void databaseUnavailable(HttpServletResponse response) throws IOException {
        response.setHeader("Retry-After", "1");
        json(response, 503, body(response, "database_unavailable",
                "the database did not answer; nothing was changed, retry (see the admin's /readyz and log)"));
    }

    /** 500: a bug; the details are in the admin's log under the request id. */
    static void internal(HttpServletResponse response) throws IOException {
        json(response, 500, body(response, "internal", "internal error: the admin's log has the details under request id "
                + requestId(response) + "; nothing may have been changed, retry once, then report it"));
    }

    static Map<String, @Nullable Object> body(HttpServletResponse response, String error, String message) {
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        body.put("requestId", requestId(response));
        return body;
    }
}
