package io.blueorigin.cdn.runtime;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node process's two Jetty servers: traffic (the role's handler, on {@code server.port}) and management
 * ({@code /healthz}, {@code /readyz}, extra routes such as {@code /metrics}, on {@code management.port}).
 *
 * <p>Two servers rather than two connectors on one: the management pool is small and separate, so probes
 * and scrapes still answer when every traffic thread is busy, and the traffic handler tree holds nothing
 * but what serves customers.
 *
 * <p>With {@code tls.*} set, the traffic server has a second connector, HTTPS on {@code tls.port}
 * ({@link HttpsConnector}: HTTP/2 by ALPN, HTTP/1.1 fallback, certificate reload); both connectors share the
 * handler, the thread pool, {@code server.max-connections} and the per-client limits. With {@code tls.h2c} the
 * plain port also speaks cleartext HTTP/2.
 *
 * <p>With {@code access-log.path} set, the traffic server writes an {@link AccessLog} line per request;
 * the management server logs nothing (probes and scrapes would drown the traffic).
 *
 * <p>Lifecycle: {@link #start()} binds management first, then traffic; if either fails, whatever started
 * is stopped and a {@link StartupException} names the address and the key to change. {@link #close()}
 * stops traffic gracefully (in-flight requests get {@code server.stop-timeout}), then management.
 */
public final class NodeServer implements Node {
    private static final Logger LOG = LoggerFactory.getLogger(NodeServer.class);

    private final NodeIdentity identity;
    private final ServerConfig config;
    private final Server traffic;
    private final ManagementServer management;
    private final ServerConnector trafficConnector;
    private final ConnectionGuard guard;
    private final GracefulHandler graceful;
    private final @Nullable HttpsConnector https;

    private NodeServer(Builder builder) {
        this.identity = builder.health.identity();
        this.config = builder.config;

        QueuedThreadPool trafficPool = new QueuedThreadPool(config.maxThreads(), Math.min(8, config.maxThreads()));
        trafficPool.setName(identity.name());
        this.traffic = new Server(trafficPool);
        ServerConfig.Limits limits = config.limits();
        HttpConfiguration trafficHttp = httpConfiguration(builder.uriCompliance, limits.requestHeaderSize(),
                limits.responseHeaderSize());
        this.trafficConnector = config.h2c()
                ? connector(traffic, config.host(), config.port(), config, new HttpConnectionFactory(trafficHttp),
                        new HTTP2CServerConnectionFactory(trafficHttp))
                : connector(traffic, config.host(), config.port(), config, new HttpConnectionFactory(trafficHttp));
        this.https = config.tls().map(tls -> new HttpsConnector(identity.name(), traffic, config.host(), tls,
                trafficHttp, config.idleTimeout(), limits.acceptQueueSize(), builder.clock)).orElse(null);
        // Jetty's total over both traffic ports: beyond it the node stops accepting until a connection closes
        traffic.addBean(https == null
                ? new NetworkConnectionLimit(limits.maxConnections(), trafficConnector)
                : new NetworkConnectionLimit(limits.maxConnections(), trafficConnector, https.connector()));
        this.guard = new ConnectionGuard(limits.maxConnectionsPerClient(), limits.headerTimeout().toMillis(),
                trafficConnector.getScheduler());
        trafficConnector.addBean(guard);
        if (https != null) {
            https.connector().addBean(guard);
        }
        traffic.setErrorHandler(new PlainErrorHandler());
        this.graceful = new MarkedGracefulHandler(requireNonNull(builder.trafficHandler, "traffic handler not set"));
        traffic.setHandler(graceful);
        traffic.setStopTimeout(config.stopTimeout().toMillis());
        traffic.setStopAtShutdown(false);
        config.accessLog().ifPresent(path -> traffic.setRequestLog(AccessLog.toFile(path)));

        this.management = new ManagementServer(builder.health, config, builder.managementRoutes);
    }

    /** Response field on a 503 a stopping node gives new requests; a downstream node retries elsewhere. */
    public static final String ERROR_FIELD = "Blue-Origin-Error";
    /** {@link #ERROR_FIELD} value of a stopping node's 503: the request was not acted on, safe to send elsewhere. */
    public static final String SHUTTING_DOWN = "shutting-down";

    /**
     * Jetty's graceful stop answers requests that arrive on open connections while in-flight ones finish with
     * a 503; this marks that 503 as the node's own refusal and closes the connection, so an edge sends the
     * request to the next shield instead of relaying the 503 to its client.
     */
    private static final class MarkedGracefulHandler extends GracefulHandler {
        MarkedGracefulHandler(org.eclipse.jetty.server.Handler handler) {
            super(handler);
        }

        @Override
        public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                org.eclipse.jetty.util.Callback callback) throws Exception {
            if (isShutdown()) {
                response.getHeaders().put(ERROR_FIELD, SHUTTING_DOWN);
                response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONNECTION, "close");
            }
            return super.handle(request, response, callback);
        }
    }

    /** RFC 9110 parsing without accepting bare LF line endings in heads or chunks. */
    static final HttpCompliance STRICT_LINE_ENDINGS = HttpCompliance.RFC9110.without("CDN_RFC9110",
            HttpCompliance.Violation.LF_HEADER_TERMINATION, HttpCompliance.Violation.LF_CHUNK_TERMINATION);

    static HttpConfiguration httpConfiguration(UriCompliance uriCompliance, int requestHeaderSize,
            int responseHeaderSize) {
        HttpConfiguration http = new HttpConfiguration();
        // RFC 9112 lets a server accept a bare LF as a line end; refusing it (and LF-terminated chunks) leaves one
        // framing a front proxy and this node can disagree on the less
        http.setHttpCompliance(STRICT_LINE_ENDINGS);
        http.setRequestHeaderSize(requestHeaderSize);
        http.setResponseHeaderSize(responseHeaderSize);
        http.setUriCompliance(uriCompliance);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(true);
        return http;
    }

    static ServerConnector connector(Server server, String host, int port, ServerConfig config,
            ConnectionFactory... factories) {
        ServerConnector connector = new ServerConnector(server, factories);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        connector.setAcceptQueueSize(config.limits().acceptQueueSize());
        server.addConnector(connector);
        return connector;
    }

    public static Builder builder(HealthRegistry health, ServerConfig config) {
        return new Builder(health, config);
    }

    /**
     * Starts management then traffic.
     *
     * @throws StartupException when a port cannot be bound, the TLS key files cannot be used ({@code tls.*}) or a
     *     component fails to start; nothing is left running
     */
    public NodeServer start() {
        if (https != null) {
            // unusable key files stop the node before it binds anything
            https.loadKeys();
        }
        management.start();
        try {
            if (https != null) {
                // bound before the server starts, so a busy HTTPS port is reported as tls.port, not server.port
                openHttps();
            }
            startOne(traffic, "traffic", config.host(), config.port(), "server.port");
        } catch (RuntimeException e) {
            management.close();
            throw e;
        }
        LOG.info("{} listening on {}{} (management {})", identity.name(), uri(),
                https == null ? "" : " and " + httpsUri().orElseThrow(), managementUri());
        return this;
    }

    private void openHttps() {
        HttpsConnector tls = requireNonNull(https);
        try {
            tls.connector().open();
        } catch (IOException e) {
            try {
                tls.connector().close();
            } catch (RuntimeException ignored) {
                LOG.trace("IGNORED", ignored);
            }
            throw translate(e, "HTTPS", config.host(), tls.port(), "tls.port");
        }
    }

    private void startOne(Server server, String what, String host, int port, String key) {
        startOne(identity.name(), server, what, host, port, key);
    }

    /** Starts {@code server}; a failure stops it and becomes a {@link StartupException} naming {@code key}. */
    static void startOne(String name, Server server, String what, String host, int port, String key) {
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            throw translate(name, e, what, host, port, key);
        }
    }

    private RuntimeException translate(Exception e, String what, String host, int port, String key) {
        return translate(identity.name(), e, what, host, port, key);
    }

    private static RuntimeException translate(String name, Exception e, String what, String host, int port, String key) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return new StartupException(name + " cannot listen for " + what + " on " + host + ":" + port
                        + " (" + key + "): " + t.getMessage()
                        + ". Another process holds that port (a node left running?): stop it, or choose another "
                        + key + ".", e);
            }
            if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                String hostKey = key.equals("management.port") ? "management.host" : "server.host";
                return new StartupException(name + " cannot listen on '" + host + "' (" + hostKey
                        + "): not a local address of this machine.", e);
            }
        }
        if (e instanceof StartupException se) {
            return se;
        }
        if (e instanceof IOException) {
            return new StartupException(name + " cannot start its " + what + " server on " + host + ":"
                    + port + ": " + e.getMessage(), e);
        }
        // A component of the handler tree failed to start: keep its own message, it names the setting.
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StartupException se) {
                return se;
            }
        }
        return new StartupException(name + " failed to start: " + e, e);
    }

    static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.trace("IGNORED", e);
        }
    }

    /** The port the traffic connector is bound to (the real one when configured as 0). */
    public int port() {
        return trafficConnector.getLocalPort();
    }

    public int managementPort() {
        return management.port();
    }

    /** {@code https://host:port} of the HTTPS connector ({@code tls.port}), when {@code tls.*} is configured. */
    public Optional<URI> httpsUri() {
        return Optional.ofNullable(https)
                .map(h -> URI.create("https://" + displayHost(config.host()) + ":" + h.connector().getLocalPort()));
    }

    /** Certificate reloads since start: put into service, and refused (the previous certificate stayed). */
    public record TlsReloads(long reloaded, long refused, @Nullable String lastRefusal) {}

    /** How certificate changes went, or empty without {@code tls.*} or with {@code tls.scan-interval: 0s}. */
    public Optional<TlsReloads> tlsReloads() {
        return Optional.ofNullable(https).flatMap(HttpsConnector::reloader)
                .map(r -> new TlsReloads(r.reloads(), r.failures(), r.lastFailure()));
    }

    /** {@code http://host:port} of the traffic connector, with a wildcard host shown as 127.0.0.1. */
    @Override
    public URI uri() {
        return URI.create("http://" + displayHost(config.host()) + ":" + port());
    }

    @Override
    public URI managementUri() {
        return management.uri();
    }

    static String displayHost(String host) {
        return host.equals("0.0.0.0") || host.isEmpty() ? "127.0.0.1" : host;
    }

    @Override
    public NodeIdentity identity() {
        return identity;
    }

    /** Connections closed by the per-client limit and by the header deadline, and clients holding connections now. */
    public record GuardStats(long refusedPerClient, long headerTimeouts, int clients, int pendingDeadlines) {}

    public GuardStats guardStats() {
        return new GuardStats(guard.refused(), guard.timedOut(), guard.clients(), guard.pendingDeadlines());
    }

    /** The traffic server, for components that must share its lifecycle (added as beans before start). */
    public Server trafficServer() {
        return traffic;
    }

    public boolean isRunning() {
        return traffic.isRunning();
    }

    /** Graceful stop: traffic (waiting up to {@code server.stop-timeout} for in-flight requests), then management. */
    @Override
    public void close() {
        drain();
        stopQuietly(traffic);
        management.close();
        LOG.info("{} stopped", identity.name());
    }

    /**
     * The first half of a graceful stop: new requests are answered 503 ({@link MarkedGracefulHandler}) while those in
     * flight finish, for at most {@code server.stop-timeout}. Then no connection has anything left to wait for, so
     * the stop closes idle keep-alive connections at once, instead of after Jetty's one-second shutdown idle
     * timeout (which made every stop of a node that had served a keep-alive client take a second).
     */
    private void drain() {
        if (!traffic.isStarted()) {
            return;
        }
        try {
            graceful.shutdown().get(config.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{}: requests still in flight after server.stop-timeout {}; they are cut", identity.name(),
                    config.stopTimeout());
        } catch (ExecutionException e) {
            LOG.debug("{}: graceful shutdown failed", identity.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connector connector : traffic.getConnectors()) {
            if (connector instanceof AbstractConnector c) {
                c.setShutdownIdleTimeout(1);
            }
        }
    }

    /** Assembles a {@link NodeServer}; not thread-safe, used once. */
    public static final class Builder {
        private final HealthRegistry health;
        private final ServerConfig config;
        private final Map<String, Handler> managementRoutes = new LinkedHashMap<>();
        private @Nullable Handler trafficHandler;
        private UriCompliance uriCompliance = UriCompliance.DEFAULT;
        private Clock clock = Clock.systemUTC();

        private Builder(HealthRegistry health, ServerConfig config) {
            this.health = requireNonNull(health, "health is null");
            this.config = requireNonNull(config, "config is null");
        }

        /** The handler for customer traffic (a servlet context, or a core handler). */
        public Builder traffic(Handler handler) {
            this.trafficHandler = requireNonNull(handler, "handler is null");
            return this;
        }

        /**
         * Which request-target forms the traffic port accepts (default: Jetty's {@code DEFAULT}, which
         * answers 400 to ambiguous paths). A proxy forwards raw paths and widens this.
         */
        public Builder uriCompliance(UriCompliance compliance) {
            this.uriCompliance = requireNonNull(compliance, "compliance is null");
            return this;
        }

        /** The clock certificate validity is checked against (tests); the system clock by default. */
        public Builder clock(Clock newClock) {
            this.clock = requireNonNull(newClock, "clock is null");
            return this;
        }

        /** An extra management route, e.g. {@code /metrics}. */
        public Builder managementRoute(String path, Handler handler) {
            if (path.equals("/healthz") || path.equals("/readyz")) {
                throw new IllegalArgumentException(path + " is built in");
            }
            managementRoutes.put(path, requireNonNull(handler, "handler is null"));
            return this;
        }

        public NodeServer build() {
            return new NodeServer(this);
        }

        /**
         * The management port alone, for a node whose traffic port belongs to a servlet container (a WAR): the
         * container's connectors serve traffic, this serves {@code /healthz}, {@code /readyz} and the routes.
         */
        public ManagementServer buildManagement() {
            return new ManagementServer(health, config, managementRoutes);
        }
    }
}
