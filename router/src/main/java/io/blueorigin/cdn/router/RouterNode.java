package io.blueorigin.cdn.router;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.runtime.HealthRegistry;
import io.blueorigin.cdn.runtime.IpLiterals;
import io.blueorigin.cdn.runtime.Node;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.NodeServer;
import io.blueorigin.cdn.runtime.StartupException;
import io.blueorigin.cdn.runtime.metrics.NodeMetrics;
import io.blueorigin.cdn.runtime.metrics.PrometheusEndpoint;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.http.HttpCookieStore;
import org.jspecify.annotations.Nullable;

/**
 * A started router: the HTTP endpoints ({@link RouterHandler}) on the traffic port, the DNS server when
 * {@code routing.dns-port} is set, and the {@link HealthFollower} that keeps the view of admin's routing data.
 *
 * <p>Start-up order: GeoIP database, HTTP client, follower (loading the view file), HTTP servers, DNS, then
 * the follower's thread; a failure closes what was opened and names the setting to fix. Ready ({@code /readyz})
 * once a view is known, from admin or the view file. Close stops DNS, the follower, the servers, the client
 * and the database, in that order.
 */
public final class RouterNode implements Node {
    private final NodeServer server;
    private final HealthFollower follower;
    private final HttpClient client;
    private final GeoLocator locator;
    private final @Nullable DnsServer dns;
    private final NodeMetrics metrics;

    private RouterNode(NodeServer server, HealthFollower follower, HttpClient client, GeoLocator locator,
            @Nullable DnsServer dns, NodeMetrics metrics) {
        this.server = server;
        this.follower = follower;
        this.client = client;
        this.locator = locator;
        this.dns = dns;
        this.metrics = metrics;
    }

    /**
     * Starts a router.
     *
     * @throws StartupException naming the setting when the database, a port or the admin URL cannot be used
     */
    public static RouterNode start(RouterConfig config) {
        requireNonNull(config, "config is null");
        String name = config.identity().name();
        GeoLocator locator;
        try {
            locator = GeoLocator.open(config.geoipDb());
        } catch (IllegalArgumentException e) {
            throw new StartupException(name + " cannot open its GeoIP database: " + e.getMessage(), e);
        }
        HttpClient client = new HttpClient();
        HealthFollower follower = null;
        NodeServer server = null;
        DnsServer dns = null;
        try {
            client.setName(name + "-admin-client");
            client.setHttpCookieStore(new HttpCookieStore.Empty());
            client.setFollowRedirects(false);
            client.setConnectTimeout(5_000);
            client.setMaxConnectionsPerDestination(4);
            startClient(client, name);
            // a 401 is the follower's to report (wrong token), not a challenge for the client to answer; the
            // client installs its protocol handlers when it starts
            client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
            follower = new HealthFollower(client, config.adminUrls(), config.token(), config.pollWait(),
                    config.viewFile(), Clock.systemUTC(), name + "-follower");
            NodeMetrics metrics = new NodeMetrics(config.identity());
            HealthFollower following = follower;
            Router router = new Router(locator, config.policy(), following::view, metrics);
            metrics.gauge("cdn_router_view_version", "Version of the routing view in use (-1: none yet)",
                    () -> {
                        HealthView current = following.view();
                        return current == null ? -1 : current.version();
                    });
            metrics.gauge("cdn_router_view_age_seconds", "Seconds since admin last confirmed the routing view"
                    + " (-1: never)", following::ageSeconds);
            metrics.gauge("cdn_router_admin_reachable", "1 when the last poll of admin's routing view got an answer",
                    () -> following.following() ? 1 : 0);
            metrics.gauge("cdn_router_geoip_errors", "GeoIP lookups that failed inside the database",
                    locator::lookupErrors);
            HealthRegistry health = new HealthRegistry(config.identity());
            health.register("routing-view", following::readiness);
            server = NodeServer.builder(health, config.server())
                    .traffic(new RouterHandler(router, config.trustedProxies(), metrics))
                    .managementRoute("/metrics", new PrometheusEndpoint(metrics))
                    .build()
                    .start();
            if (config.dnsPort() != null) {
                dns = DnsServer.start(new DnsAnswers(router, config.dnsZone(), config.dnsTtl()),
                        bindAddress(config.dnsBindAddress()), config.dnsPort(), name, metrics);
            }
            follower.start();
            return new RouterNode(server, follower, client, locator, dns, metrics);
        } catch (RuntimeException e) {
            if (dns != null) {
                dns.close();
            }
            if (follower != null) {
                follower.close();
            }
            if (server != null) {
                server.close();
            }
            stopQuietly(client);
            locator.close();
            throw e;
        }
    }

    private static void startClient(HttpClient client, String name) {
        try {
            client.start();
        } catch (Exception e) {
            throw new StartupException(name + " cannot start its HTTP client for admin: " + e, e);
        }
    }

    private static InetAddress bindAddress(String literal) {
        try {
            return InetAddress.getByAddress(IpLiterals.parse(literal).orElseThrow().getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
        }
    }

    private static void stopQuietly(HttpClient client) {
        try {
            client.stop();
        } catch (Exception ignored) {
            // stopping: nothing more to do
        }
    }

    /** The follower (its view, and whether admin answers). */
    public HealthFollower follower() {
        return follower;
    }

    /** The DNS port, when DNS is on. */
    public Optional<Integer> dnsPort() {
        return Optional.ofNullable(dns).map(DnsServer::port);
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    @Override
    public NodeIdentity identity() {
        return server.identity();
    }

    @Override
    public URI uri() {
        return server.uri();
    }

    @Override
    public URI managementUri() {
        return server.managementUri();
    }

    @Override
    public void close() {
        if (dns != null) {
            dns.close();
        }
        follower.close();
        server.close();
        stopQuietly(client);
        locator.close();
    }
}
