package io.blueorigin.cdn.runtime;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two defences of the traffic port that Jetty leaves to the application, as a connection listener:
 *
 * <ul>
 *   <li><b>Connections per client</b>: a client address holding {@code maxPerClient} connections has any
 *       further one closed at once (the total is bounded by Jetty's {@code NetworkConnectionLimit}).</li>
 *   <li><b>Header deadline</b>: a new connection that has not delivered one whole request head within
 *       {@code headerTimeout} is closed. The idle timeout alone cannot catch a client that trickles one
 *       header byte just inside it ("slowloris"), holding a connection for no request at all.</li>
 * </ul>
 *
 * <p>On an HTTPS port the header deadline applies to the decrypted HTTP connection (the TLS one has no
 * messages of its own), so a client that never completes its handshake is closed by the idle timeout only.
 *
 * <p>Invariants: {@code perClient} holds an entry only for an address with at least one open connection
 * (the count is decremented at close, and a count of zero removes the entry atomically in {@code compute}),
 * so the map is bounded by the open connections; every scheduled deadline is cancelled at close.
 * Thread-safe.
 */
final class ConnectionGuard implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    private final int maxPerClient;
    private final long headerTimeoutMillis;
    private final Scheduler scheduler;
    private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Connection, Scheduler.Task> deadlines = new ConcurrentHashMap<>();
    /** Connections counted in {@link #perClient}; a refused one is not (it closes without counting). */
    private final ConcurrentHashMap<Connection, InetAddress> counted = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();
    private final LongAdder timedOut = new LongAdder();

    ConnectionGuard(int maxPerClient, long headerTimeoutMillis, Scheduler scheduler) {
        this.maxPerClient = maxPerClient;
        this.headerTimeoutMillis = headerTimeoutMillis;
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
    }

    @Override
    public void onOpened(Connection connection) {
        // a TLS connection is an SslConnection on the socket and, once decrypted, an ALPN then an HTTP connection on
        // its SslEndPoint: only the one on the socket counts against the client, so each TCP connection counts once
        boolean onSocket = !(connection.getEndPoint() instanceof SslConnection.SslEndPoint);
        InetAddress client = onSocket ? clientOf(connection.getEndPoint().getRemoteSocketAddress()) : null;
        if (client != null) {
            boolean[] admitted = {false};
            perClient.compute(client, (address, count) -> {
                int n = count == null ? 0 : count;
                if (n >= maxPerClient) {
                    return count;
                }
                admitted[0] = true;
                return n + 1;
            });
            if (!admitted[0]) {
                refused.increment();
                if (LOG.isDebugEnabled()) {
                    LOG.debug("closing a connection from {}: it holds {} (server.max-connections-per-client)", client, maxPerClient);
                }
                connection.getEndPoint().close();
                return;
            }
            counted.put(connection, client);
        }
        deadlines.put(connection, scheduler.schedule(() -> checkHead(connection), headerTimeoutMillis, TimeUnit.MILLISECONDS));
    }

    private void checkHead(Connection connection) {
        deadlines.remove(connection);
        if (connection.getMessagesIn() == 0 && connection.getEndPoint().isOpen()) {
            timedOut.increment();
            if (LOG.isDebugEnabled()) {
                LOG.debug("closing a connection with no whole request head after {} ms (server.header-timeout)",
                        headerTimeoutMillis);
            }
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Scheduler.Task deadline = deadlines.remove(connection);
        if (deadline != null) {
            deadline.cancel();
        }
        InetAddress client = counted.remove(connection);
        if (client != null) {
            perClient.computeIfPresent(client, (address, count) -> count <= 1 ? null : count - 1);
        }
    }

    private static @Nullable InetAddress clientOf(@Nullable SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    /** Connections closed at once because their client held too many. */
    long refused() {
        return refused.sum();
    }

    /** Connections closed because no request head arrived in time. */
    long timedOut() {
        return timedOut.sum();
    }

    /** Client addresses with open connections now (at rest: 0). */
    int clients() {
        return perClient.size();
    }

    /** Deadlines pending now (at rest: 0). */
    int pendingDeadlines() {
        return deadlines.size();
    }
}
