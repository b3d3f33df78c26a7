package io.blueorigin.cdn.admin.console;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.ApiToken;
import io.blueorigin.cdn.admin.db.ConsoleSessions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One console request as a page handler sees it: who is logged in, the form or query parameters (read and
 * bounded before any handler runs: {@link ConsoleServlet#MAX_FORM_BYTES}), the path's parameters, and ways to
 * answer (a page, a redirect, CSV).
 */
final class Exchange {
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final ConsoleSessions.Session session;
    private final Templates templates;
    private final Map<String, String> pathParameters;

    Exchange(HttpServletRequest request, HttpServletResponse response, ConsoleSessions.Session session,
            Templates templates, Map<String, String> pathParameters) {
        this.request = requireNonNull(request, "request is null");
        this.response = requireNonNull(response, "response is null");
        this.session = requireNonNull(session, "session is null");
        this.templates = requireNonNull(templates, "templates is null");
        this.pathParameters = Map.copyOf(pathParameters);
    }

    ConsoleSessions.Session session() {
        return session;
    }

    /** The token the user acts through (what the log records as who did it). */
    ApiToken actor() {
        return session.token();
    }

    String client() {
        return ConsoleServlet.client(request);
    }

    /** A form or query parameter, trimmed; empty when absent or blank. */
    Optional<String> parameter(String name) {
        String value = request.getParameter(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    String parameterOrEmpty(String name) {
        return parameter(name).orElse("");
    }

    boolean checkbox(String name) {
        String value = request.getParameter(name);
        return value != null && !value.isEmpty();
    }

    String path(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalStateException("the route has no parameter " + name);
        }
        return value;
    }

    /** Renders {@code page} with status {@code status}. */
    void render(int status, Page page) throws IOException {
        response.setStatus(status);
        templates.render(page.viewer(session.username(), session.role().label(), session.csrf()), response);
    }

    void render(Page page) throws IOException {
        render(200, page);
    }

    /** 303 to {@code path} (below /console/), with an optional notice shown there once (in the query). */
    void redirect(String path, @Nullable String notice) {
        String location = "/console/" + path;
        if (notice != null) {
            location += (location.contains("?") ? "&" : "?") + "notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8);
        }
        response.setStatus(303);
        response.setHeader("Location", location);
    }

    /** The notice a redirect carried, if any (shown as text, never as markup; cut to 300 characters). */
    @Nullable String notice() {
        String notice = request.getParameter("notice");
        if (notice == null || notice.isBlank()) {
            return null;
        }
        return notice.length() > 300 ? notice.substring(0, 300) : notice;
    }

    /** Starts a CSV download called {@code filename}; the caller writes the rows. */
    Writer csv(String filename) throws IOException {
        response.setStatus(200);
        response.setContentType("text/csv; charset=utf-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        return response.getWriter();
    }

    HttpServletRequest request() {
        return request;
    }

    HttpServletResponse response() {
        return response;
    }

    /** A parameter the page refuses before anything is done: a 400 page naming it (404: what it names is not there). */
    static final class BadInput extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        BadInput(String message) {
            this(400, message);
        }

        BadInput(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
