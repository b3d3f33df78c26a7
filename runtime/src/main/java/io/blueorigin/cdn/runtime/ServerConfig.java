package io.blueorigin.cdn.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how a node listens. Built from the {@code server.*}, {@code management.*} and
 * {@code access-log.*} keys of a node's configuration.
 *
 * @param host address the traffic connector binds ({@code 0.0.0.0} for all interfaces)
 * @param port traffic port; {@code 0} picks a free port (tests)
 * @param managementHost address the management connector binds
 * @param managementPort management port ({@code /healthz}, {@code /readyz}, {@code /metrics}); {@code 0} picks a free port
 * @param maxThreads upper bound of the traffic thread pool
 * @param idleTimeout a client connection with no traffic for this long is closed
 * @param stopTimeout how long a graceful stop waits for in-flight requests
 * @param accessLog file for the access log ({@link AccessLog}: NCSA combined plus cache status, upstream time,
 *     request id and total time; daily rotation when it contains {@code yyyy_mm_dd}), or empty for none
 * @param limits what one client, and all of them, may hold of the traffic port
 * @param tls HTTPS on a second traffic port ({@code tls.*}), or empty for plain HTTP only
 * @param h2c the plain traffic port also speaks cleartext HTTP/2 ({@code tls.h2c}: prior knowledge or
 *     {@code Upgrade: h2c}), for a TLS-terminating load balancer that talks HTTP/2 to the node
 */
