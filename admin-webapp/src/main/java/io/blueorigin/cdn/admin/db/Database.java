package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.blueorigin.cdn.runtime.StartupException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
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
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** Where Flyway finds the {@code db-migrations} module's SQL. */
    public static final String MIGRATIONS = "classpath:db/migration";

    private final HikariDataSource pool;

    private Database(HikariDataSource pool) {
        this.pool = pool;
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
        // Start even when the database is down for a moment: requests then fail with 503 until it is back.
        hikari.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            migrate(pool, config);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool);
    }

    private static void migrate(DataSource dataSource, DatabaseConfig config) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .connectRetries(0)
                .load();
        try (Connection probe = dataSource.getConnection()) {
            LOG.debug("connected to {}", probe.getMetaData().getURL());
        } catch (SQLException | HikariPool.PoolInitializationException e) {
            throw new StartupException("cannot connect to PostgreSQL at " + config.url() + " (db.url, db.user, db.password): "
                    + e.getMessage(), e);
        }
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
