package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.runtime.HealthRegistry;
import io.blueorigin.cdn.runtime.Node;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.NodeServer;
import io.blueorigin.cdn.runtime.ReadinessCheck;
import java.net.URI;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * A started edge or shield: the node server with the role's servlet mounted at {@code /*}. The servlet
 * sees every path, so customer paths are never shadowed; health and metrics live on the management port.
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

    private final NodeServer server;
    private final ProxyConfig config;

    private ProxyNode(NodeServer server, ProxyConfig config) {
        this.server = server;
        this.config = config;
    }

    /**
     * Mounts {@code servlet} and starts the node.
     *
     * @throws io.blueorigin.cdn.runtime.StartupException when a port is busy or a component cannot start
     */
    public static ProxyNode start(ProxyConfig config, CachingProxyServlet servlet) {
        requireNonNull(config, "config is null");
        requireNonNull(servlet, "servlet is null");
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowMessageInTitle(false);
        context.setErrorHandler(errors);
        ServletHolder holder = new ServletHolder(config.identity().role().label(), servlet);
        holder.setAsyncSupported(true);
        holder.setInitOrder(0);
        holder.setInitParameter("viaHost", config.identity().name());
        holder.setInitParameter("maxConnections", Integer.toString(config.upstream().maxConnections()));
        holder.setInitParameter("idleTimeout", Long.toString(config.upstream().readTimeout().toMillis()));
        // No total timeout: a 1 GiB body may take minutes; stalls are caught by the per-request read timeout.
        holder.setInitParameter("timeout", "0");
        context.addServlet(holder, "/*");
        // The servlet forwards the raw request-target; it never maps paths to files, so encoded separators
        // and empty segments are data to pass on, not ambiguities to refuse.
        context.getServletHandler().setDecodeAmbiguousURIs(true);

        HealthRegistry health = new HealthRegistry(config.identity());
        health.register("upstream", () -> ReadinessCheck.Result.ready(Map.of("url", config.upstream().url().toString())));
        NodeServer server = NodeServer.builder(health, config.server())
                .traffic(context)
                .uriCompliance(PROXY_URI_COMPLIANCE)
                .build()
                .start();
        return new ProxyNode(server, config);
    }

    public ProxyConfig config() {
        return config;
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
        server.close();
    }
}
