package io.blueorigin.cdn.admin.console;

import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.db.ConsoleAudit;
import io.blueorigin.cdn.admin.db.ConsoleUser;
import io.blueorigin.cdn.admin.db.ConsoleUsers;
import io.blueorigin.cdn.admin.db.Database;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Adding a console user: the one implementation behind the Users page's form and
 * {@code blue-origin admin user add}. Checks the name, role and password, hashes the password (Argon2id), and
 * creates the user with its token, and an audit row, in one transaction.
 */
public final class Users {
    private Users() {}

    /** A refusal naming the field ({@code username}, {@code role}, {@code password}). */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;

        Refused(String field, String message) {
            super(field + ": " + message, null, false, false);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** Adds user {@code username} with {@code role} ({@code read}, {@code purge} or {@code admin}). */
    public static ConsoleUser add(Database database, String username, String role, String password, String createdBy,
            String client) throws Refused, SQLException {
        Optional<String> badName = ConsoleUsers.checkUsername(username);
        if (badName.isPresent()) {
            throw new Refused("username", "'" + Format.cut(username, 70) + "' is not a user name (" + badName.get() + ")");
        }
        Scope scope = Scope.fromLabel(role).filter(s -> s != Scope.NODE).orElseThrow(() -> new Refused("role", "'"
                + Format.cut(role, 20) + "' is not a role (expected read, purge or admin)"));
        Optional<String> badPassword = Passwords.check(password);
        if (badPassword.isPresent()) {
            throw new Refused("password", badPassword.get());
        }
        String hash = Passwords.hash(password);
        ConsoleUsers.Added added = database.inTransaction(c -> {
            ConsoleUsers.Added result = ConsoleUsers.add(c, username, hash, scope, createdBy);
            if (result instanceof ConsoleUsers.Added.Created) {
                ConsoleAudit.record(c, createdBy, "user_add", username + " (" + scope.label() + ")", client);
            }
            return result;
        });
        if (added instanceof ConsoleUsers.Added.Created created) {
            return created.user();
        }
        throw new Refused("username", "user " + username + " exists already");
    }
}
