package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code api_tokens} table. A token's secret is {@code bo_} followed by 32 random bytes in base64url;
 * only its SHA-256 is stored.
 */
public final class ApiTokens {
    /** Prefix of every secret, so a leaked one is recognisable in logs and by secret scanners. */
    public static final String SECRET_PREFIX = "bo_";
    /** Advisory lock key serialising bootstrap between admin replicas starting at once. */
    private static final long BOOTSTRAP_LOCK = 0x626f6f7473747261L;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;

    public ApiTokens(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    /**
     * Creates the bootstrap admin token if the table holds no token at all, atomically across admin replicas.
     *
     * @return the new secret (to be shown once), or empty when tokens already existed
     */
    public Optional<String> createBootstrapTokenIfNone() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, BOOTSTRAP_LOCK);
                    lock.execute();
                }
                boolean any;
                try (PreparedStatement count = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM api_tokens)");
                        ResultSet rs = count.executeQuery()) {
                    rs.next();
                    any = rs.getBoolean(1);
                }
                if (any) {
                    connection.rollback();
                    return Optional.empty();
                }
                String secret = insert(connection, "bootstrap", List.of(Scope.READ, Scope.PURGE, Scope.ADMIN));
                connection.commit();
                return Optional.of(secret);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static String insert(Connection connection, String name, List<Scope> scopes) throws SQLException {
        String secret = newSecret();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO api_tokens (name, token_hash, token_prefix, scopes) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, name);
            insert.setBytes(2, hash(secret));
            insert.setString(3, secret.substring(0, SECRET_PREFIX.length() + 6));
            insert.setArray(4, connection.createArrayOf("text", scopes.stream().map(Scope::label).toArray()));
            insert.executeUpdate();
        }
        return secret;
    }

    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** SHA-256 of a secret, as stored in {@code token_hash}. */
    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
