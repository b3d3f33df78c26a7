package io.blueorigin.cdn.admin;

import static io.blueorigin.cdn.config.NodeConfigs.build;
import static io.blueorigin.cdn.config.NodeConfigs.identity;
import static io.blueorigin.cdn.config.NodeConfigs.server;

import io.blueorigin.cdn.admin.AdminConfig;
import io.blueorigin.cdn.admin.console.ConsoleConfig;
import io.blueorigin.cdn.admin.db.DatabaseConfig;
import io.blueorigin.cdn.admin.health.HealthCheckConfig;
import io.blueorigin.cdn.config.ConfigValues;
import java.nio.file.Path;
import java.time.Duration;

/** Maps validated {@link ConfigValues} into an admin node's {@link AdminConfig}. */
public final class AdminConfigs {
    private AdminConfigs() {}

    public static AdminConfig admin(ConfigValues v) {
        return build(v, () -> new AdminConfig(identity(v), server(v), database(v), v.get("admin.bootstrap-token-file", Path.class),
                v.value("admin.heartbeat-interval", Duration.class), v.value("admin.invalidation-retention", Duration.class),
                new HealthCheckConfig(v.value("health.interval", Duration.class), v.value("health.timeout", Duration.class),
                        v.value("health.rise", Integer.class), v.value("health.fall", Integer.class),
                        v.value("health.max-invalidation-lag", Duration.class), v.value("health.flap-window", Duration.class)),
                new ConsoleConfig(v.value("console.session-idle", Duration.class),
                        v.value("console.session-lifetime", Duration.class))));
    }

    public static DatabaseConfig database(ConfigValues v) {
        return build(v, () -> new DatabaseConfig(
                v.required("db.url", String.class, "where the control plane's PostgreSQL is, e.g. --db-url jdbc:postgresql://127.0.0.1:5432/cdn"),
                v.value("db.user", String.class),
                v.value("db.password", String.class),
                v.value("db.pool-size", Integer.class),
                v.value("db.connect-timeout", Duration.class),
                v.value("db.migrate-on-start", Boolean.class)));
    }
}
