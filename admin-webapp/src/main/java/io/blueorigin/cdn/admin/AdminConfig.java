package io.blueorigin.cdn.admin;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.DatabaseConfig;
import io.blueorigin.cdn.admin.console.ConsoleConfig;
import io.blueorigin.cdn.admin.health.HealthCheckConfig;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of an admin node.
 *
 * @param identity node identity (role {@link Role#ADMIN})
 * @param server listening settings
 * @param database the PostgreSQL it keeps its state in
 * @param bootstrapTokenFile where to write the bootstrap admin token when it is created (mode 0600);
 *     empty: print it only
 * @param heartbeatInterval how often node agents send heartbeats ({@code admin.heartbeat-interval}); a node
 *     silent for three intervals is shown as down
 * @param invalidationRetention how long invalidation log entries and node stats are kept
 *     ({@code admin.invalidation-retention}); active bans are kept longer
 * @param health the active health checks ({@code health.*}, {@link HealthCheckConfig#DEFAULTS})
 */
public record AdminConfig(NodeIdentity identity, ServerConfig server, DatabaseConfig database,
        Optional<Path> bootstrapTokenFile, Duration heartbeatInterval, Duration invalidationRetention,
        HealthCheckConfig health, ConsoleConfig console) {

    /** Default of {@code admin.heartbeat-interval}. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
    /** Default of {@code admin.invalidation-retention}. */
    public static final Duration DEFAULT_INVALIDATION_RETENTION = Duration.ofDays(7);
    /** Bounds of {@code admin.heartbeat-interval}. */
    static final Duration MIN_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    static final Duration MAX_HEARTBEAT_INTERVAL = Duration.ofHours(1);
    /** Lower bound of {@code admin.invalidation-retention}: shorter makes every node restart drop its cache. */
    static final Duration MIN_INVALIDATION_RETENTION = Duration.ofHours(1);

    public AdminConfig {
        requireNonNull(identity, "identity is null");
        requireNonNull(server, "server is null");
        requireNonNull(database, "database is null");
        requireNonNull(bootstrapTokenFile, "bootstrapTokenFile is null");
        requireNonNull(heartbeatInterval, "heartbeatInterval is null");
        requireNonNull(invalidationRetention, "invalidationRetention is null");
        requireNonNull(health, "health is null");
        requireNonNull(console, "console is null");
        if (identity.role() != Role.ADMIN) {
            throw new IllegalArgumentException("identity.role : " + identity.role() + " (expected: ADMIN)");
        }
        if (heartbeatInterval.compareTo(MIN_HEARTBEAT_INTERVAL) < 0
                || heartbeatInterval.compareTo(MAX_HEARTBEAT_INTERVAL) > 0) {
            throw new IllegalArgumentException("admin.heartbeat-interval : " + describe(heartbeatInterval)
                    + " (expected: 1s..1h)");
        }
        if (invalidationRetention.compareTo(MIN_INVALIDATION_RETENTION) < 0) {
            throw new IllegalArgumentException("admin.invalidation-retention : " + describe(invalidationRetention)
                    + " (expected: >= 1h; nodes that were down longer than this drop their whole cache)");
        }
    }

    /** Settings with the default health checks ({@link HealthCheckConfig#DEFAULTS}). */
    /** Settings with the console's defaults ({@link ConsoleConfig#DEFAULTS}). */
    public AdminConfig(NodeIdentity identity, ServerConfig server, DatabaseConfig database,
            Optional<Path> bootstrapTokenFile, Duration heartbeatInterval, Duration invalidationRetention,
            HealthCheckConfig health) {
        this(identity, server, database, bootstrapTokenFile, heartbeatInterval, invalidationRetention, health,
                ConsoleConfig.DEFAULTS);
    }

    public AdminConfig(NodeIdentity identity, ServerConfig server, DatabaseConfig database,
            Optional<Path> bootstrapTokenFile, Duration heartbeatInterval, Duration invalidationRetention) {
        this(identity, server, database, bootstrapTokenFile, heartbeatInterval, invalidationRetention,
                HealthCheckConfig.DEFAULTS);
    }

    /** Settings with the default heartbeat interval (10 s), retention (7 days) and health checks. */
    public AdminConfig(NodeIdentity identity, ServerConfig server, DatabaseConfig database,
            Optional<Path> bootstrapTokenFile) {
        this(identity, server, database, bootstrapTokenFile, DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_INVALIDATION_RETENTION);
    }

    /** How long without a heartbeat before a node counts as down: three heartbeat intervals. */
    public Duration nodeDownAfter() {
        return heartbeatInterval.multipliedBy(3);
    }

    /** A duration as configuration spells it: {@code 500ms}, {@code 30s}. */
    private static String describe(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