public record ServerConfig(
        String host,
        int port,
        String managementHost,
        int managementPort,
        int maxThreads,
        Duration idleTimeout,
        Duration stopTimeout,
        Optional<Path> accessLog,
        Limits limits,
        Optional<TlsConfig> tls,
        boolean h2c) {

    /**
     * The traffic port's defences against clients that hold resources without using them ({@code server.*}).
     *
     * @param maxConnections most connections open at once ({@code server.max-connections}); beyond it the node stops
     *     accepting until one closes
     * @param maxConnectionsPerClient most connections one client address may hold ({@code server.max-connections-per-client});
     *     more are closed at once
     * @param headerTimeout a new connection must deliver a whole request head within this ({@code server.header-timeout}),
     *     or it is closed: a client trickling header bytes holds a connection for no request
     * @param minRequestRate bytes per second a request body must keep up, else the request fails with 408
     *     ({@code server.min-request-rate}); 0 turns the check off
     * @param requestHeaderSize largest request head accepted ({@code server.request-header-size}); larger ones get 431
     * @param responseHeaderSize largest response head the server writes ({@code server.response-header-size}); a node
     *     accepts no larger head from its upstream and stores only heads that leave room for its own fields
     * @param acceptQueueSize connections the kernel completes and holds for the node before it accepts them
     *     ({@code server.accept-queue-size}, the listen backlog, capped by {@code net.core.somaxconn}): a burst of new
     *     connections larger than this has its handshakes dropped and retried by clients a second later. Java's own
     *     default is 50, which 200 clients connecting at once overflow
     */
    public record Limits(int maxConnections, int maxConnectionsPerClient, Duration headerTimeout, long minRequestRate,
            int requestHeaderSize, int responseHeaderSize, int acceptQueueSize) {

        public Limits {
            requireNonNull(headerTimeout, "headerTimeout is null");
            if (maxConnections < 1) {
                throw new IllegalArgumentException("server.max-connections : " + maxConnections + " (expected: >= 1)");
            }
            if (maxConnectionsPerClient < 1 || maxConnectionsPerClient > maxConnections) {
                throw new IllegalArgumentException("server.max-connections-per-client : " + maxConnectionsPerClient
                        + " (expected: 1.." + maxConnections + ", at most server.max-connections)");
            }
            if (headerTimeout.isNegative() || headerTimeout.isZero()) {
                throw new IllegalArgumentException("server.header-timeout : " + headerTimeout + " (expected: > 0)");
            }
            if (minRequestRate < 0) {
                throw new IllegalArgumentException("server.min-request-rate : " + minRequestRate + " (expected: >= 0)");
            }
            if (requestHeaderSize < 1024 || requestHeaderSize > 1 << 20) {
                throw new IllegalArgumentException("server.request-header-size : " + requestHeaderSize
                        + " bytes (expected: 1KB..1MB)");
            }
            if (responseHeaderSize < 4096 || responseHeaderSize > 1 << 20) {
                throw new IllegalArgumentException("server.response-header-size : " + responseHeaderSize
                        + " bytes (expected: 4KB..1MB)");
            }
            if (acceptQueueSize < 1 || acceptQueueSize > 65_535) {
                throw new IllegalArgumentException("server.accept-queue-size : " + acceptQueueSize + " (expected: 1..65535)");
            }
        }

        /**
         * 10,000 connections, 1,024 per client, 10 s for a request head, 1 KB/s bodies, 8 KB / 16 KB heads, 1,024
         * connections waiting to be accepted.
         */
        public static Limits defaults() {
            return new Limits(10_000, 1_024, Duration.ofSeconds(10), 1024, 8 * 1024, 16 * 1024, 1_024);
        }
    }

    /** A configuration with the default {@link Limits}. */
    public ServerConfig(String host, int port, String managementHost, int managementPort, int maxThreads, Duration idleTimeout,
            Duration stopTimeout, Optional<Path> accessLog) {
        this(host, port, managementHost, managementPort, maxThreads, idleTimeout, stopTimeout, accessLog, Limits.defaults());
    }

    /** A plain-HTTP configuration (no {@code tls.*}). */
    public ServerConfig(String host, int port, String managementHost, int managementPort, int maxThreads, Duration idleTimeout,
            Duration stopTimeout, Optional<Path> accessLog, Limits limits) {
        this(host, port, managementHost, managementPort, maxThreads, idleTimeout, stopTimeout, accessLog, limits,
                Optional.empty(), false);
    }

    /** This configuration with {@code newLimits}. */
    public ServerConfig withLimits(Limits newLimits) {
        return new ServerConfig(host, port, managementHost, managementPort, maxThreads, idleTimeout, stopTimeout, accessLog,
                newLimits, tls, h2c);
    }

    /** This configuration with HTTPS as {@code newTls} says. */
    public ServerConfig withTls(TlsConfig newTls) {
        return new ServerConfig(host, port, managementHost, managementPort, maxThreads, idleTimeout, stopTimeout, accessLog,
                limits, Optional.of(newTls), h2c);
    }

    /** This configuration with cleartext HTTP/2 on the plain port on or off. */
    public ServerConfig withH2c(boolean newH2c) {
        return new ServerConfig(host, port, managementHost, managementPort, maxThreads, idleTimeout, stopTimeout, accessLog,
                limits, tls, newH2c);
    }

    /** Management port = traffic port + this offset, unless configured (e.g. 8080 to 18080). */
    public static final int MANAGEMENT_PORT_OFFSET = 10_000;

    public ServerConfig {
        requireNonNull(host, "host is null");
        requireNonNull(managementHost, "managementHost is null");
        requireNonNull(idleTimeout, "idleTimeout is null");
        requireNonNull(stopTimeout, "stopTimeout is null");
        requireNonNull(accessLog, "accessLog is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(tls, "tls is null");
        checkPort("server.port", port);
        tls.ifPresent(t -> {
            if (t.port() != 0 && (t.port() == port || t.port() == managementPort)) {
                throw new IllegalArgumentException("tls.port : " + t.port()
                        + " (expected: different from server.port " + port + " and management.port " + managementPort + ")");
            }
        });
        checkPort("management.port", managementPort);
        if (port != 0 && port == managementPort && host.equals(managementHost)) {
            throw new IllegalArgumentException("management.port : " + managementPort
                    + " (expected: different from server.port " + port + ")");
        }
        if (maxThreads < 8) {
            throw new IllegalArgumentException("server.max-threads : " + maxThreads + " (expected: >= 8)");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("server.idle-timeout : " + idleTimeout + " (expected: > 0)");
        }
        if (stopTimeout.isNegative()) {
            throw new IllegalArgumentException("server.stop-timeout : " + stopTimeout + " (expected: >= 0)");
        }
    }

    private static void checkPort(String key, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(key + " : " + port + " (expected: 0..65535)");
        }
    }

    /** Loopback, ephemeral ports for both connectors, no access log: what tests use. */
    public static ServerConfig ephemeral() {
        return new ServerConfig("127.0.0.1", 0, "127.0.0.1", 0, 64,
                Duration.ofSeconds(30), Duration.ofSeconds(1), Optional.empty());
    }

    /** The default management port for a traffic port: {@code port + 10000}, or 0 (ephemeral) for port 0. */
    public static int defaultManagementPort(int port) {
        if (port == 0) {
            return 0;
        }
        int candidate = port + MANAGEMENT_PORT_OFFSET;
        if (candidate > 65_535) {
            throw new IllegalArgumentException("management.port : default " + port + " + " + MANAGEMENT_PORT_OFFSET
                    + " is above 65535 (set management.port explicitly)");
        }
        return candidate;
    }
}
