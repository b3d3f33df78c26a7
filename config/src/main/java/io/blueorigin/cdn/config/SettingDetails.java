package io.blueorigin.cdn.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the configuration reference (docs/configuration.md) says about a key beyond its {@link Setting}: the
 * bounds the code enforces on top of the value's type, how a change reaches a running node, and each
 * section's introduction.
 *
 * <p>The bounds are written here, next to the key, but enforced where the value is used (the components'
 * config records: {@code ServerConfig}, {@code UpstreamConfig}, {@code StorageConfig}, {@code AdminConfig},
 * {@code HealthCheckConfig}, {@code RouterConfig}, ...). {@code SettingDetailsTest} feeds each documented
 * bound's just-outside value through {@link NodeConfigs} and expects the start-up error naming the key, and
 * the just-inside value and expects none, so a bound changed in the code and not here fails a test.
 *
 * <p>Reload: no node re-reads its file while it runs; every key takes a restart (SIGTERM drains in-flight
 * requests for {@code server.stop-timeout}). What a running node does take without a restart comes from
 * admin, never from the file: {@link #reload} says so for the keys it concerns.
 */
public final class SettingDetails {

    /** What a key's reload column says unless {@link #RELOAD_NOTES} says more. */
    public static final String RESTART = "restart";

    /** Key -> the bounds enforced on top of its type, as shown to operators. */
    private static final Map<String, String> BOUNDS = new LinkedHashMap<>();

    /** Key -> what changes without a restart, for the keys whose effect admin can change live. */
    private static final Map<String, String> RELOAD_NOTES = new LinkedHashMap<>();

    /** A section of the reference: the first part of its keys' names, a title and what the section is for. */
    public record Section(String prefix, String title, String intro) {}

    /** Sections in the order of the reference; a key belongs to the one named by the part before its first dot. */
    public static final List<Section> SECTIONS = List.of(
            new Section("node", "Node identity and placement",
                    "Who the node is (its name appears in Via, Cache-Status, metrics and logs) and, for edges and "
                            + "shields, where it stands for geo routing. The placement is registered with admin at start."),
            new Section("server", "Traffic port",
                    "The port customers (or, for admin, API clients) reach, its thread pool and the limits that keep "
                            + "slow or greedy clients from holding it."),
            new Section("management", "Management port",
                    "/healthz, /readyz and /metrics on a port of their own, bound to loopback unless set."),
            new Section("access-log", "Access log",
                    "One line per request (docs/access-log.md)."),
            new Section("upstream", "Upstream (edge, shield)",
                    "Where misses go and how the node protects its upstream: timeouts, connection and request "
                            + "limits, the queue beyond them and the circuit breaker."),
            new Section("forwarding", "Forwarded request fields (edge, shield)",
                    "Which request fields reach the upstream and whose Forwarded / X-Forwarded-For are believed."),
            new Section("ratelimit", "Rate limit per client (edge)",
                    "The node's own token bucket per client address (docs/rate-limits.md); sites' limits come from "
                            + "their definitions."),
            new Section("cache", "Caching (edge, shield)",
                    "How long objects are served and what is stored (RFC 9111, docs/rfc9111-conformance.md); a "
                            + "site's own caching settings override some of these per site (docs/sites.md)."),
            new Section("sites", "Sites of a standalone node (edge, shield)",
                    "A node without admin declares its sites here; a node following admin takes admin's (docs/sites.md)."),
            new Section("store", "Storage (edge, shield)",
                    "The heap tier, the disk tier (RocksDB and a body file) and the heap budgets around them. Heap tier, "
                            + "disk index and in-flight budget together may use at most three quarters of the JVM heap (-Xmx)."),
            new Section("compression", "Compression (edge)",
                    "Responses compressed once per object and stored next to the identity copy (docs/compression.md)."),
            new Section("tls", "HTTPS and HTTP/2 (edge)",
                    "HTTPS beside the plain port, HTTP/2 by ALPN, certificates reloaded when their files change "
                            + "(docs/tls.md)."),
            new Section("control", "Control plane (edge, shield)",
                    "The admin a node follows: invalidation log, sites, registration, heartbeats (docs/control-plane.md)."),
            new Section("stats", "Statistics (edge, shield)",
                    "How the traffic a node reports in its heartbeat is broken down (docs/reporting.md)."),
            new Section("db", "Database (admin)",
                    "The PostgreSQL database of the control plane; its schema is migrated by Flyway (db/migrations)."),
            new Section("admin", "Admin",
                    "The control plane's own behaviour: heartbeats, how long the invalidation log is kept, the first token."),
            new Section("console", "Console (admin)",
                    "Sessions of the web console at /console/."),
            new Section("health", "Health checks (admin)",
                    "How admin probes every node's /readyz and decides healthy, degraded or down (docs/control-plane.md)."),
            new Section("routing", "Routing (router)",
                    "How the router follows admin's routing view and answers by HTTP redirect and DNS (docs/routing.md)."),
            new Section("origin", "Demo origin",
                    "The demo origin's content (for trying the CDN and for benchmarks)."));

    static {
        // node: NodeIdentity, Placement
        bound("node.latitude", "-90..90; set together with node.longitude");
        bound("node.longitude", "-180..180; set together with node.latitude");
        bound("node.weight", "1..1000");
        bound("node.addresses", "at most 16 IPv4 or IPv6 literals (no host names)");
        // server, management: ServerConfig
        bound("server.max-threads", ">= 8");
        bound("server.idle-timeout", "> 0s");
        bound("server.max-connections", ">= 1");
        bound("server.max-connections-per-client", "1..server.max-connections");
        bound("server.accept-queue-size", "1..65535");
        bound("server.header-timeout", "> 0s");
        bound("server.request-header-size", "1KB..1MB");
        bound("server.response-header-size", "4KB..1MB");
        bound("management.port", "not server.port when both bind the same address");
        // upstream: UpstreamConfig
        bound("upstream.url", "each URL once; no query or fragment");
        bound("upstream.connect-timeout", "> 0s");
        bound("upstream.read-timeout", "> 0s");
        bound("upstream.max-connections", ">= 1");
        bound("upstream.max-concurrent", ">= 1");
        bound("upstream.breaker.failures", ">= 1");
        bound("upstream.breaker.open-time", "> 0s");
        bound("upstream.max-concurrent-pass", "1..upstream.max-concurrent");
        bound("upstream.pass-timeout", "> 0s");
        // forwarding: ForwardingConfig
        bound("forwarding.strip-fields", "header field names, not Host, Forwarded or X-Forwarded-For");
        bound("forwarding.trusted-proxies", "IP addresses or CIDR ranges (10.0.0.0/8, fd00::/8)");
        // ratelimit: RateLimitConfig
        bound("ratelimit.rate", "1..1000000");
        bound("ratelimit.period", "1s..1d");
        bound("ratelimit.burst", "1..1000000");
        bound("ratelimit.applies-to", "all, misses");
        bound("ratelimit.max-entries", "1..10000000");
        bound("ratelimit.idle-expiry", "> 0s");
        // cache: CacheConfig, CachePolicyConfig
        bound("cache.request-no-cache", "revalidate, ignore");
        bound("cache.set-cookie", "pass, strip");
        bound("cache.collapse-timeout", "> 0s");
        bound("cache.slice-size", "0 (off) or 4KB..store.max-object-size");
        bound("cache.targeted-header", "a header field name: 1-64 letters, digits or '-'");
        // store: NodeConfigs.storage, StorageConfig
        bound("store.heap.max-size", "1MB..half the JVM heap");
        bound("store.heap.max-object-size", "1..store.heap.max-size");
        bound("store.disk.max-size", ">= 64MB (with store.disk.path)");
        bound("store.max-object-size", ">= 1; at most store.disk.max-size (with store.disk.path)");
        bound("store.chunk-size", "4KB..64MB");
        bound("store.in-flight.max-size", ">= 4 x store.chunk-size; with store.heap.max-size and "
                + "store.disk.index-max-size at most three quarters of the JVM heap");
        bound("store.disk.index-max-size", ">= 1MB");
        // compression: NodeConfigs.compression, CompressionPolicy
        bound("compression.codings", "br, gzip");
        bound("compression.types", "media types: type/subtype or type/*");
        bound("compression.max-size", ">= compression.min-size");
        bound("compression.gzip-level", "1..9");
        bound("compression.brotli-quality", "0..11");
        // control: ControlConfig
        bound("control.token", "required with control.admin-url");
        bound("control.heartbeat-interval", ">= 1s");
        bound("control.poll-wait", "0s..30s");
        // stats: UrlPatterns
        bound("stats.url-patterns", "at most 32 distinct patterns, each starting with /, at most 200 visible ASCII "
                + "characters, no ? or #");
        // db: DatabaseConfig
        bound("db.pool-size", "1..1000");
        bound("db.connect-timeout", ">= 250ms");
        // admin, console, health: AdminConfig, ConsoleConfig, HealthCheckConfig
        bound("admin.heartbeat-interval", "1s..1h");
        bound("admin.invalidation-retention", ">= 1h");
        bound("console.session-idle", "1m..console.session-lifetime");
        bound("console.session-lifetime", "<= 30d");
        bound("health.interval", "100ms..1m");
        bound("health.timeout", "50ms..less than health.interval");
        bound("health.rise", "1..100");
        bound("health.fall", "1..100");
        bound("health.max-invalidation-lag", ">= 1s");
        // routing: RouterConfig, RoutingPolicy
        bound("routing.token", "printable ASCII, not blank");
        bound("routing.tolerance-km", ">= 0");
        bound("routing.tolerance-fraction", "0..1");
        bound("routing.trusted-proxies", "IP addresses or CIDR ranges");
        bound("routing.poll-wait", "1s..30s");
        bound("routing.dns-bind-address", "an IP literal");
        bound("routing.dns-hostname", "a DNS name (labels of at most 63 characters), not the root");
        bound("routing.dns-ttl", "1s..1h");
        // origin: OriginConfig
        bound("origin.delay", "0s..60s");
        bound("origin.site", "1-63 lower-case letters, digits, '.', '_' or '-'");

        live("sites", "a node following admin takes admin's sites instead, live (PUT /api/v1/sites/{name})");
        live("upstream.url", "an edge following admin replaces its shield ring live with the shields admin lists "
                + "(upstream.shields-from-registry)");
        live("node.latitude", "unset: the POP's coordinates, which admin changes live (PUT /api/v1/pops/{name})");
        live("node.longitude", "unset: the POP's coordinates, which admin changes live (PUT /api/v1/pops/{name})");
        live("tls.keystore", "the file's content is re-read within tls.scan-interval of a change (a bad file keeps"
                + " the current certificate)");
        live("tls.certificate", "the file's content is re-read within tls.scan-interval of a change (a bad file"
                + " keeps the current certificate)");
        live("tls.private-key", "re-read with tls.certificate");
    }

    private SettingDetails() {}

    private static void bound(String key, String text) {
        if (BOUNDS.put(key, text) != null) {
            throw new IllegalStateException("bounds of " + key + " given twice");
        }
    }

    private static void live(String key, String text) {
        if (RELOAD_NOTES.put(key, text) != null) {
            throw new IllegalStateException("reload note of " + key + " given twice");
        }
    }

    /** The bounds the code enforces on {@code key} beyond its type, if any. */
    public static Optional<String> bounds(String key) {
        return Optional.ofNullable(BOUNDS.get(key));
    }

    /** Keys with documented bounds, in the reference's order. */
    public static List<String> boundedKeys() {
        return List.copyOf(BOUNDS.keySet());
    }

    /** How a change of {@code key} reaches a running node: always a restart, and what admin changes live. */
    public static String reload(String key) {
        return Optional.ofNullable(RELOAD_NOTES.get(key)).map(note -> RESTART + "; " + note).orElse(RESTART);
    }

    /** Keys whose reload column says more than {@link #RESTART}. */
    public static List<String> liveNoteKeys() {
        return List.copyOf(RELOAD_NOTES.keySet());
    }

    /** The environment variable that overrides {@code key}, if one does ({@link ConfigValues#ENVIRONMENT}). */
    public static Optional<String> environmentVariable(String key) {
        return ConfigValues.ENVIRONMENT.entrySet().stream().filter(e -> e.getValue().equals(key))
                .map(Map.Entry::getKey).findFirst();
    }

    /** The section {@code key} belongs to (by the part of its name before the first dot). */
    public static Optional<Section> section(String key) {
        int dot = key.indexOf('.');
        String prefix = dot < 0 ? key : key.substring(0, dot);
        return SECTIONS.stream().filter(s -> s.prefix().equals(prefix)).findFirst();
    }
}
