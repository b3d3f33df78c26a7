package io.blueorigin.cdn.launcher.config;

import io.blueorigin.cdn.admin.AdminConfig;
import io.blueorigin.cdn.admin.console.ConsoleConfig;
import io.blueorigin.cdn.admin.db.DatabaseConfig;
import io.blueorigin.cdn.admin.health.HealthCheckConfig;
import io.blueorigin.cdn.httpcache.CachePolicyConfig;
import io.blueorigin.cdn.httpcache.DataSize;
import io.blueorigin.cdn.httpcache.encoding.Coding;
import io.blueorigin.cdn.httpcache.encoding.CompressionPolicy;
import io.blueorigin.cdn.httpcache.site.SiteRateLimit;
import io.blueorigin.cdn.httpcache.site.SiteTable;
import io.blueorigin.cdn.origin.OriginConfig;
import io.blueorigin.cdn.proxy.CacheConfig;
import io.blueorigin.cdn.proxy.ForwardingConfig;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.UrlPatterns;
import io.blueorigin.cdn.proxy.UpstreamConfig;
import io.blueorigin.cdn.proxy.control.ControlConfig;
import io.blueorigin.cdn.proxy.control.Placement;
import io.blueorigin.cdn.proxy.ratelimit.RateLimitConfig;
import io.blueorigin.cdn.router.RouterConfig;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import io.blueorigin.cdn.runtime.TlsConfig;
import io.blueorigin.cdn.storage.StorageConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
            ServerConfig.Limits limits = new ServerConfig.Limits(
                    v.value("server.max-connections", Integer.class),
                    v.value("server.max-connections-per-client", Integer.class),
                    v.value("server.header-timeout", Duration.class),
                    v.value("server.min-request-rate", DataSize.class).bytes(),
                    intSize(v, "server.request-header-size"),
                    intSize(v, "server.response-header-size"));
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

    public static ProxyConfig proxy(ConfigValues v) {
        return build(v, () -> {
            @SuppressWarnings("unchecked")
            List<URI> upstreams = v.required("upstream.url", List.class, v.role() == Role.EDGE
                    ? "the shield(s) or origin to fetch from, e.g. --upstream http://127.0.0.1:8082"
                    : "the origin to fetch from, e.g. --upstream http://127.0.0.1:9001");
            UpstreamConfig upstreamConfig = new UpstreamConfig(upstreams,
                    v.get("upstream.fallback-url", URI.class),
                    v.value("upstream.connect-timeout", Duration.class),
                    v.value("upstream.read-timeout", Duration.class),
                    v.value("upstream.max-connections", Integer.class),
                    v.value("upstream.down-time", Duration.class),
                    v.value("upstream.max-concurrent", Integer.class),
                    v.value("upstream.max-queued", Integer.class),
                    v.value("upstream.breaker.failures", Integer.class),
                    v.value("upstream.breaker.open-time", Duration.class),
                    v.get("upstream.max-concurrent-pass", Integer.class).orElseGet(() ->
                            UpstreamConfig.defaultMaxConcurrentPass(v.value("upstream.max-concurrent", Integer.class))),
                    v.value("upstream.pass-timeout", Duration.class))
                    .withToOrigins(v.role() == Role.EDGE && v.value("upstream.to-origins", Boolean.class));
            return new ProxyConfig(identity(v), server(v), upstreamConfig, cache(v), control(v), forwarding(v))
                    .withSites(sites(v))
                    .withRateLimit(rateLimit(v))
                    .withCompression(v.role() == Role.EDGE ? compression(v) : CompressionPolicy.off())
                    .withUrlPatterns(urlPatterns(v));
        });
    }

    /** The {@code stats.url-patterns} of an edge or shield; a bad pattern is an error naming the key and the file. */
    @SuppressWarnings("unchecked")
    public static UrlPatterns urlPatterns(ConfigValues v) {
        return build(v, () -> UrlPatterns.of(v.value(UrlPatterns.KEY, List.class)));
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

    /** The {@code forwarding.*} keys of an edge or shield. */
    @SuppressWarnings("unchecked")
    public static ForwardingConfig forwarding(ConfigValues v) {
        return build(v, () -> new ForwardingConfig(v.value("forwarding.strip-fields", List.class),
                v.value("forwarding.trusted-proxies", List.class)));
    }

    /** The {@code ratelimit.*} keys of an edge; a shield's are the defaults (its clients are edges). */
    public static RateLimitConfig rateLimit(ConfigValues v) {
        if (v.role() != Role.EDGE) {
            return RateLimitConfig.defaults();
        }
        return build(v, () -> new RateLimitConfig(v.value("ratelimit.enabled", Boolean.class),
                v.value("ratelimit.rate", Integer.class), v.value("ratelimit.period", Duration.class),
                v.value("ratelimit.burst", Integer.class),
                choice(v.value("ratelimit.applies-to", String.class), "ratelimit.applies-to", SiteRateLimit.AppliesTo.class),
                v.value("ratelimit.max-entries", Integer.class), v.value("ratelimit.idle-expiry", Duration.class)));
    }

    /**
     * The {@code compression.*} keys of an edge, as the policy its compressor and variant selection follow
     * (docs/compression.md); {@link CompressionPolicy#off()} when
     * {@code compression.enabled} is false or {@code compression.codings} is empty.
     */
    @SuppressWarnings("unchecked")
    public static CompressionPolicy compression(ConfigValues v) {
        return build(v, () -> {
            Set<Coding> codings =
                    EnumSet.noneOf(Coding.class);
            for (String token : (List<String>) v.value("compression.codings", List.class)) {
                Coding coding = Coding.of(token)
                        .filter(c -> c != Coding.IDENTITY)
                        .orElseThrow(() -> new IllegalArgumentException("compression.codings : '" + token
                                + "' (expected: br, gzip or both, comma-separated)"));
                codings.add(coding);
            }
            if (!v.value("compression.enabled", Boolean.class)) {
                codings.clear();
            }
            return new CompressionPolicy(codings,
                    (List<String>) v.value("compression.types", List.class),
                    v.value("compression.min-size", DataSize.class).bytes(),
                    v.value("compression.max-size", DataSize.class).bytes(),
                    v.value("compression.gzip-level", Integer.class),
                    v.value("compression.brotli-quality", Integer.class));
        });
    }

    /** A size key that must fit an int (header sections). */
    private static int intSize(ConfigValues v, String key) {
        long bytes = v.value(key, DataSize.class).bytes();
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " : " + bytes + " bytes (expected: at most 1MB)");
        }
        return (int) bytes;
    }

    /** The {@code control.*} keys of an edge or shield. */
    public static ControlConfig control(ConfigValues v) {
        return build(v, () -> new ControlConfig(v.get("control.admin-url", URI.class), v.get("control.token", String.class),
                v.value("control.heartbeat-interval", Duration.class), v.value("control.poll-wait", Duration.class),
                v.value("control.ordering-wait", Duration.class), v.value("control.startup-wait", Duration.class),
                placement(v), v.get("upstream.shields-from-registry", Boolean.class).orElse(false)));
    }

    /** The {@code node.*} keys a proxy node registers for routing. */
    @SuppressWarnings("unchecked")
    private static Placement placement(ConfigValues v) {
        return new Placement(v.get("node.latitude", Double.class).orElse(null),
                v.get("node.longitude", Double.class).orElse(null), v.value("node.weight", Integer.class),
                v.get("node.public-url", URI.class), (List<String>) v.value("node.addresses", List.class),
                v.get("node.advertised-host", String.class));
    }

    public static CacheConfig cache(ConfigValues v) {
        return build(v, () -> {
            List<String> targeted = new ArrayList<>();
            v.get("cache.targeted-header", String.class).filter(h -> !h.isBlank()).ifPresent(h -> {
                if (!h.matches("[A-Za-z0-9-]{1,64}")) {
                    throw new IllegalArgumentException("cache.targeted-header : '" + h
                            + "' (expected: a header field name such as Acme-Cache-Control)");
                }
                targeted.add(h);
            });
            targeted.add("CDN-Cache-Control");
            CachePolicyConfig policy = new CachePolicyConfig(
                    v.value("cache.ttl-cap", Duration.class).toMillis(),
                    0.1,
                    v.value("cache.heuristic-max", Duration.class).toMillis(),
                    v.value("cache.negative-ttl", Duration.class).toMillis(),
                    v.value("cache.error-ttl", Duration.class).toMillis(),
                    v.value("cache.max-stale-on-error", Duration.class).toMillis(),
                    choice(v.value("cache.request-no-cache", String.class), "cache.request-no-cache",
                            CachePolicyConfig.RequestNoCache.class),
                    choice(v.value("cache.set-cookie", String.class), "cache.set-cookie", CachePolicyConfig.SetCookie.class),
                    targeted);
            return new CacheConfig(v.value("cache.site", String.class), policy, storage(v),
                    v.value("cache.collapse-timeout", Duration.class), v.value("cache.hit-for-miss-ttl", Duration.class),
                    v.value("cache.slice-size", DataSize.class).bytes());
        });
    }

    /**
     * The {@code store.*} keys. The heap tier's defaults follow the JVM heap, and may not exceed half of it;
     * heap tier, disk index and in-flight budget together may not exceed three quarters of it.
     */
    public static StorageConfig storage(ConfigValues v) {
        return build(v, () -> {
            long jvmHeap = Runtime.getRuntime().maxMemory();
            long heap = v.get("store.heap.max-size", DataSize.class).map(DataSize::bytes)
                    .orElse(Math.max(4L << 20, Math.min(256L << 20, jvmHeap / 4)));
            if (heap > jvmHeap / 2) {
                throw new IllegalArgumentException("store.heap.max-size : " + DataSize.ofBytes(heap)
                        + " (expected: at most half the JVM heap, " + DataSize.ofBytes(jvmHeap / 2)
                        + "; raise -Xmx or lower the setting)");
            }
            long heapObject = v.get("store.heap.max-object-size", DataSize.class).map(DataSize::bytes)
                    .orElse(Math.min(8L << 20, heap / 4));
            long chunk = v.value("store.chunk-size", DataSize.class).bytes();
            Optional<java.nio.file.Path> disk = v.get("store.disk.path", java.nio.file.Path.class);
            long maxObject = v.value("store.max-object-size", DataSize.class).bytes();
            long diskMax = v.value("store.disk.max-size", DataSize.class).bytes();
            long inFlight = v.get("store.in-flight.max-size", DataSize.class).map(DataSize::bytes)
                    .orElse(Math.max(StorageConfig.defaultInFlightBytes(), 4 * chunk));
            long index = v.get("store.disk.index-max-size", DataSize.class).map(DataSize::bytes)
                    .orElse(StorageConfig.defaultDiskIndexBytes());
            // the heap tier, the disk index and bodies in transit share the JVM heap with Jetty and the rest
            long memory = heap + (disk.isPresent() ? index : 0) + inFlight;
            if (memory > jvmHeap / 4 * 3) {
                throw new IllegalArgumentException("store.in-flight.max-size : " + DataSize.ofBytes(inFlight)
                        + " (expected: store.heap.max-size " + DataSize.ofBytes(heap)
                        + (disk.isPresent() ? " + store.disk.index-max-size " + DataSize.ofBytes(index) : "")
                        + " + store.in-flight.max-size at most three quarters of the JVM heap, " + DataSize.ofBytes(jvmHeap / 4 * 3)
                        + "; raise -Xmx or lower them)");
            }
            return new StorageConfig(heap, heapObject, disk, disk.isPresent() ? diskMax : 0,
                    disk.isPresent() ? maxObject : Math.min(maxObject, heapObject), (int) Math.min(Integer.MAX_VALUE, chunk),
                    inFlight, index);
        });
    }

    /** One of an enum's constants, written in lower case in configuration. */
    private static <E extends Enum<E>> E choice(String value, String key, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException(key + " : '" + value + "' (expected: one of "
                + java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(java.util.Locale.ROOT))
                        .collect(java.util.stream.Collectors.joining(", ")) + ")");
    }

    public static AdminConfig admin(ConfigValues v) {
        return build(v, () -> new AdminConfig(identity(v), server(v), database(v), v.get("admin.bootstrap-token-file", Path.class),
                v.value("admin.heartbeat-interval", Duration.class), v.value("admin.invalidation-retention", Duration.class),
                new HealthCheckConfig(v.value("health.interval", Duration.class), v.value("health.timeout", Duration.class),
                        v.value("health.rise", Integer.class), v.value("health.fall", Integer.class),
                        v.value("health.max-invalidation-lag", Duration.class), v.value("health.flap-window", Duration.class)),
                new ConsoleConfig(v.value("console.session-idle", Duration.class),
                        v.value("console.session-lifetime", Duration.class))));
    }

    /** The {@code routing.*} keys of a router node. */
    @SuppressWarnings("unchecked")
    public static RouterConfig router(ConfigValues v) {
        return build(v, () -> RouterConfig.of(identity(v), server(v),
                        v.required("routing.admin-url", URI.class, "the admin whose routing view to follow, e.g. http://127.0.0.1:9000"),
                        v.required("routing.token", String.class, "a token of scope read (POST /api/v1/tokens on admin); set "
                                + "it in the CDN_ROUTING_TOKEN environment variable rather than in a file"),
                        v.required("routing.geoip-db", Path.class, "a GeoIP2 or GeoLite2 City .mmdb file"))
                .withDefaultPop(v.get("routing.default-pop", String.class).orElse(null))
                .withTolerance(v.value("routing.tolerance-km", Double.class), v.value("routing.tolerance-fraction", Double.class))
                .withTrustedProxies(RouterConfig.trustedProxies((List<String>) v.value("routing.trusted-proxies", List.class)))
                .withPollWait(v.value("routing.poll-wait", Duration.class))
                .withDns(v.value("routing.dns-port", Integer.class), v.value("routing.dns-bind-address", String.class),
                        v.value("routing.dns-hostname", String.class), v.value("routing.dns-ttl", Duration.class))
                .withoutDnsIf(v.value("routing.dns-port", Integer.class) == 0)
                .withViewFile(v.get("routing.view-file", Path.class).orElse(null)));
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
                v.value("origin.static-max-age", Duration.class),
                v.get("origin.site", String.class).orElse("")));
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
