package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.proxy.control.ControlPlane;
import io.blueorigin.cdn.runtime.MinimumRequestRateHandler;
import io.blueorigin.cdn.runtime.Node;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.NodeServer;
import io.blueorigin.cdn.runtime.PlainErrorHandler;
import io.blueorigin.cdn.runtime.StartupException;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.http.UriCompliance;

/**
 * A started edge or shield on its own {@link NodeServer} (the launcher's form; a WAR's is {@code WarNode}). The
 * traffic handler tree:
 *
 * <pre>
 *   GracefulHandler
 *    └ TrafficMeter            counts each request once (docs/metrics.md)    ┐
 *     └ CacheHandler           GET/HEAD: lookup, decide, serve or fetch      │ ProxyCore
 *       └ ServletContextHandler                                              │
 *          └ role servlet /*   (a CachingProxyServlet) forward, invalidate   ┘
 * </pre>
 *
 * The node's {@link ProxyCore} owns one store (heap tier, and a disk tier when {@code store.disk.path} is set),
 * one policy and one upstream client for cache fetches; all stop with the node.
 */
public final class ProxyNode implements Node {
    /**
     * Request targets a proxy accepts: Jetty's default plus encoded slashes ({@code %2F}), empty segments,
     * path parameters and encoded characters, which origins use legitimately. Still refused with 400:
     * encoded dot segments ({@code %2e%2e}), suspicious and illegal characters, bad percent-encoding.
     */
    static final UriCompliance PROXY_URI_COMPLIANCE = UriCompliance.DEFAULT.with("CDN_PROXY",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT,
            UriCompliance.Violation.AMBIGUOUS_PATH_PARAMETER, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING);

    /** Creates the role's servlet for a node. */
    @FunctionalInterface
    public interface ServletFactory {
        CachingProxyServlet create(ProxyConfig config, ProxyCache cache);
    }

    private final NodeServer server;
    private final ProxyCore core;
    private final URI uri;
    private final URI managementUri;

    private ProxyNode(NodeServer server, ProxyCore core) {
        this.server = server;
        this.core = core;
        this.uri = server.uri();
        this.managementUri = server.managementUri();
    }

    /**
     * Request collapsing now.
     *
     * @param inFlight fetches other requests may still join (at rest: 0)
     * @param waiting requests waiting for another request's response headers
     * @param collapsed requests that joined another's fetch since start
     */
    public record CollapsingStats(int inFlight, int waiting, long collapsed) {}

    /** Starts a node with the system clock. */
    public static ProxyNode start(ProxyConfig config, RolePolicy role, ServletFactory servlets) {
        return start(config, role, servlets, Clock.systemUTC());
    }

    /**
     * Starts a node.
     *
     * @param role what differs between edge and shield: the role module's policy, for the role of
     *     {@code config}'s identity (else {@link IllegalArgumentException})
     * @param clock the node's clock (tests move it to expire objects without waiting)
     * @throws io.blueorigin.cdn.runtime.StartupException when a port is busy or a component cannot start
     */
    public static ProxyNode start(ProxyConfig config, RolePolicy role, ServletFactory servlets, Clock clock) {
        requireNonNull(config, "config is null");
        requireNonNull(servlets, "servlets is null");
        AtomicReference<NodeServer> started = new AtomicReference<>();
        ProxyCore core = ProxyCore.open(config, role, clock, cache -> {
            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
            context.setContextPath("/");
            context.setErrorHandler(new PlainErrorHandler());
            ProxyCore.addServlet(context.getServletHandler(), config, servlets.create(config, cache));
            // request bodies only matter on the pass-through path: only it pays for the data-rate check
            long minRate = config.server().limits().minRequestRate();
            return minRate > 0 ? new MinimumRequestRateHandler(context, minRate) : context;
        }, () -> started.get().uri(), () -> started.get().managementUri());
        NodeServer server;
        try {
            server = core.managementRoutes(NodeServer.builder(core.health(), config.server()))
                    .traffic(core.traffic())
                    .uriCompliance(PROXY_URI_COMPLIANCE)
                    .build();
            server.trafficServer().addBean(core.upstreamClient(server.trafficServer().getThreadPool()));
            server.start();
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
        started.set(server);
        core.started();
        return new ProxyNode(server, core);
    }

    public ProxyConfig config() {
        return core.config();
    }

    /** This node's cache (store, policy, keys), for tests and the management endpoints. */
    public ProxyCache cache() {
        return core.cache();
    }

    public CollapsingStats collapsing() {
        Collapser collapser = core.collapser();
        return new CollapsingStats(collapser.inFlight(), collapser.waiting().get(), collapser.collapsed());
    }

    @Override
    public NodeIdentity identity() {
        return server.identity();
    }

    @Override
    /** The traffic URL it was started on (kept after a stop, so a restart can reuse the port). */
    public URI uri() {
        return uri;
    }

    @Override
    public URI managementUri() {
        return managementUri;
    }

    /** The traffic port's connection guard: refusals, header timeouts, clients holding connections now. */
    /** The HTTPS traffic URL ({@code tls.port}), when {@code tls.*} is configured. */
    public java.util.Optional<URI> httpsUri() {
        return server.httpsUri();
    }

    /** How certificate changes went since start (docs/tls.md), when HTTPS reloads its key files. */
    public java.util.Optional<NodeServer.TlsReloads> tlsReloads() {
        return server.tlsReloads();
    }

    public NodeServer.GuardStats connectionGuard() {
        return server.guardStats();
    }

    /** This node's link to the control plane (invalidations applied, lag). */
    public ControlPlane control() {
        return core.control();
    }

    @Override
    public void close() {
        core.stopControl();
        server.close();
        core.close();
    }
}
