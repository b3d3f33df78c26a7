package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.blueorigin.cdn.runtime.StartupException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin's connection pool and schema. {@link #open} connects, then migrates (or refuses to run on a
 * schema with pending migrations when {@code db.migrate-on-start=false}). Closing it closes the pool.
 *
 * <p>Bounded waits: a request waits at most {@code db.connect-timeout} for a pooled connection (HikariCP),
 * and a pooled connection's socket read gives up after {@link #SOCKET_TIMEOUT}, so a database that vanished
 * without closing its connections (a network partition) cannot hold a request forever. The API turns these
 * failures into 503 {@code database_unavailable} ({@link #isUnavailable}). HikariCP replaces broken
 * connections by itself, so the admin recovers when PostgreSQL is back.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** Where Flyway finds the {@code db-migrations} module's SQL. */
    public static final String MIGRATIONS = "classpath:db/migration";
    /**
     * Longest a pooled connection waits for one answer from PostgreSQL. Every statement the API runs is
     * short (retention deletes in batches); migrations run on their own connection without this limit.
     */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /**
     * SQLSTATEs meaning "the database is not answering or not accepting work now", as opposed to a bug or
     * bad data: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections,
     * lock_not_available (a lock_timeout), query_canceled (a timeout). Class 08 (connection exceptions) is
     * checked separately.
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300", "55P03", "57014");

    private final HikariDataSource pool;
    private final DatabaseConfig config;

    /**
     * Run on every pooled connection: a server whose {@code synchronous_commit} is {@code off} (zonky's
     * embedded PostgreSQL is, for speed; so is a server tuned for throughput) answers a COMMIT before the commit
     * is in its WAL on disk, and loses the last fraction of a second of commits if it is killed. Admin answers a
     * purge 2xx only after its COMMIT, and promises that a purge so answered is never lost, so its sessions raise
     * {@code off} to {@code local} (flushed locally; standbys not waited for). Any stronger setting the operator
     * chose ({@code on}, {@code remote_write}, {@code remote_apply}) is left as it is. Found by bench/chaos.py: a
     * purge answered 202 was missing from the log after PostgreSQL was SIGKILLed (1 of 1,150).
     */
    static final String DURABLE_COMMITS = "SELECT set_config('synchronous_commit', 'local', false)"
            + " WHERE current_setting('synchronous_commit') = 'off'";

    private Database(HikariDataSource pool, DatabaseConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /**
     * Opens the pool and brings the schema up to date.
     *
     * @throws StartupException when the database cannot be reached or the schema is behind and may not be migrated
     */
    public static Database open(DatabaseConfig config, String poolName) {
        requireNonNull(config, "config is null");
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(Math.min(2, config.poolSize()));
        hikari.setConnectionTimeout(config.connectTimeout().toMillis());
        hikari.setValidationTimeout(Math.max(250, config.connectTimeout().toMillis() / 2));
        hikari.setPoolName(poolName);
        hikari.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
        hikari.addDataSourceProperty("connectTimeout", String.valueOf(connectTimeoutSeconds(config)));
        hikari.addDataSourceProperty("ApplicationName", poolName);
        hikari.setConnectionInitSql(DURABLE_COMMITS);
        // Start even when the database is down for a moment: requests then fail with 503 until it is back.
        hikari.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            migrate(pool, config);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool, config);
    }

    /**
     * A plain connection outside the pool, for a component that holds one for a long time (the {@code LISTEN}
     * connection, the health checker's lease) and must not count against {@code db.pool-size}. TCP
     * keep-alive is on, so a peer that vanished is eventually noticed.
     *
     * @param applicationName shown in {@code pg_stat_activity}
     */
    public static Connection connectDirectly(DatabaseConfig config, String applicationName) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", config.user());
        properties.setProperty("password", config.password());
        properties.setProperty("connectTimeout", String.valueOf(connectTimeoutSeconds(config)));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", applicationName);
        Connection connection = new org.postgresql.Driver().connect(config.url(), properties);
        if (connection == null) {
            throw new SQLException("pgjdbc does not accept the URL " + config.url() + " (db.url)");
        }
        return connection;
    }

    /** pgjdbc's {@code connectTimeout} (whole seconds, at least 1) for a new physical connection. */
    static int connectTimeoutSeconds(DatabaseConfig config) {
        return (int) Math.max(1, (config.connectTimeout().toMillis() + 999) / 1000);
    }

    private static void migrate(DataSource pool, DatabaseConfig config) {
        try (Connection probe = pool.getConnection()) {
            LOG.debug("connected to {}", probe.getMetaData().getURL());
        } catch (SQLException | HikariPool.PoolInitializationException e) {
            throw new StartupException("cannot connect to PostgreSQL at " + config.url() + " (db.url, db.user, db.password): "
                    + e.getMessage(), e);
        }
        // Migrations get their own connection: a long one (an index on a big table) must not hit SOCKET_TIMEOUT.
        Flyway flyway = Flyway.configure()
                .dataSource(config.url(), config.user(), config.password())
                .locations(MIGRATIONS)
                .connectRetries(0)
                .load();
        if (config.migrateOnStart()) {
            MigrateResult result = flyway.migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("applied {} migration(s); schema now at version {}", result.migrationsExecuted, result.targetSchemaVersion);
            }
            return;
        }
        MigrationInfo[] pending = flyway.info().pending();
        if (pending.length > 0) {
            String versions = Arrays.stream(pending).map(m -> "V" + m.getVersion() + " " + m.getDescription())
                    .collect(Collectors.joining(", "));
            throw new StartupException("the database schema has " + pending.length + " pending migration(s): " + versions
                    + ". Run `blue-origin admin migrate --config FILE` first, or set db.migrate-on-start=true.");
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    /** The settings this pool was opened with (the notification listener opens its own connection with them). */
    public DatabaseConfig config() {
        return config;
    }

    /** Work done with one connection; may throw {@link SQLException}. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. A mutating
     * API call is one such transaction, so a failure changes nothing.
     */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    /** Runs {@code work} on a pooled connection in autocommit: each statement is its own transaction. */
    public <T> T withConnection(Work<T> work) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        }
    }

    /**
     * Runs read-only {@code work} on one snapshot (REPEATABLE READ), so several queries see the same state:
     * e.g. the log's bounds and its entries.
     *
     * <p>The transaction's mode is set by {@code SET TRANSACTION}, which travels with the driver's implicit
     * {@code BEGIN}: {@code setTransactionIsolation} would cost a round trip to change the session's default and
     * another when the pool restores it, on every long-poll a purge wakes.
     */
    public <T> T inSnapshot(Work<T> work) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (Statement mode = connection.createStatement()) {
                    mode.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                }
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * Whether {@code e} means PostgreSQL is unreachable, restarting, overloaded or timed out (the API answers
     * 503 and the caller may retry), rather than a bug or refused data.
     */
    public static boolean isUnavailable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a connection can be had and answers within {@code timeoutSeconds}. */
    public boolean isReachable(int timeoutSeconds) {
        try (Connection connection = pool.getConnection()) {
            return connection.isValid(timeoutSeconds);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
