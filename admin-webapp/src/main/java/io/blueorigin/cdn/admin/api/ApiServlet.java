package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.ApiToken;
import io.blueorigin.cdn.admin.db.Database;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code /api/*} request after {@link AuthFilter}: route ({@link Router}: 404, 405 with {@code Allow}),
 * scope check (403), then the route's handler. Failures become the documented error body here, in one
 * place: {@link ApiException} as it says, a database that does not answer as 503
 * {@code database_unavailable} with {@code Retry-After: 1}, anything else as 500 {@code internal} with the
 * request id under which the stack trace is logged.
 */
final class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);

    private final transient Router router;

    ApiServlet(Router router) {
        this.router = requireNonNull(router, "router is null");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        String path = request.getRequestURI();
        try {
            Object token = request.getAttribute(AuthFilter.TOKEN);
            if (!(token instanceof ApiToken caller)) {
                throw new IllegalStateException("no authenticated token: is AuthFilter mapped to /api/*?");
            }
            Router.Match match = router.match(method, path);
            if (match instanceof Router.NotFound) {
                throw ApiException.notFound("no endpoint " + method + " " + path + " (see docs/control-plane.md)");
            }
            if (match instanceof Router.MethodNotAllowed notAllowed) {
                response.setHeader("Allow", String.join(", ", notAllowed.allowed()));
                throw new ApiException(405, "method_not_allowed", method + " " + path + ": allowed "
                        + String.join(", ", notAllowed.allowed()));
            }
            Router.Found found = (Router.Found) match;
            Route route = found.route();
            Optional<String> refusal = Access.refusal(route, caller, found.parameters());
            if (refusal.isPresent()) {
                throw ApiException.forbidden(refusal.get());
            }
            if (!route.method().equals("GET") && request.getQueryString() != null) {
                throw ApiException.badRequest("query: " + route.method() + " " + route.pattern()
                        + " takes no query parameters (got '" + request.getQueryString() + "')");
            }
            route.handler().handle(new ApiCall(request, response, caller, found.parameters()));
        } catch (ApiException e) {
            if (!response.isCommitted()) {
                ApiResponses.error(response, e); // thrown before anything was written
            }
        } catch (SQLException | RuntimeException e) {
            if (!response.isCommitted()) {
                ApiResponses.resetForError(response);
                writeFailure(response, e, method + " " + path);
            } else {
                LOG.warn("request {}: {} {} failed after its answer was sent", ApiResponses.requestId(response), method, path, e);
            }
        }
    }

    /**
     * Writes the answer for an unexpected failure: 503 when the database is unavailable, 400 when PostgreSQL
     * refused a value (validation should have caught it: logged so it gets fixed), else 500. The answer never
     * carries the exception's or PostgreSQL's text (table and constraint names, row contents): that goes to
     * the log, under the request id the answer names.
     */
    static void writeFailure(HttpServletResponse response, Exception e, String what) throws IOException {
        String requestId = ApiResponses.requestId(response);
        if (e instanceof SQLException sql && Database.isUnavailable(sql)) {
            LOG.debug("request {}: {}: database unavailable", requestId, what, e);
            ApiResponses.databaseUnavailable(response);
            return;
        }
        if (e instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
            LOG.warn("request {}: {}: PostgreSQL refused a value that validation let through (SQLSTATE {}); answering 400",
                    requestId, what, sql.getSQLState(), e);
            ApiResponses.error(response, ApiException.badRequest("the database refused a value of this request (SQLSTATE "
                    + sql.getSQLState() + "); nothing was changed. Check the values against docs/control-plane.md; the"
                    + " admin's log has the details under request id " + requestId));
            return;
        }
        LOG.error("request {}: internal error in {}", requestId, what, e);
        ApiResponses.internal(response);
    }
}
