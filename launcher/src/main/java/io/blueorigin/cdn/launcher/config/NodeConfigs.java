package io.blueorigin.cdn.launcher.config;

import io.blueorigin.cdn.admin.AdminConfig;
import io.blueorigin.cdn.admin.db.DatabaseConfig;
import io.blueorigin.cdn.origin.OriginConfig;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.UpstreamConfig;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Maps validated {@link ConfigValues} into the components' config records. The records check their own
 * invariants (ranges, combinations); their messages start with the key, so a failure is reported with
 * where that key's value came from.
 */
public final class NodeConfigs {
    private NodeConfigs() {}

    public static NodeIdentity identity(ConfigValues v) {
        return build(v, () -> {
            String pop = v.value("node.pop", String.class);
            String name = v.get("node.name", String.class).orElse(v.role().label() + "-" + pop);
            return new NodeIdentity(v.role(), name, pop);
        });
    }

    public static ServerConfig server(ConfigValues v) {
        return build(v, () -> {
            String host = v.value("server.host", String.class);
            int port = v.value("server.port", Integer.class);
            int managementPort = v.get("management.port", Integer.class)
                    .orElseGet(() -> ServerConfig.defaultManagementPort(port));
            return new ServerConfig(host, port, v.get("management.host", String.class).orElse(host), managementPort,
                    v.value("server.max-threads", Integer.class),
                    v.value("server.idle-timeout", Duration.class),
                    v.value("server.stop-timeout", Duration.class),
                    v.get("access-log.path", Path.class));
        });
    }

    public static ProxyConfig proxy(ConfigValues v) {
        return build(v, () -> {
            URI upstream = v.required("upstream.url", URI.class, v.role() == Role.EDGE
                    ? "the shield or origin to fetch from, e.g. --upstream http://127.0.0.1:8082"
                    : "the origin to fetch from, e.g. --upstream http://127.0.0.1:9001");
            UpstreamConfig upstreamConfig = new UpstreamConfig(upstream,
                    v.value("upstream.connect-timeout", Duration.class),
                    v.value("upstream.read-timeout", Duration.class),
                    v.value("upstream.max-connections", Integer.class));
            return new ProxyConfig(identity(v), server(v), upstreamConfig);
        });
    }

    public static AdminConfig admin(ConfigValues v) {
        return build(v, () -> new AdminConfig(identity(v), server(v), database(v), v.get("admin.bootstrap-token-file", Path.class)));
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

    public static OriginConfig origin(ConfigValues v) {
        return build(v, () -> new OriginConfig(identity(v), server(v),
                v.value("origin.delay", Duration.class),
                v.value("origin.page-max-age", Duration.class),
                v.value("origin.static-max-age", Duration.class)));
    }

    /** Runs a record constructor, turning its {@code "key : value (expected: ...)"} into a sourced error. */
    private static <T> T build(ConfigValues v, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            int colon = message.indexOf(" : ");
            String key = colon > 0 ? message.substring(0, colon) : "";
            String source = Settings.find(key).isPresent() ? v.source(key) : "configuration";
            throw new ConfigException(source + ": " + message, e);
        }
    }
}
