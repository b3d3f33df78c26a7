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
 */
public record ServerConfig(
        String host,
        int port,
        String managementHost,
        int managementPort,
        int maxThreads,
        Duration idleTimeout,
        Duration stopTimeout,
        Optional<Path> accessLog) {

    /** Management port = traffic port + this offset, unless configured (e.g. 8080 to 18080). */
    public static final int MANAGEMENT_PORT_OFFSET = 10_000;

    public ServerConfig {
        requireNonNull(host, "host is null");
        requireNonNull(managementHost, "managementHost is null");
        requireNonNull(idleTimeout, "idleTimeout is null");
        requireNonNull(stopTimeout, "stopTimeout is null");
        requireNonNull(accessLog, "accessLog is null");
        checkPort("server.port", port);
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
