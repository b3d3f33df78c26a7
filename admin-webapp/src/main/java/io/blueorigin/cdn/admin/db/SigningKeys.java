package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code signing_keys} table: each site's signed-URL keys (V0012, docs/signed-urls.md). Methods take the
 * caller's {@link Connection}; a change is {@link #lock}, the change, {@link #keyring} and one
 * {@link InvalidationLog#append} of a {@code keys_put} carrying that keyring, in one transaction, so the log
 * entries of a site's keys follow its changes in order and each carries the whole keyring (replaying one
 * again changes nothing).
 *
 * <p>Serialisation: {@link #lock} takes the transaction-level advisory lock {@link #LOCK} after the sites lock
 * (shared) and before the log's lock: two creations never both leave a current key (the unique index would
 * refuse the second anyway).
 */
public final class SigningKeys {
    /** Advisory lock key serialising key changes ("signkeys" in ASCII). */
    static final long LOCK = 0x7369676e6b657973L;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Length of a new secret: 256 bits. */
    public static final int SECRET_BYTES = 32;
    /** Most keys a site's keyring holds (the current one and previous ones in their grace); as nodes accept. */
    public static final int MAX_KEYRING = 16;
    private static final String COLUMNS = "id, site, created_at, created_by, not_after, revoked_at, revoked_by";

    private final Duration lockTimeout;

    /** @param lockTimeout longest a change waits for the lock before failing (503) */
    public SigningKeys(Duration lockTimeout) {
        this.lockTimeout = requireNonNull(lockTimeout, "lockTimeout is null");
    }

    /**
     * A key as listed (never its secret).
     *
     * @param notAfter empty: the current key; else the last instant it is accepted
     */
    public record Row(long id, String site, Instant createdAt, String createdBy, Optional<Instant> notAfter,
            Optional<Instant> revokedAt, Optional<String> revokedBy) {
        /** The id URLs name: {@code k<id>}. */
        public String keyId() {
            return SigningKeys.keyId(id);
        }

        /** {@code current}, {@code previous} (in its grace at {@code now}), {@code revoked} or {@code expired}. */
        public String state(Instant now) {
            if (revokedAt.isPresent()) {
                return "revoked";
            }
            return notAfter.isEmpty() ? "current" : notAfter.get().isAfter(now) ? "previous" : "expired";
        }
    }

    /** A key with its secret (for signing, and for nodes). */
    public record Secret(String keyId, byte[] secret, Optional<Instant> notAfter) {}

    public static String keyId(long id) {
        return "k" + id;
    }

    /** The row id of key id {@code keyId}, or empty when it is not one admin makes. */
    public static Optional<Long> rowId(String keyId) {
        if (!keyId.matches("k[1-9][0-9]{0,17}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(keyId.substring(1)));
    }

    /** Takes the keys lock for the rest of the caller's transaction. */
    public void lock(Connection connection) throws SQLException {
        try (PreparedStatement timeout = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
            timeout.setString(1, lockTimeout.toMillis() + "ms");
            timeout.execute();
        }
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, LOCK);
            lock.execute();
        }
    }

    /** Every key of {@code site}, newest first (revoked and expired ones too: the table is the audit). */
    public List<Row> list(Connection connection, String site) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM signing_keys WHERE site = ? ORDER BY id DESC")) {
            select.setString(1, site);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
        }
        return rows;
    }

    /** The keys nodes accept now for {@code site} (current, and previous ones whose grace has not ended), newest first. */
    public List<Secret> keyring(Connection connection, String site) throws SQLException {
        List<Secret> keys = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT id, secret, not_after FROM signing_keys"
                + " WHERE site = ? AND (not_after IS NULL OR not_after > now()) ORDER BY id DESC")) {
            select.setString(1, site);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    keys.add(new Secret(keyId(rs.getLong(1)), rs.getBytes(2), instant(rs, 3)));
                }
            }
        }
        return keys;
    }

    /** Every site's keyring (registration: a node starts from these, then follows the log's keys_put entries). */
    public Map<String, List<Secret>> keyrings(Connection connection) throws SQLException {
        Map<String, List<Secret>> all = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT site, id, secret, not_after FROM signing_keys"
                + " WHERE not_after IS NULL OR not_after > now() ORDER BY site, id DESC")) {
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    all.computeIfAbsent(rs.getString(1), s -> new ArrayList<>())
                            .add(new Secret(keyId(rs.getLong(2)), rs.getBytes(3), instant(rs, 4)));
                }
            }
        }
        return all;
    }

    /**
     * Makes a new current key for {@code site}; the current one (if any) stays accepted until now + {@code grace}.
     *
     * @return the new key, with its secret
     */
    public Secret create(Connection connection, String site, Duration grace, long actorTokenId, String actor)
            throws SQLException {
        try (PreparedStatement retire = connection.prepareStatement("UPDATE signing_keys SET"
                + " not_after = now() + ?::bigint * interval '1 second' WHERE site = ? AND not_after IS NULL")) {
            retire.setLong(1, grace.toSeconds());
            retire.setString(2, site);
            retire.executeUpdate();
        }
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO signing_keys (site, secret, created_at,"
                + " created_by, created_by_token_id) VALUES (?, ?, now(), ?, ?) RETURNING id")) {
            insert.setString(1, site);
            insert.setBytes(2, secret);
            insert.setString(3, actor);
            insert.setLong(4, actorTokenId);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return new Secret(keyId(rs.getLong(1)), secret, Optional.empty());
            }
        }
    }

    /**
     * Revokes key {@code id} of {@code site}: no longer accepted from now on.
     *
     * @return false when the site has no such key or it is already revoked or expired
     */
    public boolean revoke(Connection connection, String site, long id, String actor) throws SQLException {
        try (PreparedStatement revoke = connection.prepareStatement("UPDATE signing_keys SET not_after = now(),"
                + " revoked_at = now(), revoked_by = ? WHERE site = ? AND id = ? AND revoked_at IS NULL"
                + " AND (not_after IS NULL OR not_after > now())")) {
            revoke.setString(1, actor);
            revoke.setString(2, site);
            revoke.setLong(3, id);
            return revoke.executeUpdate() == 1;
        }
    }

    /** A keyring as nodes receive it: {@code {"keys": [{"id", "secret" (base64url), "notAfter" (null: current)}]}}. */
    public static Map<String, Object> keyringJson(List<Secret> keys) {
        List<Object> list = new ArrayList<>();
        for (Secret k : keys) {
            Map<String, @Nullable Object> key = new LinkedHashMap<>();
            key.put("id", k.keyId());
            key.put("secret", Base64.getUrlEncoder().withoutPadding().encodeToString(k.secret()));
            key.put("notAfter", k.notAfter().map(Instant::toString).orElse(null));
            list.add(key);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("keys", list);
        return json;
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4),
                instant(rs, 5), instant(rs, 6), Optional.ofNullable(rs.getString(7)));
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? Optional.empty() : Optional.of(t.toInstant());
    }
}
