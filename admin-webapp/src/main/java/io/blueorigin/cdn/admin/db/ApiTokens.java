package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.blueorigin.cdn.admin.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * The {@code api_tokens} table. A token's secret is {@code bo_} followed by 32 random bytes in base64url;
 * only its SHA-256 is stored. Tokens are revoked, never deleted (the invalidation log references them).
 *
 * <p>No cache of valid tokens sits in front of {@link #authenticate}: every request with a known token reads
 * the row, so a revoked token is refused from the next request on, by every admin replica.
 * {@code last_used_at} is written at most once a minute per token ({@link #LAST_USED_RESOLUTION}), so
 * authentication is a read in the common case.
 *
 * <p>Failed lookups are cached ({@link #refused}): a secret that matched no active token is refused without
 * asking the database again for {@link #REFUSED_TTL}, so a flood of requests with a bad token cannot take the
 * pool's connections from real work. This is sound because a refusal is final: secrets are drawn here, so an
 * unknown one never becomes valid, and a revoked token is never reinstated. The cache holds SHA-256 hashes,
 * never secrets, and at most {@link #REFUSED_MAX} of them (Caffeine evicts the least useful beyond that).
 */
public final class ApiTokens {
    /** Prefix of every secret, so a leaked one is recognisable in logs and by secret scanners. */
    public static final String SECRET_PREFIX = "bo_";
    /** Longest token name (the column's CHECK). */
    public static final int MAX_NAME_LENGTH = 200;
    /** Length of a secret: the prefix and 43 base64url characters. */
    static final int SECRET_LENGTH = SECRET_PREFIX.length() + 43;
    /** {@code last_used_at} is only updated when older than this. */
    static final String LAST_USED_RESOLUTION = "1 minute";
    /** Advisory lock key serialising bootstrap between admin replicas starting at once. */
    private static final long BOOTSTRAP_LOCK = 0x626f6f7473747261L;
    /**
     * Advisory lock key serialising revocations and console role changes, so two cannot each take the admin scope
     * from "the other" last admin token.
     */
    private static final long REVOKE_LOCK = 0x7265766f6b65L;
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String COLUMNS = "id, name, token_prefix, scopes, node_name, created_at, last_used_at, revoked_at";
    /** How long a refused secret is answered from memory. */
    static final Duration REFUSED_TTL = Duration.ofMinutes(1);
    /** Most refused secrets remembered. */
    static final int REFUSED_MAX = 10_000;

    private final DataSource dataSource;
    /** Hex SHA-256 of secrets that matched no active token; see the class comment. */
    private final Cache<String, Boolean> refused = Caffeine.newBuilder().maximumSize(REFUSED_MAX)
            .expireAfterWrite(REFUSED_TTL).build();
    private final LongAdder lookups = new LongAdder();

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
                String secret = insert(connection, "bootstrap", List.of(Scope.READ, Scope.PURGE, Scope.ADMIN),
                        Optional.empty()).secret();
                connection.commit();
                return Optional.of(secret);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * Creates a token for people and scripts, e.g. {@code create("ci-purger", List.of(Scope.PURGE))}.
     *
     * @return its secret, to hand to the client (it is not stored)
     * @throws IllegalArgumentException when the name is empty, longer than {@value #MAX_NAME_LENGTH} characters
     *     or holds control characters, or {@code scopes} is empty or holds {@link Scope#NODE} (see
     *     {@link #createNodeToken})
     */
    public String create(String name, List<Scope> scopes) throws SQLException {
        return issue(name, scopes, Optional.empty()).secret();
    }

    /**
     * Creates the token the node called {@code nodeName} authenticates with: scope {@code node}, bound to that
     * name, named like the node.
     *
     * @return its secret, for the node's {@code control.token} ({@code CDN_CONTROL_TOKEN})
     * @throws IllegalArgumentException when {@code nodeName} is not a node name
     */
    public String createNodeToken(String nodeName) throws SQLException {
        return issue(nodeName, List.of(Scope.NODE), Optional.of(nodeName)).secret();
    }

    /**
     * Creates a token, returning its id, name and scopes with the secret. A node token has scope {@code node}
     * alone and the node name it is bound to; no other token has a node name.
     *
     * @throws IllegalArgumentException for a bad name, no scopes, or a node name that does not go with the scopes
     */
    public NewToken issue(String name, List<Scope> scopes, Optional<String> node) throws SQLException {
        requireNonNull(name, "name is null");
        requireNonNull(scopes, "scopes is null");
        requireNonNull(node, "node is null");
        checkName(name).ifPresent(problem -> {
            throw new IllegalArgumentException("token name " + problem);
        });
        List<Scope> distinct = List.copyOf(new LinkedHashSet<>(scopes));
        if (distinct.isEmpty()) {
            throw new IllegalArgumentException("a token needs at least one scope (read, purge, admin, or node)");
        }
        if (node.isPresent() != distinct.contains(Scope.NODE) || (node.isPresent() && distinct.size() != 1)) {
            throw new IllegalArgumentException("a node token has scope node alone and the name of its node (scopes "
                    + distinct + ", node " + node.orElse("none") + ")");
        }
        if (node.isPresent() && !Nodes.isName(node.get())) {
            throw new IllegalArgumentException("node: '" + node.get() + "' is not a node name (1-63 letters, digits, "
                    + "'.', '_' or '-', starting with a letter or digit)");
        }
        try (Connection connection = dataSource.getConnection()) {
            return insert(connection, name, distinct, node);
        }
    }

    /** What is wrong with {@code name} as a token name, if anything ("must not be empty", ...). */
    public static Optional<String> checkName(String name) {
        if (name.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return Optional.of("is longer than " + MAX_NAME_LENGTH + " characters (" + name.length() + ")");
        }
        // codePoints() joins surrogate pairs, so a surrogate left over is an unpaired one
        if (name.codePoints().anyMatch(c -> Character.isISOControl(c) || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE))) {
            return Optional.of("must not contain control characters or unpaired surrogates");
        }
        return Optional.empty();
    }

    /**
     * Creates a token in the caller's transaction (a console user's token is created with the user, in one
     * transaction). Same rules as {@link #issue}.
     */
    public static NewToken issueIn(Connection connection, String name, List<Scope> scopes) throws SQLException {
        if (checkName(name).isPresent() || scopes.isEmpty() || scopes.contains(Scope.NODE)) {
            throw new IllegalArgumentException("token name " + name + " or scopes " + scopes + " refused");
        }
        return insert(connection, name, scopes, Optional.empty());
    }

    /** Sets the scopes of token {@code id} in the caller's transaction (a console user's role change). */
    public static void setScopesIn(Connection connection, long id, List<Scope> scopes) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE api_tokens SET scopes = ? WHERE id = ?")) {
            update.setArray(1, connection.createArrayOf("text", scopes.stream().map(Scope::label).toArray()));
            update.setLong(2, id);
            update.executeUpdate();
        }
    }

    /** Revokes token {@code id} in the caller's transaction, unless it is the last active admin token. */
    public static Revocation revokeIn(Connection connection, long id) throws SQLException {
        return revoke(connection, id);
    }

    private static NewToken insert(Connection connection, String name, List<Scope> scopes, Optional<String> node)
            throws SQLException {
        String secret = newSecret();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO api_tokens (name, token_hash, token_prefix,"
                + " scopes, node_name) VALUES (?, ?, ?, ?, ?) RETURNING id")) {
            insert.setString(1, name);
            insert.setBytes(2, hash(secret));
            insert.setString(3, secret.substring(0, SECRET_PREFIX.length() + 6));
            insert.setArray(4, connection.createArrayOf("text", scopes.stream().map(Scope::label).toArray()));
            insert.setString(5, node.orElse(null));
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return new NewToken(rs.getLong(1), name, scopes, node, secret);
            }
        }
    }

    /**
     * The active (not revoked) token whose secret this is. Records the use in {@code last_used_at} when the
     * previous record is older than a minute. A secret refused in the last {@link #REFUSED_TTL} is refused
     * again without a database lookup.
     */
    public Optional<ApiToken> authenticate(String secret) throws SQLException {
        requireNonNull(secret, "secret is null");
        if (!secret.startsWith(SECRET_PREFIX) || secret.length() != SECRET_LENGTH) {
            return Optional.empty(); // not one of ours: no need to ask the database
        }
        byte[] hash = hash(secret);
        String key = HexFormat.of().formatHex(hash);
        if (refused.getIfPresent(key) != null) {
            return Optional.empty();
        }
        lookups.increment();
        try (Connection connection = dataSource.getConnection()) {
            ApiToken token;
            boolean recordUse;
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                    + ", last_used_at IS NULL OR last_used_at < now() - interval '" + LAST_USED_RESOLUTION + "'"
                    + " FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL")) {
                select.setBytes(1, hash);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        refused.put(key, Boolean.TRUE);
                        return Optional.empty();
                    }
                    token = row(rs);
                    recordUse = rs.getBoolean(9);
                }
            }
            if (recordUse) {
                // The same condition again: another replica may have recorded a use meanwhile.
                try (PreparedStatement update = connection.prepareStatement("UPDATE api_tokens SET last_used_at = now()"
                        + " WHERE id = ? AND (last_used_at IS NULL OR last_used_at < now() - interval '"
                        + LAST_USED_RESOLUTION + "')")) {
                    update.setLong(1, token.id());
                    update.executeUpdate();
                }
            }
            return Optional.of(token);
        }
    }

    /** Database lookups made by {@link #authenticate} since start (refusals answered from memory are not). */
    public long lookups() {
        return lookups.sum();
    }

    /** How many refused secrets are remembered now (at most {@link #REFUSED_MAX}). */
    public long refusedRemembered() {
        refused.cleanUp();
        return refused.estimatedSize();
    }

    /** Every token, revoked ones included, by id. */
    public List<ApiToken> list() throws SQLException {
        List<ApiToken> tokens = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM api_tokens ORDER BY id");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                tokens.add(row(rs));
            }
        }
        return tokens;
    }

    /** What {@link #revoke} did. */
    public enum Revocation {
        /** The token is revoked from now on. */
        REVOKED,
        /** It was revoked before; nothing changed. */
        ALREADY_REVOKED,
        /** No token has that id. */
        NOT_FOUND,
        /** Refused: it is the last active token with the admin scope, and revoking it would lock everyone out. */
        LAST_ADMIN
    }

    /** Revokes token {@code id}, unless it is the last active admin token. */
    public Revocation revoke(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Revocation result = revoke(connection, id);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static Revocation revoke(Connection connection, long id) throws SQLException {
        lockAdminChanges(connection);
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT revoked_at IS NOT NULL, 'admin' = ANY(scopes),"
                        + " (SELECT count(*) FROM api_tokens o WHERE o.id <> t.id AND o.revoked_at IS NULL"
                        + " AND 'admin' = ANY(o.scopes)) FROM api_tokens t WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Revocation.NOT_FOUND;
                }
                if (rs.getBoolean(1)) {
                    return Revocation.ALREADY_REVOKED;
                }
                if (rs.getBoolean(2) && rs.getLong(3) == 0) {
                    return Revocation.LAST_ADMIN;
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE api_tokens SET revoked_at = now() WHERE id = ?")) {
            update.setLong(1, id);
            update.executeUpdate();
        }
        return Revocation.REVOKED;
    }

    /**
     * Whether token {@code id} is the only active token with the admin scope, after taking the lock every change
     * that can take the admin scope away holds (a revocation, a console user's role change), so two such changes
     * cannot each leave "the other" admin and together leave none.
     */
    static boolean isLastAdmin(Connection connection, long id) throws SQLException {
        lockAdminChanges(connection);
        try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM api_tokens WHERE id <> ?"
                + " AND revoked_at IS NULL AND 'admin' = ANY(scopes)")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 0;
            }
        }
    }

    /** Serialises, until the transaction ends, the changes that can leave no admin token ({@link #REVOKE_LOCK}). */
    private static void lockAdminChanges(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, REVOKE_LOCK);
            lock.execute();
        }
    }

    /** The token of a row whose first 8 columns are {@link #COLUMNS}. */
    static ApiToken row(ResultSet rs) throws SQLException {
        List<Scope> scopes = new ArrayList<>();
        Array array = rs.getArray(4);
        for (Object label : (Object[]) array.getArray()) {
            Scope.fromLabel((String) label).ifPresent(scopes::add);
        }
        return new ApiToken(rs.getLong(1), rs.getString(2), rs.getString(3), scopes, Optional.ofNullable(rs.getString(5)),
                rs.getObject(6, OffsetDateTime.class).toInstant(), instant(rs, 7), instant(rs, 8));
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
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
