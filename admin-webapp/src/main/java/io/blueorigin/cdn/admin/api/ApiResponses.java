package io.blueorigin.cdn.admin.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes API responses: JSON bodies, never cached, and the error body of docs/control-plane.md. */
final class ApiResponses {
    private ApiResponses() {}

    static void json(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = ApiJson.write(body);
        response.setStatus(status);
        response.setContentType("application/json; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
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
        json(response, e.status(), body(e.error(), e.getMessage()));
    }

    /** 503: PostgreSQL did not answer; nothing was changed, retry after a second. */
    static void databaseUnavailable(HttpServletResponse response) throws IOException {
        response.setHeader("Retry-After", "1");
        json(response, 503, body("database_unavailable",
                "the database did not answer; nothing was changed, retry (see the admin's /readyz and log)"));
    }

    /** 500: a bug; the details are in the admin's log under {@code reference}. */
    static void internal(HttpServletResponse response, String reference) throws IOException {
        json(response, 500, body("internal", "internal error " + reference + ": see the admin's log"));
    }

    private static Map<String, Object> body(String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        return body;
    }
}
