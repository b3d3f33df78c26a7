package io.blueorigin.cdn.runtime;

import java.net.URI;
import java.util.Map;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A node's management port ({@code management.host}:{@code management.port}): {@code /healthz}, {@code /readyz}
 * and extra routes ({@code /metrics}, {@code /cache/inspect}) on a server of their own, with a small thread pool,
 * so that a node flooded with traffic still answers its health checks. {@link NodeServer} owns one; a node
 * deployed as a WAR, whose traffic port is the servlet container's, starts one alone
 * ({@link NodeServer.Builder#buildManagement()}).
 */
public final class ManagementServer implements AutoCloseable {
    private final String name;
    private final ServerConfig config;
    private final Server server;

    ManagementServer(HealthRegistry health, ServerConfig config, Map<String, Handler> routes) {
        this.name = health.identity().name();
        this.config = config;
        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        pool.setName(name + "-mgmt");
        this.server = new Server(pool);
        NodeServer.connector(server, config.managementHost(), config.managementPort(), config,
                new HttpConnectionFactory(NodeServer.httpConfiguration(UriCompliance.DEFAULT, 8 * 1024, 8 * 1024)));
        server.setErrorHandler(new PlainErrorHandler());
        server.setHandler(new ManagementHandler(health, routes));
        server.setStopAtShutdown(false);
    }

    /** @throws StartupException naming {@code management.port} or {@code management.host} when it cannot bind */
    public ManagementServer start() {
        NodeServer.startOne(name, server, "management", config.managementHost(), config.managementPort(), "management.port");
        return this;
    }

    /** The bound port (the real one when configured as 0). */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** {@code http://host:port}, a wildcard host shown as 127.0.0.1. */
    public URI uri() {
        return URI.create("http://" + NodeServer.displayHost(config.managementHost()) + ":" + port());
    }

    @Override
    public void close() {
        NodeServer.stopQuietly(server);
    }
}
