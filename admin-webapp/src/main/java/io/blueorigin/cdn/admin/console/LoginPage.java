package io.blueorigin.cdn.admin.console;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.ConsoleAudit;
import io.blueorigin.cdn.admin.db.ConsoleSessions;
import io.blueorigin.cdn.admin.db.ConsoleUsers;
import io.blueorigin.cdn.admin.db.Database;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging in and out.
 *
 * <p>The login form has its own CSRF token (a login form posted from another site would log the victim in as
 * the attacker): a random value in a cookie scoped to {@code /console/login} and in the form, which must be
 * equal (double submit; {@code SameSite=Strict} keeps other sites' posts from carrying the cookie at all).
 *
 * <p>A login is refused the same way for an unknown name, a wrong password and a disabled user ("wrong user
 * name or password"), after the same work (a hash is computed either way): the page does not tell which names
 * exist. Throttling: {@link LoginGate} per client and for the hashing, {@link ConsoleUsers} per user. Every
 * attempt is audited. A success replaces any session the browser had (no session fixation).
 */
final class LoginPage {
    private static final Logger LOG = LoggerFactory.getLogger(LoginPage.class);
    static final String LOGIN_CSRF_COOKIE = "bo_login";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database database;
    private final ConsoleConfig config;
    private final Templates templates;
    private final LoginGate gate;

    LoginPage(Database database, ConsoleConfig config, Templates templates, LoginGate gate) {
        this.database = requireNonNull(database, "database is null");
        this.config = requireNonNull(config, "config is null");
        this.templates = requireNonNull(templates, "templates is null");
        this.gate = requireNonNull(gate, "gate is null");
    }

    void handle(HttpServletRequest request, HttpServletResponse response, String path) throws IOException, SQLException {
        String method = request.getMethod();
        if (path.equals("/logout") && method.equals("POST")) {
            logout(request, response);
        } else if (path.equals("/login") && (method.equals("GET") || method.equals("HEAD"))) {
            form(request, response, 200, "", null, null);
        } else if (path.equals("/login") && method.equals("POST")) {
            login(request, response);
        } else {
            response.setStatus(405);
            response.setHeader("Allow", path.equals("/login") ? "GET, POST" : "POST");
            templates.render(new Page("Method not allowed", "error").add(new Block.Text(method + " " + path
                    + " is not something the console does.", "alert")), response);
        }
    }

    private void login(HttpServletRequest request, HttpServletResponse response) throws IOException, SQLException {
        String client = ConsoleServlet.client(request);
        String username = value(request, "username", 100);
        String password = value(request, "password", Passwords.MAX_LENGTH + 1);
        Optional<String> expected = ConsoleServlet.cookie(request, LOGIN_CSRF_COOKIE);
        if (expected.isEmpty() || !ConsoleServlet.csrfMatches(request.getParameter("csrf"), expected.get())) {
            form(request, response, 403, username, "The login form expired or did not come from this console: log in"
                    + " again from this page.", null);
            return;
        }
        if (gate.blocked(client)) {
            form(request, response, 429, username, "Too many failed logins from your address: wait "
                    + LoginGate.CLIENT_WINDOW.toMinutes() + " minutes, or ask an admin to check the Audit page.", null);
            return;
        }
        if (username.isEmpty() || password.isEmpty()) {
            form(request, response, 400, username, null, username.isEmpty() ? "Enter your user name." : "Enter your password.");
            return;
        }
        Optional<ConsoleUsers.Credentials> credentials = database.inTransaction(c -> ConsoleUsers.credentials(c, username));
        if (credentials.isPresent() && credentials.get().locked()) {
            audit(username, "login_failed", "refused: locked after repeated failures", client);
            form(request, response, 429, username, "Too many failed logins for this user: try again in a few minutes"
                    + " (each further failure doubles the wait, up to 15 minutes).", null);
            return;
        }
        boolean verified;
        try {
            verified = gate.hashing(() -> credentials.isPresent()
                    ? Passwords.verify(password, credentials.get().passwordHash()) && !credentials.get().user().isDisabled()
                    : Passwords.verifyNobody(password));
        } catch (LoginGate.Busy e) {
            form(request, response, 429, username, "The console is busy with other logins: try again in a few seconds.",
                    null);
            return;
        }
        if (!verified) {
            gate.failed(client);
            if (credentials.isPresent()) {
                long id = credentials.get().user().id();
                database.inTransaction(c -> {
                    ConsoleUsers.recordFailure(c, id);
                    return null;
                });
            }
            audit(username, "login_failed", credentials.isPresent() ? "wrong password or disabled user" : "unknown user", client);
            form(request, response, 401, username, "Wrong user name or password.", null);
            return;
        }
        gate.succeeded(client);
        long userId = credentials.get().user().id();
        Optional<String> previous = ConsoleServlet.cookie(request, ConsoleServlet.SESSION_COOKIE);
        ConsoleSessions.Created session = database.inTransaction(c -> {
            if (previous.isPresent()) {
                ConsoleSessions.delete(c, previous.get()); // a new login never keeps a session the browser brought
            }
            ConsoleUsers.recordSuccess(c, userId);
            ConsoleAudit.record(c, username, "login", "role " + credentials.get().user().role().label(), client);
            return ConsoleSessions.create(c, userId, client, config.sessionIdle());
        });
        LOG.info("console user {} logged in from {}", username, client);
        response.addHeader("Set-Cookie", cookie(ConsoleServlet.SESSION_COOKIE, session.secret(), "/console", request.isSecure(), -1));
        response.addHeader("Set-Cookie", cookie(LOGIN_CSRF_COOKIE, "", "/console/login", request.isSecure(), 0));
        response.setStatus(303);
        response.setHeader("Location", next(request.getParameter("next")));
    }

    private void logout(HttpServletRequest request, HttpServletResponse response) throws IOException, SQLException {
        Optional<String> secret = ConsoleServlet.cookie(request, ConsoleServlet.SESSION_COOKIE);
        if (secret.isPresent()) {
            Optional<ConsoleSessions.Session> session = database.inTransaction(c -> ConsoleSessions.find(c, secret.get(),
                    config.sessionIdle(), config.sessionLifetime()));
            // Logging out needs the session's CSRF token too, or any site could log users out.
            if (session.isPresent() && !ConsoleServlet.csrfMatches(request.getParameter("csrf"), session.get().csrf())) {
                response.setStatus(403);
                templates.render(new Page("Form expired", "error").add(new Block.Text("This logout form does not match"
                        + " your session: reload the page and log out again.", "alert")), response);
                return;
            }
            database.inTransaction(c -> {
                ConsoleSessions.delete(c, secret.get());
                if (session.isPresent()) {
                    ConsoleAudit.record(c, session.get().username(), "logout", "", ConsoleServlet.client(request));
                }
                return null;
            });
        }
        response.addHeader("Set-Cookie", cookie(ConsoleServlet.SESSION_COOKIE, "", "/console", request.isSecure(), 0));
        response.setStatus(303);
        response.setHeader("Location", "/console/login?notice=logged-out");
    }

    private void form(HttpServletRequest request, HttpServletResponse response, int status, String username,
            @Nullable String error, @Nullable String fieldError) throws IOException {
        String csrf = random();
        response.addHeader("Set-Cookie", cookie(LOGIN_CSRF_COOKIE, csrf, "/console/login", request.isSecure(), -1));
        response.setStatus(status);
        String next = next(request.getParameter("next")).substring("/console".length());
        Page page = new Page("Log in", "login");
        if ("logged-out".equals(request.getParameter("notice"))) {
            page.notice("You are logged out.");
        }
        boolean passwordMissing = fieldError != null && fieldError.contains("password");
        page.add(new Block.Form("login", "Console login", "post", "/console/login", List.of(
                Field.hidden("csrf", csrf), Field.hidden("next", next),
                new Field("username", "User name", "text", username, List.of(), "", passwordMissing ? null : fieldError, true),
                Field.password("password", "Password", "", passwordMissing ? fieldError : null)), "Log in", error));
        templates.render(page, response);
    }

    private void audit(String username, String action, String detail, String client) throws SQLException {
        database.inTransaction(c -> {
            ConsoleAudit.record(c, username, action, detail, client);
            return null;
        });
    }

    /** Where to go after the login: a console path only (never another site: no open redirect). */
    static String next(@Nullable String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\") || next.length() > 200
                || next.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            return "/console/";
        }
        return "/console" + next;
    }

    private static String value(HttpServletRequest request, String name, int max) {
        String value = request.getParameter(name);
        if (value == null) {
            return "";
        }
        String trimmed = name.equals("password") ? value : value.strip();
        return trimmed.length() > max ? trimmed.substring(0, max) : trimmed;
    }

    /** A {@code Set-Cookie} value: HttpOnly, SameSite=Strict, Secure over TLS; {@code maxAge} 0 deletes it. */
    static String cookie(String name, String value, String path, boolean secure, int maxAge) {
        return name + "=" + value + "; Path=" + path + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
                + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
