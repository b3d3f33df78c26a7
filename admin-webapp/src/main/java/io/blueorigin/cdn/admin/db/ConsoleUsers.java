package io.blueorigin.cdn.admin.db;

import io.blueorigin.cdn.admin.Scope;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code console_users} table (V0016). Each user acts through its own API token, created with it in one
 * transaction and named {@code console:<username>}; its role is that token's only scope, so the API's scope rules
 * ({@link Scope#grants}) are the console's too and the log records a console purge under the user's name.
 *
 * <p>Login throttling per user lives here, in PostgreSQL, so every admin replica applies the same count: from
 * {@link #LOCK_AFTER} consecutive failed logins on, each failure locks the user for {@link #FIRST_LOCK}, doubling
 * per further failure up to {@link #LONGEST_LOCK}; a success resets the count. (The per-client limit is in memory,
 * {@code console.LoginGate}.)
 */
public final class ConsoleUsers {
    /** Prefix of the name of the token a user acts through. */
    public static final String TOKEN_PREFIX = "console:";
    static final int LOCK_AFTER = 5;
    static final Duration FIRST_LOCK = Duration.ofSeconds(30);
    static final Duration LONGEST_LOCK = Duration.ofMinutes(15);
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final String COLUMNS = "id, username, role, token_id, created_at, created_by, disabled_at,"
            + " failed_logins, locked_until, last_login_at";
    /** Advisory lock key serialising the bootstrap user between admin replicas starting at once. */
    private static final long BOOTSTRAP_LOCK = 0x636f6e736f6c65L;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ConsoleUsers() {}

    /** Why {@code username} is not a user name, if it is not. */
    public static Optional<String> checkUsername(String username) {
        if (!USERNAME.matcher(username).matches()) {
            return Optional.of("1-63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return Optional.empty();
    }

    /** Why {@code role} cannot be a user's role, if it cannot. */
    public static Optional<String> checkRole(Scope role) {
        return role == Scope.NODE ? Optional.of("read, purge or admin (node is for node agents)") : Optional.empty();
    }

    /** What {@link #add} did. */
    public sealed interface Added {
        record Created(ConsoleUser user) implements Added {}

        record Exists(String username) implements Added {}
    }

    /**
     * Adds a user with its token in the caller's transaction. {@code passwordHash} is a PHC string from
     * {@code console.Passwords}; {@code username} and {@code role} must pass their checks.
     */
    public static Added add(Connection connection, String username, String passwordHash, Scope role, String createdBy)
            throws SQLException {
        if (checkUsername(username).isPresent() || checkRole(role).isPresent()) {
            throw new IllegalArgumentException("user " + username + " with role " + role + " refused");
        }
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM console_users WHERE username = ?")) {
            exists.setString(1, username);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return new Added.Exists(username);
                }
            }
        }
        NewToken token = ApiTokens.issueIn(connection, TOKEN_PREFIX + username, List.of(role));
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO console_users (username, password_hash,"
                + " role, token_id, created_by) VALUES (?, ?, ?, ?, ?) RETURNING " + COLUMNS)) {
            insert.setString(1, username);
            insert.setString(2, passwordHash);
            insert.setString(3, role.label());
            insert.setLong(4, token.id());
            insert.setString(5, createdBy.length() > 200 ? createdBy.substring(0, 200) : createdBy);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return new Added.Created(row(rs));
            }
        }
    }

    /**
     * Creates user {@code admin} (role admin) with a random password if there is no console user at all,
     * atomically across replicas.
     *
     * @param hasher turns the password into its stored hash
     * @return the password, to be shown once; empty when users existed
     */
    public static Optional<String> createBootstrapUserIfNone(Connection connection, Function<String, String> hasher)
            throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, BOOTSTRAP_LOCK);
            lock.execute();
        }
        try (PreparedStatement any = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM console_users)");
                ResultSet rs = any.executeQuery()) {
            rs.next();
            if (rs.getBoolean(1)) {
                return Optional.empty();
            }
        }
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        add(connection, "admin", hasher.apply(password), Scope.ADMIN, "bootstrap");
        return Optional.of(password);
    }

    /** A user with its password hash, for a login. */
    public record Credentials(ConsoleUser user, String passwordHash, boolean locked) {}

    /** The user called {@code username}, with its hash and whether it is locked now ({@code locked_until}). */
    public static Optional<Credentials> credentials(Connection connection, String username) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + ", password_hash, coalesce(locked_until > now(), false) FROM console_users WHERE username = ?")) {
            select.setString(1, username);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Credentials(row(rs), rs.getString(11), rs.getBoolean(12)));
            }
        }
    }

    /** Records a failed login of user {@code id}: counts it, and locks the user from the fifth on. */
    public static void recordFailure(Connection connection, long id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE console_users SET failed_logins = failed_logins + 1,"
                + " locked_until = CASE WHEN failed_logins + 1 >= ? THEN now() + least(? * power(2, failed_logins + 1 - ?),"
                + " ?) * interval '1 second' ELSE locked_until END WHERE id = ?")) {
            update.setInt(1, LOCK_AFTER);
            update.setLong(2, FIRST_LOCK.toSeconds());
            update.setInt(3, LOCK_AFTER);
            update.setLong(4, LONGEST_LOCK.toSeconds());
            update.setLong(5, id);
            update.executeUpdate();
        }
    }

    /** Records a successful login of user {@code id}: clears the failures and the lock. */
    public static void recordSuccess(Connection connection, long id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE console_users SET failed_logins = 0,"
                + " locked_until = NULL, last_login_at = now() WHERE id = ?")) {
            update.setLong(1, id);
            update.executeUpdate();
        }
    }

    /** Every user, by name. */
    public static List<ConsoleUser> list(Connection connection) throws SQLException {
        List<ConsoleUser> users = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM console_users ORDER BY username");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                users.add(row(rs));
            }
        }
        return users;
    }

    public static Optional<ConsoleUser> get(Connection connection, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM console_users WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** What {@link #setRole} and {@link #disable} did. */
    public enum Change {
        CHANGED,
        UNCHANGED,
        NOT_FOUND,
        /** Refused: the user's token is the last active admin token (nobody could manage tokens and users after). */
        LAST_ADMIN
    }

    /** Gives user {@code id} {@code role}, and its token that scope, in the caller's transaction. */
    public static Change setRole(Connection connection, long id, Scope role) throws SQLException {
        if (checkRole(role).isPresent()) {
            throw new IllegalArgumentException("role " + role);
        }
        Optional<ConsoleUser> user = get(connection, id);
        if (user.isEmpty()) {
            return Change.NOT_FOUND;
        }
        if (user.get().role() == role) {
            return Change.UNCHANGED;
        }
        if (user.get().role() == Scope.ADMIN && !user.get().isDisabled() && ApiTokens.isLastAdmin(connection, user.get().tokenId())) {
            return Change.LAST_ADMIN;
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE console_users SET role = ? WHERE id = ?")) {
            update.setString(1, role.label());
            update.setLong(2, id);
            update.executeUpdate();
        }
        ApiTokens.setScopesIn(connection, user.get().tokenId(), List.of(role));
        return Change.CHANGED;
    }

    /** Disables user {@code id}: revokes its token and ends its sessions, in the caller's transaction. */
    public static Change disable(Connection connection, long id) throws SQLException {
        Optional<ConsoleUser> user = get(connection, id);
        if (user.isEmpty()) {
            return Change.NOT_FOUND;
        }
        if (user.get().isDisabled()) {
            return Change.UNCHANGED;
        }
        if (ApiTokens.revokeIn(connection, user.get().tokenId()) == ApiTokens.Revocation.LAST_ADMIN) {
            return Change.LAST_ADMIN;
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE console_users SET disabled_at = now() WHERE id = ?")) {
            update.setLong(1, id);
            update.executeUpdate();
        }
        ConsoleSessions.deleteForUser(connection, id);
        return Change.CHANGED;
    }

    private static ConsoleUser row(ResultSet rs) throws SQLException {
        return new ConsoleUser(rs.getLong(1), rs.getString(2), Scope.fromLabel(rs.getString(3)).orElseThrow(),
                rs.getLong(4), rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), instant(rs, 7),
                rs.getInt(8), instant(rs, 9), instant(rs, 10));
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }
}
