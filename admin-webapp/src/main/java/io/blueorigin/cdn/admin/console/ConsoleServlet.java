package io.blueorigin.cdn.admin.console;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.api.ApiException;
import io.blueorigin.cdn.admin.db.ConsoleSessions;
import io.blueorigin.cdn.admin.db.Database;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code /console/*} request, in this order: security headers; static files; the login page; then the
 * session (none, expired, another installation's: 303 to the login page); the CSRF token of every POST (403
 * when it does not match the session's); the route (404) and the user's role (403); the handler. Failures
 * become pages here, in one place: a refusal with the API's status and message, an unavailable database as
 * 503, anything else as 500 naming the request id under which the stack trace is logged (never the trace).
 */
final class ConsoleServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServlet.class);
    static final String SESSION_COOKIE = "bo_console";
    /** Largest form the console reads (the API's body limit): set on the admin's servlet context. */
    static final int MAX_FORM_BYTES = 1 << 20;
    /**
     * Only our own files run, no inline script or style, no framing, forms post only here. Charts read their data
     * from {@code data-} attributes, so {@code script-src 'self'} holds.
     */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final transient Database database;
    private final transient ConsoleConfig config;
    private final transient Templates templates;
    private final transient LoginPage login;
    private final transient List<ConsoleRoute> routes;

    ConsoleServlet(Database database, ConsoleConfig config, Templates templates, LoginPage login,
            List<ConsoleRoute> routes) {
        this.database = requireNonNull(database, "database is null");
        this.config = requireNonNull(config, "config is null");
        this.templates = requireNonNull(templates, "templates is null");
        this.login = requireNonNull(login, "login is null");
        this.routes = List.copyOf(routes);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("X-Frame-Options", "DENY");
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        String method = request.getMethod();
        if (path.startsWith("/static/") && (method.equals("GET") || method.equals("HEAD"))) {
            if (!Assets.serve(path.substring("/static/".length()), response)) {
                errorPage(response, 404, "Not found", "No console file " + path + ".");
            }
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        if (!formReadable(request, response)) {
            return;
        }
        try {
            if (path.equals("/login") || path.equals("/logout")) {
                login.handle(request, response, path);
                return;
            }
            Optional<ConsoleSessions.Session> session = session(request);
            if (session.isEmpty()) {
                toLogin(request, response, path);
                return;
            }
            if (method.equals("POST") && !csrfMatches(request.getParameter("csrf"), session.get().csrf())) {
                errorPage(response, 403, "Form expired", "This form's security token does not match your session"
                        + " (the page was opened before you logged in again, or the form did not come from this"
                        + " console). Nothing was changed: reload the page and submit it again.");
                return;
            }
            dispatch(request, response, method, path, session.get());
        } catch (SQLException | RuntimeException e) {
            if (response.isCommitted()) {
                LOG.warn("console {} {} failed after its answer was sent", method, path, e);
                return;
            }
            response.reset();
            if (e instanceof SQLException sql && Database.isUnavailable(sql)) {
                errorPage(response, 503, "Database unavailable", "PostgreSQL does not answer this admin node; nothing"
                        + " was changed. Retry in a moment (GET /readyz shows the database's state).");
            } else {
                String id = UUID.randomUUID().toString();
                LOG.error("console request {}: internal error in {} {}", id, method, path, e);
                errorPage(response, 500, "Internal error", "The console failed on this request; nothing was changed"
                        + " unless the page you come back to shows it. The admin's log has the details under request id "
                        + id + ".");
            }
        }
    }

    private void dispatch(HttpServletRequest request, HttpServletResponse response, String method, String path,
            ConsoleSessions.Session session) throws IOException, SQLException {
        boolean pathKnown = false;
        for (ConsoleRoute route : routes) {
            Optional<Map<String, String>> parameters = route.match(path);
            if (parameters.isEmpty()) {
                continue;
            }
            pathKnown = true;
            if (!route.method().equals(method) && !(route.method().equals("GET") && method.equals("HEAD"))) {
                continue;
            }
            if (!session.role().grants(route.scope())) {
                errorPage(response, 403, "Not allowed", "Your role is " + session.role().label() + "; this needs "
                        + route.scope().label() + ". Ask a console admin to change your role on the Users page.");
                return;
            }
            Exchange exchange = new Exchange(request, response, session, templates, parameters.get());
            try {
                route.handler().handle(exchange);
            } catch (ApiException e) {
                if (!response.isCommitted()) {
                    response.reset();
                    errorPage(response, e.status(), title(e.status()), e.getMessage());
                }
            } catch (Exchange.BadInput e) {
                if (!response.isCommitted()) {
                    response.reset();
                    errorPage(response, e.status(), title(e.status()), e.getMessage());
                }
            }
            return;
        }
        if (pathKnown) {
            errorPage(response, 405, "Method not allowed", method + " " + path + " is not something the console does.");
        } else {
            errorPage(response, 404, "Not found", "The console has no page " + path + ".");
        }
    }

    /**
     * Reads the query and form once, up front, so that no later {@code getParameter} can fail: a form larger than
     * the context allows ({@link #MAX_FORM_BYTES}) is a 413 page, a malformed one (bad %-encoding) a 400 page.
     */
    private boolean formReadable(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            request.getParameterMap();
            return true;
        } catch (RuntimeException e) {
            int code = e instanceof org.eclipse.jetty.http.HttpException http ? http.getCode() : 400;
            boolean tooLarge = code == 413 || request.getContentLengthLong() > MAX_FORM_BYTES;
            LOG.debug("console {} {}: unreadable form", request.getMethod(), request.getRequestURI(), e);
            errorPage(response, tooLarge ? 413 : 400, tooLarge ? "Form too large" : "Bad request", tooLarge
                    ? "The form is larger than " + MAX_FORM_BYTES / 1024 + " KiB: split it (a purge takes at most 1000 URLs)."
                    : "The form or query could not be read (malformed encoding). Nothing was changed.");
            return false;
        }
    }

    private Optional<ConsoleSessions.Session> session(HttpServletRequest request) throws SQLException {
        Optional<String> secret = cookie(request, SESSION_COOKIE);
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        return database.inTransaction(connection -> ConsoleSessions.find(connection, secret.get(), config.sessionIdle(),
                config.sessionLifetime()));
    }

    /** 303 to the login page, coming back to {@code path} afterwards when it was a page (a GET). */
    private static void toLogin(HttpServletRequest request, HttpServletResponse response, String path) {
        String next = request.getMethod().equals("GET") ? "?next=" + URLEncoder.encode(path, StandardCharsets.UTF_8) : "";
        response.setStatus(303);
        response.setHeader("Location", "/console/login" + next);
    }

    static Optional<String> cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (cookie.getName().equals(name) && cookie.getValue() != null && !cookie.getValue().isEmpty()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    /** Constant-time comparison of a form's token with the session's. */
    static boolean csrfMatches(@Nullable String given, String expected) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    /** The client's address as the audit records it (the socket's; admin is not behind a proxy by default). */
    static String client(HttpServletRequest request) {
        return request.getRemoteAddr();
    }

    private void errorPage(HttpServletResponse response, int status, String title, String message) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        Page page = new Page(title, "error").add(new Block.Text(message, "alert"))
                .add(new Block.Links(List.of(new Cell.Link("Back to the overview", "/console/"))));
        templates.render(page, response);
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            case 503 -> "Unavailable";
            default -> "Refused";
        };
    }
}
