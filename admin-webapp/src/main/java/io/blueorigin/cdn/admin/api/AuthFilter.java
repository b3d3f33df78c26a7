package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.ApiToken;
import io.blueorigin.cdn.admin.db.ApiTokens;
import io.blueorigin.cdn.admin.db.Database;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every {@code /api/*} request by its bearer token before anything else (so an unknown path
 * answers 401, not 404, to strangers). Missing, malformed, unknown or revoked token: 401 with
 * {@code WWW-Authenticate: Bearer}. The token is then the request attribute {@link #TOKEN}; the scope check
 * (403) is the route's, in {@link ApiServlet}. Every exchange gets its request id here first
 * ({@link ApiResponses#assignRequestId}).
 *
 * <p>Refused secrets are remembered for a minute ({@link ApiTokens}), so a flood of bad tokens does not
 * take the database pool from real work.
 */
final class AuthFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);
    /** Request attribute holding the authenticated {@link ApiToken}. */
    static final String TOKEN = AuthFilter.class.getName() + ".token";
    private static final String HOW = "send 'Authorization: Bearer <secret>' with a token from POST /api/v1/tokens"
            + " or the bootstrap token";

    private final transient ApiTokens tokens;

    /** Most of an unread request body read and dropped after the answer (API bodies are far smaller). */
    static final long MAX_DISCARDED_BYTES = 1 << 20;

    AuthFilter(ApiTokens tokens) {
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try {
            authenticateAndServe(request, response, chain);
        } finally {
            discardUnreadBody(request, response);
        }
    }

    /**
     * Reads and drops what the exchange left of the request's body (a refusal answered before reading it: a token
     * without the scope, a bad path), at most {@link #MAX_DISCARDED_BYTES}, so the connection can carry the client's
     * next request; a larger rest closes it, and the answer says so while it still can. Left unread, Jetty closed the
     * connection at the end of the exchange without saying so, and the client's next request on it failed
     * ({@code ErrorBodiesIT}; seen once in CI). A body the handler read costs nothing here (end of stream at once).
     */
    private static void discardUnreadBody(HttpServletRequest request, HttpServletResponse response) {
        long length = request.getContentLengthLong(); // -1: chunked, or no body
        if (request.isAsyncStarted() || (length <= 0 && request.getHeader("Transfer-Encoding") == null)) {
            return;
        }
        try {
            if (length <= MAX_DISCARDED_BYTES && endsWithin(request.getInputStream(), MAX_DISCARDED_BYTES)) {
                return;
            }
        } catch (IOException | IllegalStateException e) {
            return; // the client went away, or the handler read the body as characters: nothing more to do here
        }
        if (!response.isCommitted()) {
            response.setHeader("Connection", "close");
        }
    }

    /** Reads {@code in} to its end if that comes within {@code max} bytes; whether it did. */
    private static boolean endsWithin(InputStream in, long max) throws IOException {
        byte[] buffer = new byte[8192];
        long read = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            read += n;
            if (read > max) {
                return false;
            }
        }
        return true;
    }

    private void authenticateAndServe(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String requestId = ApiResponses.assignRequestId(request, response);
        Optional<ApiToken> token;
        try {
            token = tokens.authenticate(bearer(request));
        } catch (ApiException e) {
            ApiResponses.error(response, e);
            return;
        } catch (SQLException e) {
            if (Database.isUnavailable(e)) {
                LOG.debug("request {}: cannot authenticate {} {}: database unavailable", requestId, request.getMethod(),
                        request.getRequestURI(), e);
                ApiResponses.databaseUnavailable(response);
            } else {
                LOG.error("request {}: internal error authenticating {} {}", requestId, request.getMethod(),
                        request.getRequestURI(), e);
                ApiResponses.internal(response);
            }
            return;
        }
        if (token.isEmpty()) {
            ApiResponses.error(response, ApiException.unauthorized("unknown or revoked token: " + HOW));
            return;
        }
        request.setAttribute(TOKEN, token.get());
        chain.doFilter(request, response);
    }

    private static String bearer(HttpServletRequest request) throws ApiException {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.unauthorized("missing token: " + HOW);
        }
        int space = authorization.indexOf(' ');
        if (space < 0 || !authorization.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            throw ApiException.unauthorized("unsupported authorization scheme: " + HOW);
        }
        String secret = authorization.substring(space + 1).trim();
        if (secret.isEmpty()) {
            throw ApiException.unauthorized("missing token: " + HOW);
        }
        return secret;
    }
}
