package io.blueorigin.cdn.config;

import io.blueorigin.cdn.httpcache.DataSize;
import io.blueorigin.cdn.httpcache.site.SiteTable;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import io.blueorigin.cdn.runtime.TlsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Maps validated {@link ConfigValues} into the config records every node shares (identity, listeners, TLS,
 * standalone sites), and the helpers each role's own mapping uses ({@code ProxyConfigs} in proxy,
 * {@code AdminConfigs} in admin-webapp, {@code RoleConfigs} in the launcher). The records check their own
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
            ServerConfig.Limits limits = new ServerConfig.Limits(
                    v.value("server.max-connections", Integer.class),
                    v.value("server.max-connections-per-client", Integer.class),
                    v.value("server.header-timeout", Duration.class),
                    v.value("server.min-request-rate", DataSize.class).bytes(),
                    intSize(v, "server.request-header-size"),
                    intSize(v, "server.response-header-size"),
                    v.value("server.accept-queue-size", Integer.class));
            return new ServerConfig(host, port, v.value("management.host", String.class), managementPort,
                    v.value("server.max-threads", Integer.class),
                    v.value("server.idle-timeout", Duration.class),
                    v.value("server.stop-timeout", Duration.class),
                    v.get("access-log.path", Path.class),
                    limits, tls(v), v.role() == Role.EDGE && v.value("tls.h2c", Boolean.class));
        });
    }

    /**
     * The {@code tls.*} keys of an edge: HTTPS when {@code tls.port} is set, from a keystore or from PEM files
     * (exactly one of the two). The files themselves are read and checked when the node builds its server.
     */
    public static Optional<TlsConfig> tls(ConfigValues v) {
        if (v.role() != Role.EDGE || !v.isSet("tls.port")) {
            for (String key : List.of("tls.keystore", "tls.certificate", "tls.private-key")) {
                if (v.role() == Role.EDGE && v.isSet(key)) {
                    throw new ConfigException(v.source(key) + ": " + key + " : set, but tls.port is not (expected: "
                            + "tls.port, the HTTPS port, e.g. 8443, to turn HTTPS on)");
                }
            }
            return Optional.empty();
        }
        Optional<Path> keystore = v.get("tls.keystore", Path.class);
        Optional<Path> certificate = v.get("tls.certificate", Path.class);
        Optional<Path> privateKey = v.get("tls.private-key", Path.class);
        TlsConfig.Keys keys;
        if (keystore.isPresent()) {
            if (certificate.isPresent() || privateKey.isPresent()) {
                throw new ConfigException(v.source("tls.keystore") + ": tls.keystore : set together with "
                        + (certificate.isPresent() ? "tls.certificate" : "tls.private-key")
                        + " (expected: either a keystore or PEM files, not both)");
            }
            keys = new TlsConfig.KeyStoreFile(keystore.get(), v.value("tls.keystore-password", String.class));
        } else if (certificate.isPresent() && privateKey.isPresent()) {
            keys = new TlsConfig.PemFiles(certificate.get(), privateKey.get());
        } else {
            String missing = certificate.isPresent() ? "tls.private-key" : privateKey.isPresent() ? "tls.certificate"
                    : "tls.keystore";
            throw new ConfigException(v.source("tls.port") + ": " + missing + " is required with tls.port (expected: "
                    + "tls.keystore, a PKCS#12 file, or tls.certificate and tls.private-key, PEM files)");
        }
        return Optional.of(build(v, () -> new TlsConfig(v.value("tls.port", Integer.class), keys,
                TlsConfig.hsts(v.value("tls.hsts", String.class)), v.value("tls.scan-interval", Duration.class),
                v.value("tls.allow-expired", Boolean.class))));
    }

    /**
     * The {@code sites} of a standalone edge or shield (version 0), or none. A node following admin
     * ({@code control.admin-url}) takes admin's table, so declaring both is refused rather than one silently
     * replacing the other.
     */
    public static SiteTable sites(ConfigValues v) {
        if (!v.isSet(SiteDefinitions.KEY)) {
            return SiteTable.EMPTY;
        }
        if (v.isSet("control.admin-url")) {
            throw new ConfigException(v.source(SiteDefinitions.KEY) + ": sites : declared, but control.admin-url is set"
                    + " (from " + v.source("control.admin-url") + "): a node following admin serves admin's sites"
                    + " (PUT /api/v1/sites/{name}); declare sites only on a standalone node");
        }
        return v.value(SiteDefinitions.KEY, SiteTable.class);
    }

    /** A size key that must fit an int (header sections). */
    public static int intSize(ConfigValues v, String key) {
        long bytes = v.value(key, DataSize.class).bytes();
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " : " + bytes + " bytes (expected: at most 1MB)");
        }
        return (int) bytes;
    }

    /** One of an enum's constants, written in lower case in configuration. */
    public static <E extends Enum<E>> E choice(String value, String key, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException(key + " : '" + value + "' (expected: one of "
                + java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(java.util.Locale.ROOT))
                        .collect(java.util.stream.Collectors.joining(", ")) + ")");
    }

    /** Runs a record constructor, turning its {@code "key : value (expected: ...)"} into a sourced error. */
    public static <T> T build(ConfigValues v, Supplier<T> constructor) {
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
