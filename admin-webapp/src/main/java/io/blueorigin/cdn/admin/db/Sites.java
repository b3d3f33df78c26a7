package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code sites} table (the current site table) and {@code site_audit} (every change). Methods take the
 * caller's {@link Connection}, so the API decides the transaction: a change is {@link #lock}, the checks
 * against {@link #list}, one {@link InvalidationLog#append}, then {@link #write} (row and audit), all in one
 * transaction.
 *
 * <p>Serialisation: {@link #lock} takes the transaction-level advisory lock {@link #LOCK} (before the log's
 * own lock, never after it), so a change reads the other sites after every earlier change committed and no
 * other change commits before it: two changes can never both take one host.
 *
 * <p>Versions: a site's {@code version} is the log id of its last change; the table's version is the newest
 * log id in the audit (a delete leaves no row but is a change), 0 when there never was a site.
 */
public final class Sites {
    /** Advisory lock key serialising site changes ("sites" in ASCII). */
    static final long LOCK = 0x7369746573L;
    /** Thread-safe once configured; never reconfigured. */
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String COLUMNS =
            "name, definition::text, version, created_at, created_by, updated_at, updated_by";

    private final Duration lockTimeout;

    /** @param lockTimeout longest a change waits for the sites lock (and the log lock) before failing (503) */
    public Sites(Duration lockTimeout) {
        this.lockTimeout = requireNonNull(lockTimeout, "lockTimeout is null");
    }

    /**
     * A site as stored.
     *
     * @param definition as {@code Site.toMap()} wrote it (jsonb: key order is PostgreSQL's)
     * @param version log id of its last change
     */
    public record Row(String name, JsonNode definition, long version, Instant createdAt, String createdBy,
            Instant updatedAt, String updatedBy) {}

    /** The whole table at one moment: its version and the definitions by name. */
    public record Table(long version, List<JsonNode> definitions) {
        public Table {
            definitions = List.copyOf(definitions);
        }
    }

    /**
     * One audited change.
     *
     * @param version the log id of the change's entry
     * @param action {@code put} or {@code delete}
     * @param actor name of the API token that made it
     * @param before the definition before (empty: the site was created)
     * @param after the definition after (empty: the site was deleted)
     */
    public record Change(long version, String site, String action, String actor, Instant at, Optional<JsonNode> before,
            Optional<JsonNode> after, String requestId) {}

    /** Takes the sites lock for the rest of the caller's transaction (waits at most the lock timeout): to change sites. */
    public void lock(Connection connection) throws SQLException {
        lock(connection, "pg_advisory_xact_lock");
    }

    /**
     * Takes the sites lock shared for the rest of the caller's transaction: no site changes until it ends, while
     * other holders of the shared lock go on. An invalidation naming a site takes it before checking the site
     * exists, so the site still exists at the entry's position in the log (a delete cannot slip in between).
     */
    public void lockShared(Connection connection) throws SQLException {
        lock(connection, "pg_advisory_xact_lock_shared");
    }

    private void lock(Connection connection, String function) throws SQLException {
        try (PreparedStatement timeout = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
            timeout.setString(1, lockTimeout.toMillis() + "ms");
            timeout.execute();
        }
        try (PreparedStatement lock = connection.prepareStatement("SELECT " + function + "(?)")) {
            lock.setLong(1, LOCK);
            lock.execute();
        }
    }

    /** Every site, by name. */
    public List<Row> list(Connection connection) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM sites ORDER BY name");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                rows.add(row(rs));
            }
        }
        return rows;
    }

    public Optional<Row> find(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM sites WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    public boolean exists(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM sites WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The table and its version, read by one statement (so they agree even outside a snapshot). */
    public Table table(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT COALESCE((SELECT max(log_id) FROM site_audit), 0),"
                + " COALESCE((SELECT jsonb_agg(definition ORDER BY name) FROM sites), '[]'::jsonb)::text");
                ResultSet rs = select.executeQuery()) {
            rs.next();
            List<JsonNode> definitions = new ArrayList<>();
            parse(rs.getString(2), "sites").forEach(definitions::add);
            return new Table(rs.getLong(1), definitions);
        }
    }

    /** The query of {@link #version} (also a subquery of {@link InvalidationLog#tail}). */
    static final String VERSION = "SELECT COALESCE(max(log_id), 0) FROM site_audit";

    /** The table's version: the log id of the newest site change, 0 for none. */
    public long version(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(VERSION);
                ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Records the change of log entry {@code logId} (appended in this transaction): the site's row set to
     * {@code after} (created, or replaced keeping its creation), or deleted when {@code after} is empty, and
     * its audit row with the definition {@code before} (empty: the site did not exist).
     */
    public void write(Connection connection, String name, Optional<JsonNode> before, Optional<String> after, long logId,
            long actorTokenId, String actor, String requestId) throws SQLException {
        if (after.isPresent()) {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "WITH e AS (SELECT created_at FROM invalidations WHERE id = ?)"
                            + " INSERT INTO sites (name, definition, version, created_at, created_by, updated_at, updated_by)"
                            + " SELECT ?, ?::jsonb, ?, e.created_at, ?, e.created_at, ? FROM e"
                            + " ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, version = excluded.version,"
                            + " updated_at = excluded.updated_at, updated_by = excluded.updated_by")) {
                upsert.setLong(1, logId);
                upsert.setString(2, name);
                upsert.setString(3, after.get());
                upsert.setLong(4, logId);
                upsert.setString(5, actor);
                upsert.setString(6, actor);
                if (upsert.executeUpdate() != 1) {
                    throw new SQLException("log entry " + logId + " of site " + name + " is not visible in its own transaction");
                }
            }
        } else {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM sites WHERE name = ?")) {
                delete.setString(1, name);
                delete.executeUpdate();
            }
        }
        try (PreparedStatement audit = connection.prepareStatement(
                "INSERT INTO site_audit (site, action, actor, actor_token_id, at, before, after, log_id, request_id)"
                        + " SELECT ?, ?, ?, ?, created_at, ?::jsonb, ?::jsonb, id, ? FROM invalidations WHERE id = ?")) {
            audit.setString(1, name);
            audit.setString(2, after.isPresent() ? "put" : "delete");
            audit.setString(3, actor);
            audit.setLong(4, actorTokenId);
            audit.setString(5, before.map(JsonNode::toString).orElse(null));
            audit.setString(6, after.orElse(null));
            audit.setString(7, requestId);
            audit.setLong(8, logId);
            if (audit.executeUpdate() != 1) {
                throw new SQLException("log entry " + logId + " of site " + name + " is not visible in its own transaction");
            }
        }
    }

    /** The changes of site {@code name}, newest first, at most {@code limit}. */
    public List<Change> history(Connection connection, String name, int limit) throws SQLException {
        List<Change> changes = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT log_id, site, action, actor, at, before::text,"
                + " after::text, request_id FROM site_audit WHERE site = ? ORDER BY log_id DESC LIMIT ?")) {
            select.setString(1, name);
            select.setInt(2, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    changes.add(new Change(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class).toInstant(), optional(rs.getString(6)),
                            optional(rs.getString(7)), rs.getString(8)));
                }
            }
        }
        return changes;
    }

    private static Optional<JsonNode> optional(@Nullable String json) throws SQLException {
        return json == null ? Optional.empty() : Optional.of(parse(json, "site_audit"));
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString(1), parse(rs.getString(2), "sites.definition"), rs.getLong(3),
                rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getString(5),
                rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getString(7));
    }

    private static JsonNode parse(String json, String what) throws SQLException {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SQLException(what + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
