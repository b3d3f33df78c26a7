package io.blueorigin.cdn.launcher;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.AdminConfig;
import io.blueorigin.cdn.admin.AdminNode;
import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.db.ApiTokens;
import io.blueorigin.cdn.admin.db.DatabaseConfig;
import io.blueorigin.cdn.edge.EdgeNode;
import io.blueorigin.cdn.origin.DemoOrigin;
import io.blueorigin.cdn.origin.OriginConfig;
import io.blueorigin.cdn.proxy.CacheConfig;
import io.blueorigin.cdn.proxy.ForwardingConfig;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.control.ControlConfig;
import io.blueorigin.cdn.proxy.control.Placement;
import io.blueorigin.cdn.router.RouterConfig;
import io.blueorigin.cdn.router.RouterNode;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.proxy.UpstreamConfig;
import io.blueorigin.cdn.runtime.Node;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import io.blueorigin.cdn.runtime.TlsConfig;
import io.blueorigin.cdn.shield.ShieldNode;
import io.blueorigin.cdn.storage.StorageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo topology in one process, as in the seeds' full-system lab:
 *
 * <pre>
 *   client ─► edge-nyc :8080 ─┐   consistent hash   ┌─► shield-iad :8082 ─┐   www ─► origin     :9001
 *                             ├──── of the key ─────┤                     ├─┤
 *   client ─► edge-lhr :8081 ─┘                     └─► shield-ord :8083 ─┘   img ─► origin-img :9002
 *   admin :9000 ── embedded PostgreSQL (data under --data-dir)
 *   router :9080 (HTTP /route, /api/v1/route) and :5353 (DNS cdn.demo.test) ── follows admin's routing view
 * </pre>
 *
 * Geo routing: the POPs nyc, lhr, iad and ord are declared in admin with their coordinates; the router locates
 * clients with MaxMind's test City database (shipped in the launcher, copied to {@code <data-dir>/geoip/};
 * it knows only a few test networks, e.g. 81.2.69.160 in London and 214.78.120.0/22 in San Diego) and sends
 * each to the nearest healthy edge. DNS carries addresses, not ports: edge-nyc registers 127.0.0.1 and
 * edge-lhr 127.0.0.2 as its DNS addresses, so the two answers can be told apart.
 *
 * Two sites (docs/sites.md), declared through admin's API ({@code PUT /api/v1/sites/{name}}, with the admin
 * token) once admin is up and before any edge or shield starts, so every node gets them at registration:
 * {@code www} claims {@code www.demo.test} and fetches from the origin on :9001, {@code img} claims
 * {@code img.demo.test} and fetches from the second origin on :9002, whose pages name their site, so the
 * two answer {@code /item/1} differently. Every node's {@code cache.site} is {@code www}: a host no site
 * claims ({@code 127.0.0.1:8080}) is served as {@code www}, as before sites existed.
 *
 * Every node also listens on its management port (traffic port + 10000); edges and shields keep their
 * disk tier under {@code <data-dir>/cache/<node>}, so a restarted demo serves its cached objects at once.
 * edge-nyc also serves HTTPS on 8443 (HTTP/2 by ALPN) with a self-signed certificate made at start
 * ({@link DemoCertificate}, in {@code <data-dir>/tls/edge.crt}).
 * Edges, shields and admin write their access log ({@link io.blueorigin.cdn.runtime.AccessLog}) to
 * {@code <data-dir>/logs/<node>.access.log}, appended across restarts. Nodes start dependencies first
 * (database, admin, origin, shield, edges) and stop in reverse. With {@link Ports#EPHEMERAL} every port is
 * picked free, for tests that run beside a real demo.
 */
public final class Demo implements AutoCloseable {
    /** Directory under the data directory that holds the access logs. */
    static final String LOGS = "logs";
    /** A node's access log is {@code <data-dir>/logs/<node name>} followed by this. */
    static final String ACCESS_LOG_SUFFIX = ".access.log";

    /** Which ports the demo binds. */
    public enum Ports {
        /** admin 9000, origins 9001 (www) and 9002 (img), shields 8082 and 8083, edges 8080 and 8081; management +10000. */
        STANDARD,
        /** Free ports picked by the OS (tests). */
        EPHEMERAL
    }

    /**
     * @param dataDir where PostgreSQL's data, the admin token and access logs live
     * @param host address every node binds
     * @param ports fixed demo ports or ephemeral ones
     */
    public record Spec(Path dataDir, String host, Ports ports) {
        public Spec {
            requireNonNull(dataDir, "dataDir is null");
            requireNonNull(host, "host is null");
            requireNonNull(ports, "ports is null");
        }
    }

    /** The site of requests whose host no site claims: every demo node's {@code cache.site}. */
    public static final String DEFAULT_SITE = "www";
    /** The demo's sites: name -> the host it claims (the first origin serves www, the second img). */
    public static final Map<String, String> SITE_HOSTS = Map.of("www", "www.demo.test", "img", "img.demo.test");
    /** The demo's POPs and their coordinates (latitude, longitude): the edges' and the shields'. */
    static final Map<String, double[]> POPS = Map.of("nyc", new double[] {40.7128, -74.0060},
            "lhr", new double[] {51.4700, -0.4543}, "iad", new double[] {38.9531, -77.4565},
            "ord", new double[] {41.9786, -87.9048});
    /** The address each edge registers for DNS answers (DNS carries no port: they differ so answers can be told apart). */
    static final Map<String, String> DNS_ADDRESSES = Map.of("nyc", "127.0.0.1", "lhr", "127.0.0.2");
    /** Directory under the data directory with edge-nyc's self-signed certificate ({@link DemoCertificate}). */
    static final String TLS = "tls";
    /** edge-nyc's HTTPS port. */
    public static final int HTTPS_PORT = 8443;
    /** The router's DNS port and the name it answers for. */
    public static final int DNS_PORT = 5353;
    public static final String DNS_HOSTNAME = "cdn.demo.test";
    private static final String GEOIP_DB = "GeoIP2-City-Test.mmdb";

    private final Spec spec;
    private final DemoPostgres postgres;
    private final AdminNode admin;
    private final DemoOrigin origin;
    private final DemoOrigin imgOrigin;
    private final List<ProxyNode> shields;
    private final List<ProxyNode> edges;
    private final RouterNode router;
    /** Everything started, in start order; closed in reverse. */
    private final List<AutoCloseable> started;

    private Demo(Spec spec, DemoPostgres postgres, AdminNode admin, DemoOrigin origin, DemoOrigin imgOrigin,
            List<ProxyNode> shields, List<ProxyNode> edges, RouterNode router, List<AutoCloseable> started) {
        this.spec = spec;
        this.postgres = postgres;
        this.admin = admin;
        this.origin = origin;
        this.imgOrigin = imgOrigin;
        this.shields = List.copyOf(shields);
        this.edges = List.copyOf(edges);
        this.router = router;
        this.started = List.copyOf(started);
    }

    /** Starts the topology; on failure stops whatever had started and rethrows. */
    public static Demo start(Spec spec) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            Path dataDir = spec.dataDir().toAbsolutePath().normalize();
            Path logs = Files.createDirectories(dataDir.resolve(LOGS));
            DemoPostgres postgres = DemoPostgres.start(dataDir.resolve("postgres"));
            started.add(postgres);

            NodeIdentity adminId = new NodeIdentity(Role.ADMIN, "admin", "local");
            AdminNode admin = AdminNode.start(new AdminConfig(adminId, server(spec, 9000, accessLog(logs, adminId)),
                    new DatabaseConfig(postgres.jdbcUrl(), "postgres", "", 10, Duration.ofSeconds(5), true),
                    Optional.of(dataDir.resolve("admin.token"))));
            started.add(admin);

            DemoOrigin origin = DemoOrigin.start(new OriginConfig(new NodeIdentity(Role.ORIGIN, "origin", "local"),
                    server(spec, 9001, Optional.empty()), Duration.ofMillis(50), Duration.ofSeconds(60), Duration.ofDays(1),
                    "www"));
            started.add(origin);
            DemoOrigin imgOrigin = DemoOrigin.start(new OriginConfig(new NodeIdentity(Role.ORIGIN, "origin-img", "local"),
                    server(spec, 9002, Optional.empty()), Duration.ofMillis(50), Duration.ofSeconds(60), Duration.ofDays(1),
                    "img"));
            started.add(imgOrigin);

            // the sites go into admin before any node registers, so every node starts with them
            // www's /private/ needs signed URLs (docs/signed-urls.md): blue-origin sign --site www --path /private/...
            String sitesToken = adminToken(admin, dataDir);
            DemoSites.declare(admin.uri(), sitesToken, List.of(
                    DemoSites.withSigning(DemoSites.definition("www", SITE_HOSTS.get("www"), origin.uri()), "/private/"),
                    DemoSites.definition("img", SITE_HOSTS.get("img"), imgOrigin.uri())));
            DemoSites.ensureSigningKey(admin.uri(), sitesToken, "www");
            DemoSites.declarePops(admin.uri(), sitesToken, POPS);

            // every proxy node follows admin's invalidation log with its own node token, made for this run
            List<ProxyNode> shields = new ArrayList<>();
            int shieldPort = 8082;
            for (String pop : List.of("iad", "ord")) {
                NodeIdentity id = NodeIdentity.of(Role.SHIELD, pop);
                // the edges are on this machine: a shield keeps what they say of their clients (Forwarded, X-Forwarded-For)
                ProxyNode shield = ShieldNode.start(withDefaultSite(withStore(ProxyConfig.of(id,
                        server(spec, shieldPort++, accessLog(logs, id)), UpstreamConfig.of(origin.uri()))
                        .withControl(ControlConfig.of(admin.uri(), nodeToken(admin, id.name())))
                        .withForwarding(ForwardingConfig.defaults().withTrustedProxies(List.of("127.0.0.0/8", "::1"))), dataDir)));
                started.add(shield);
                shields.add(shield);
            }

            // edges pick a shield per cache key on a consistent-hash ring, and go to the origin if both are down
            UpstreamConfig edgeUpstream = UpstreamConfig.of(shields.stream().map(ProxyNode::uri).toList(),
                    Optional.of(origin.uri()));
            List<ProxyNode> edges = new ArrayList<>();
            DemoCertificate.Files certificate = DemoCertificate.write(dataDir.resolve(TLS), spec.host());
            int port = 8080;
            for (String pop : List.of("nyc", "lhr")) {
                NodeIdentity id = NodeIdentity.of(Role.EDGE, pop);
                ServerConfig edgeServer = server(spec, port++, accessLog(logs, id));
                if (pop.equals("nyc")) {
                    // edge-nyc also serves HTTPS (HTTP/2 by ALPN) with a self-signed certificate made now
                    edgeServer = edgeServer.withTls(new TlsConfig(spec.ports() == Ports.STANDARD ? HTTPS_PORT : 0,
                            new TlsConfig.PemFiles(certificate.certificate(), certificate.privateKey()), Optional.empty(),
                            Duration.ofSeconds(10), false));
                }
                ProxyNode edge = EdgeNode.start(withDefaultSite(withStore(ProxyConfig.of(id, edgeServer, edgeUpstream)
                        .withControl(ControlConfig.of(admin.uri(), nodeToken(admin, id.name()))
                                .withPlacement(new Placement(null, null, Placement.DEFAULT_WEIGHT, Optional.empty(),
                                        List.of(DNS_ADDRESSES.get(pop)), Optional.empty()))), dataDir)));
                started.add(edge);
                edges.add(edge);
            }

            // the router follows admin's routing view with a read token, locates clients with the test City database
            RouterNode router = RouterNode.start(RouterConfig.of(new NodeIdentity(Role.ROUTER, "router", "local"),
                    server(spec, 9080, Optional.empty()), admin.uri(), routerToken(admin), geoipDatabase(dataDir))
                    .withDefaultPop("nyc")
                    .withDns(spec.ports() == Ports.STANDARD ? DNS_PORT : 0, spec.host(), DNS_HOSTNAME,
                            RouterConfig.DEFAULT_DNS_TTL)
                    .withViewFile(dataDir.resolve("routing-view.json")));
            started.add(router);
            return new Demo(spec, postgres, admin, origin, imgOrigin, shields, edges, router, started);
        } catch (java.io.IOException e) {
            stop(started);
            throw new io.blueorigin.cdn.runtime.StartupException("cannot create the demo's data directory "
                    + spec.dataDir() + " (--data-dir): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            stop(started);
            throw e;
        }
    }

    /** A token of scope read for the router (a new one each run). */
    private static String routerToken(AdminNode admin) {
        try {
            return admin.tokens().create("demo router", List.of(Scope.READ));
        } catch (java.sql.SQLException e) {
            throw new io.blueorigin.cdn.runtime.StartupException("cannot create the demo router's token: " + e.getMessage(), e);
        }
    }

    /** MaxMind's test City database, copied from the launcher to {@code <data-dir>/geoip/} (replaced each start). */
    private static Path geoipDatabase(Path dataDir) throws java.io.IOException {
        Path dir = Files.createDirectories(dataDir.resolve("geoip"));
        for (String name : List.of(GEOIP_DB, "LICENSE-APACHE", "LICENSE-MIT", "README.md")) {
            try (var in = Demo.class.getResourceAsStream("/demo/geoip/" + name)) {
                if (in == null) {
                    throw new io.blueorigin.cdn.runtime.StartupException("the launcher lacks its resource /demo/geoip/" + name
                            + " (a broken build?)");
                }
                Files.copy(in, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir.resolve(GEOIP_DB);
    }

    /** The node token of demo node {@code nodeName} (a new one each run: the database may be new too). */
    private static String nodeToken(AdminNode admin, String nodeName) {
        try {
            return new ApiTokens(admin.database().dataSource()).createNodeToken(nodeName);
        } catch (java.sql.SQLException e) {
            throw new io.blueorigin.cdn.runtime.StartupException("cannot create the node token of demo node " + nodeName
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * A token of scope admin for declaring the sites: the bootstrap token on the first start, then the one it
     * left in {@code <data-dir>/admin.token}; if that file is gone, a new admin token for this run.
     */
    private static String adminToken(AdminNode admin, Path dataDir) {
        if (admin.bootstrapToken().isPresent()) {
            return admin.bootstrapToken().get();
        }
        Path file = dataDir.resolve("admin.token");
        try {
            if (Files.isRegularFile(file)) {
                String token = Files.readString(file).trim();
                if (admin.tokens().authenticate(token).filter(t -> t.allows(Scope.ADMIN)).isPresent()) {
                    return token;
                }
            }
            return admin.tokens().create("demo sites", List.of(Scope.ADMIN));
        } catch (java.io.IOException | java.sql.SQLException e) {
            throw new io.blueorigin.cdn.runtime.StartupException("cannot get an admin token to declare the demo's sites: "
                    + e.getMessage(), e);
        }
    }

    /** The node serves a host no site claims as {@link #DEFAULT_SITE}. */
    private static ProxyConfig withDefaultSite(ProxyConfig config) {
        CacheConfig cache = config.cache();
        return config.withCache(new CacheConfig(DEFAULT_SITE, cache.policy(), cache.storage(), cache.collapseTimeout(),
                cache.hitForMissTtl(), cache.sliceSize()));
    }

    /**
     * Every proxy node of the demo gets a disk tier under {@code <data-dir>/cache/<node>} (so it restarts
     * warm). Four proxy nodes share the JVM with admin and the origin, so each gets a sixteenth of the heap
     * for its heap tier (at most 64 MB) and a thirty-second for its disk index (at most 32 MB), and the
     * process's one budget for bodies in transit is an eighth of it: at -Xmx256m, 4 x 16 + 4 x 8 + 32 = 128 MB,
     * half the heap, the rest for Jetty, admin's database pool and the origin.
     */
    private static ProxyConfig withStore(ProxyConfig config, Path dataDir) throws java.io.IOException {
        Path dir = Files.createDirectories(dataDir.resolve("cache").resolve(config.identity().name()));
        long jvmHeap = Runtime.getRuntime().maxMemory();
        long heap = Math.max(4L << 20, Math.min(64L << 20, jvmHeap / 16));
        long index = Math.max(1L << 20, Math.min(32L << 20, jvmHeap / 32));
        StorageConfig storage = config.cache().storage().withHeap(heap, Math.min(4L << 20, heap / 4))
                .withMaxObject(2L << 30).withDisk(dir, 4L << 30)
                .withMemory(StorageConfig.defaultInFlightBytes(), index);
        return config.withCache(config.cache().withStorage(storage));
    }

    private static ServerConfig server(Spec spec, int standardPort, Optional<Path> accessLog) {
        int port = spec.ports() == Ports.STANDARD ? standardPort : 0;
        return new ServerConfig(spec.host(), port, spec.host(), ServerConfig.defaultManagementPort(port), 200,
                Duration.ofSeconds(30), Duration.ofSeconds(2), accessLog);
    }

    /** {@code <logs>/<node>.access.log}. */
    private static Optional<Path> accessLog(Path logs, NodeIdentity node) {
        return Optional.of(logs.resolve(node.name() + ACCESS_LOG_SUFFIX));
    }

    private static void stop(List<AutoCloseable> started) {
        List<AutoCloseable> reverse = new ArrayList<>(started);
        java.util.Collections.reverse(reverse);
        NodeRunner.closeAll(reverse);
    }

    public AdminNode admin() {
        return admin;
    }

    /** The origin of site {@code www} (:9001). */
    public DemoOrigin origin() {
        return origin;
    }

    /** The origin of site {@code img} (:9002). */
    public DemoOrigin imgOrigin() {
        return imgOrigin;
    }

    /** The shields, iad first. */
    public List<ProxyNode> shields() {
        return shields;
    }

    /** edge-nyc's self-signed certificate (PEM), for {@code curl --cacert}. */
    public Path certificateFile() {
        return spec.dataDir().resolve(TLS).resolve("edge.crt");
    }

    /** The edges, nyc first. */
    public List<ProxyNode> edges() {
        return edges;
    }

    /** The router (:9080, DNS :5353). */
    public RouterNode router() {
        return router;
    }

    /** The table printed at start: every node's URLs, the admin token, what to try. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append("\nBlue Origin CDN demo is up (data in ").append(spec.dataDir()).append(")\n\n");
        out.append(String.format("  %-11s %-7s %-28s %s%n", "node", "role", "traffic", "management"));
        List<Node> nodes = new ArrayList<>(edges);
        nodes.addAll(shields);
        nodes.add(origin);
        nodes.add(imgOrigin);
        nodes.add(admin);
        nodes.add(router);
        for (Node node : nodes) {
            out.append(String.format("  %-11s %-7s %-28s %s%n", node.identity().name(), node.identity().role().label(),
                    node.uri(), node.managementUri() + "/healthz"));
        }
        ProxyNode tlsEdge = edges.get(0);
        tlsEdge.httpsUri().ifPresent(https -> out.append(String.format("  %-11s %-7s %-28s %s%n",
                tlsEdge.identity().name(), "https", https, "self-signed: " + certificateFile())));
        out.append(String.format("  %-11s %-7s %s%n", "postgres", "db", postgres.jdbcUrl() + " (user postgres)"));
        out.append(String.format("  %-11s %-7s %s%n", "logs", "dir", spec.dataDir().resolve(LOGS)
                + "/<node>" + ACCESS_LOG_SUFFIX + " (edges, shields, admin; docs/access-log.md)"));
        out.append(String.format("%n  %-11s %-16s %s%n", "site", "host", "origin"));
        out.append(String.format("  %-11s %-16s %s%n", "www", SITE_HOSTS.get("www") + ",", origin.uri()));
        out.append(String.format("  %-11s %-16s%n", "", "any other host"));
        out.append(String.format("  %-11s %-16s %s%n", "img", SITE_HOSTS.get("img"), imgOrigin.uri()));
        out.append('\n');
        Path tokenFile = spec.dataDir().resolve("admin.token");
        out.append(admin.bootstrapToken()
                .map(t -> "Admin token (shown once, also in " + tokenFile + "):\n  " + t + "\n")
                .orElse("Admin token: created on the first start, in " + tokenFile + "\n"));
        Path passwordFile = spec.dataDir().resolve("admin.token.console-password");
        out.append("Console: ").append(admin.uri()).append("/console/  user admin, password ").append(admin.bootstrapPassword()
                .map(p -> p + " (shown once, also in " + passwordFile + ")").orElse("in " + passwordFile)).append('\n');
        ProxyNode nyc = edges.get(0);
        out.append("\nTry it:\n");
        out.append("  curl -si ").append(nyc.uri()).append("/item/1        # X-Cache: MISS (edge-nyc, a shield, origin)\n");
        out.append("  curl -si ").append(nyc.uri()).append("/item/1        # X-Cache: HIT\n");
        out.append("  curl -si ").append(edges.get(1).uri()).append("/item/1        # Cache-Status: the shield hit, edge-lhr miss\n");
        out.append("  curl -s ").append(origin.uri()).append("/_origin/stats  # what reached the origin\n");
        nyc.httpsUri().ifPresent(https -> out.append("  curl -si --cacert ").append(certificateFile()).append(' ')
                .append(https).append("/item/1   # HTTPS and HTTP/2 (docs/tls.md)\n"));
        out.append("  curl -si -H 'Host: img.demo.test' ").append(nyc.uri()).append("/item/1   # site img: another origin, another object\n");
        out.append("  curl -s '").append(router.uri()).append("/api/v1/route?ip=81.2.69.160'   # London: edge-lhr\n");
        out.append("  dig @").append(spec.host()).append(" -p ").append(router.dnsPort().orElseThrow()).append(" ").append(DNS_HOSTNAME)
                .append(" +short +subnet=81.2.69.160/27   # DNS: edge-lhr's address (127.0.0.2)\n");
        out.append("\nCtrl-C stops everything.\n");
        return out.toString();
    }

    @Override
    public void close() {
        stop(started);
    }
}
