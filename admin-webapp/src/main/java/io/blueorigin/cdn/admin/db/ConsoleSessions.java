package io.blueorigin.cdn.admin.db;

import io.blueorigin.cdn.admin.Scope;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The {@code console_sessions} table (V0016). A session's secret is 32 random bytes (base64url) in the
 * browser's cookie; the table holds its SHA-256 only. A session is valid while it is unexpired, its user is not
 * disabled and its user's token is not revoked; anything else (another installation's cookie, an expired or a
 * logged-out session) finds no row, and the console sends the browser to the login page.
 *
 * <p>Expiry: idle for {@code idle}, and never longer than {@code absolute} after the login. The idle expiry is
 * pushed forward at most once a minute per session ({@link #TOUCH_RESOLUTION}), so a page view is a read.
 */
public final class ConsoleSessions {
    static final String TOUCH_RESOLUTION = "1 minute";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private ConsoleSessions() {}

    /** A session just created: the cookie's secret (never stored) and its forms' CSRF token. */
    public record Created(String secret, String csrf) {}

    /** A valid session: who, the token it acts through, and its forms' CSRF token. */
    public record Session(long userId, String username, Scope role, ApiToken token, String csrf) {}

    /** A new session of user {@code userId}, idle-expiring after {@code idle}. */
    public static Created create(Connection connection, long userId, String client, Duration idle)
            throws SQLException {
        String secret = random();
        String csrf = random();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO console_sessions (id_hash, user_id,"
                + " csrf_token, expires_at, client) VALUES (?, ?, ?, now() + ? * interval '1 second', ?)")) {
            insert.setBytes(1, ApiTokens.hash(secret));
            insert.setLong(2, userId);
            insert.setString(3, csrf);
            insert.setLong(4, idle.toSeconds());
            insert.setString(5, client.length() > 100 ? client.substring(0, 100) : client);
            insert.executeUpdate();
        }
        return new Created(secret, csrf);
    }

    /**
     * The valid session whose secret this is, pushing its idle expiry to now + {@code idle}, never past
     * {@code created_at} + {@code absolute}.
     */
    public static Optional<Session> find(Connection connection, String secret, Duration idle, Duration absolute)
            throws SQLException {
        if (secret.length() != 43) {
            return Optional.empty();
        }
        byte[] hash = ApiTokens.hash(secret);
        Session session;
        boolean touch;
        String tokenColumns = "t." + ApiTokens.COLUMNS.replace(", ", ", t.");
        try (PreparedStatement select = connection.prepareStatement("SELECT " + tokenColumns + ", u.id, u.username, u.role,"
                + " s.csrf_token, s.last_seen_at < now() - interval '" + TOUCH_RESOLUTION + "'"
                + " FROM console_sessions s JOIN console_users u ON u.id = s.user_id JOIN api_tokens t ON t.id = u.token_id"
                + " WHERE s.id_hash = ? AND s.expires_at > now() AND u.disabled_at IS NULL AND t.revoked_at IS NULL")) {
            select.setBytes(1, hash);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                session = new Session(rs.getLong(9), rs.getString(10), Scope.fromLabel(rs.getString(11)).orElseThrow(),
                        ApiTokens.row(rs), rs.getString(12));
                touch = rs.getBoolean(13);
            }
        }
        if (touch) {
            try (PreparedStatement update = connection.prepareStatement("UPDATE console_sessions SET last_seen_at = now(),"
                    + " expires_at = least(now() + ? * interval '1 second', created_at + ? * interval '1 second')"
                    + " WHERE id_hash = ?")) {
                update.setLong(1, idle.toSeconds());
                update.setLong(2, absolute.toSeconds());
                update.setBytes(3, hash);
                update.executeUpdate();
            }
        }
        return Optional.of(session);
    }

    /** Ends the session whose secret this is (logout); nothing when there is none. */
    public static void delete(Connection connection, String secret) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM console_sessions WHERE id_hash = ?")) {
            delete.setBytes(1, ApiTokens.hash(secret));
            delete.executeUpdate();
        }
    }

    /** Ends every session of user {@code userId} (disabled, or its role changed). */
    public static void deleteForUser(Connection connection, long userId) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM console_sessions WHERE user_id = ?")) {
            delete.setLong(1, userId);
            delete.executeUpdate();
        }
    }

    /** Deletes expired sessions (retention); returns how many. */
    public static int deleteExpired(Connection connection) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM console_sessions WHERE expires_at <= now()")) {
            return delete.executeUpdate();
        }
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }
}
