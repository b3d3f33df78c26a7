package io.blueorigin.cdn.router;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.router.DnsAnswers.Answer;
import io.blueorigin.cdn.runtime.StartupException;
import io.blueorigin.cdn.runtime.metrics.NodeMetrics;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's DNS server: {@link DnsAnswers} over UDP and TCP on one port ({@code routing.dns-port}).
 *
 * <p>Thread model, bounded whatever clients send: one UDP thread receives, answers and sends each datagram in
 * turn (an answer is a GeoIP lookup and a hash, microseconds); one TCP thread accepts connections and hands
 * each to a pool of {@link #TCP_CONNECTIONS} threads, and a connection beyond that is closed at once. A TCP
 * connection carries queries framed by a two-byte length (RFC 1035 §4.2.2, RFC 7766); it is closed after
 * {@link #TCP_IDLE_MILLIS} without a complete query, after {@link #TCP_QUERIES_PER_CONNECTION} queries, on a
 * frame cut short, or on a message too broken to answer. A datagram or frame that cannot be answered is
 * dropped and counted; no input stops the server.
 */
public final class DnsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);
    /** TCP connections served at once. */
    public static final int TCP_CONNECTIONS = 16;
    /** A TCP connection is closed when no full query arrives for this long. */
    public static final int TCP_IDLE_MILLIS = 5_000;
    /** Queries answered on one TCP connection before it is closed. */
    public static final int TCP_QUERIES_PER_CONNECTION = 100;
    private static final int UDP_BUFFER = 65_535;

    private final DnsAnswers answers;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final ThreadPoolExecutor connections;
    private final Thread udpThread;
    private final Thread acceptThread;
    private final NodeMetrics metrics;
    private final AtomicInteger refusedConnections = new AtomicInteger();
    /** Connections being served (at most {@link #TCP_CONNECTIONS}), closed by {@link #close()} to end blocked reads. */
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private DnsServer(DnsAnswers answers, DatagramSocket udp, ServerSocket tcp, String name, NodeMetrics metrics) {
        this.answers = answers;
        this.udp = udp;
        this.tcp = tcp;
        this.metrics = metrics;
        AtomicInteger ids = new AtomicInteger();
        this.connections = new ThreadPoolExecutor(TCP_CONNECTIONS, TCP_CONNECTIONS, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), runnable -> daemon(runnable, name + "-dns-tcp-" + ids.incrementAndGet()),
                new ThreadPoolExecutor.AbortPolicy());
        this.connections.allowCoreThreadTimeOut(true);
        this.udpThread = daemon(this::receiveLoop, name + "-dns-udp");
        this.acceptThread = daemon(this::acceptLoop, name + "-dns-accept");
    }

    /**
     * Binds UDP and TCP on {@code bindAddress:port} and starts serving. Port 0 binds a free port (the same for
     * both; tests), which {@link #port()} tells.
     *
     * @throws StartupException naming {@code routing.dns-port} when a socket cannot be bound
     */
    public static DnsServer start(DnsAnswers answers, InetAddress bindAddress, int port, String name,
            NodeMetrics metrics) {
        requireNonNull(answers, "answers is null");
        Bound bound;
        try {
            bound = port == 0 ? bindFreePair(bindAddress, () -> 0, FREE_PORT_ATTEMPTS) : bindPair(bindAddress, port);
        } catch (IOException e) {
            throw new StartupException(name + " cannot serve DNS on " + bindAddress.getHostAddress() + ":" + port
                    + " (routing.dns-port, routing.dns-bind-address): " + e.getMessage()
                    + (e instanceof BindException ? ". Another process holds that port, or it needs privileges"
                    + " (ports below 1024): choose another routing.dns-port." : ""), e);
        }
        DnsServer server = new DnsServer(answers, bound.udp(), bound.tcp(), name, metrics);
        server.udpThread.start();
        server.acceptThread.start();
        LOG.info("{} answers DNS for {} on {}:{} (UDP and TCP)", name, answers.zone(), bindAddress.getHostAddress(),
                server.port());
        return server;
    }

    /** A UDP and a TCP socket bound on the same port. */
    record Bound(DatagramSocket udp, ServerSocket tcp) {}

    /** Tries for port 0: the free UDP port found may be some TCP connection's local port. */
    static final int FREE_PORT_ATTEMPTS = 16;

    /**
     * Binds UDP on a port from {@code udpPorts} (0: any free one), then TCP on the same number; when TCP finds it
     * taken (a free UDP port can be the local port of any TCP connection on the machine), closes the UDP socket
     * and tries again, at most {@code attempts} times.
     */
    static Bound bindFreePair(InetAddress address, IntSupplier udpPorts, int attempts) throws IOException {
        BindException last = new BindException("no attempt made");
        for (int i = 0; i < attempts; i++) {
            try {
                return bindPair(address, udpPorts.getAsInt());
            } catch (BindException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Binds UDP and TCP on {@code port} (UDP first: for 0, TCP takes the port UDP found); nothing stays bound on failure. */
    static Bound bindPair(InetAddress address, int port) throws IOException {
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, port));
        ServerSocket tcp = null;
        try {
            tcp = new ServerSocket();
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(address, udp.getLocalPort()), 64);
            return new Bound(udp, tcp);
        } catch (IOException | RuntimeException e) {
            closeQuietly(udp);
            closeQuietly(tcp);
            throw e;
        }
    }

    /** The bound port. */
    public int port() {
        return udp.getLocalPort();
    }

    /** TCP connections closed at once because {@link #TCP_CONNECTIONS} were busy. */
    public int refusedConnections() {
        return refusedConnections.get();
    }

    private void receiveLoop() {
        byte[] buffer = new byte[UDP_BUFFER];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("DNS UDP receive failed: {}", e.toString());
                }
                continue;
            }
            try {
                Answer answer = answers.answer(Arrays.copyOf(buffer, packet.getLength()), packet.getAddress(), false);
                count("udp", answer);
                if (answer != null) {
                    udp.send(new DatagramPacket(answer.wire(), answer.wire().length, packet.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                // one bad datagram or unreachable client must not stop the server
                LOG.debug("DNS UDP query from {} not answered: {}", packet.getAddress(), e.toString());
                count("udp", null);
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = tcp.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("DNS TCP accept failed: {}", e.toString());
                }
                continue;
            }
            try {
                connections.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) {
                refusedConnections.incrementAndGet();
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        open.add(socket);
        try (socket) {
            if (closed) {
                return;
            }
            socket.setSoTimeout(TCP_IDLE_MILLIS);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            for (int i = 0; i < TCP_QUERIES_PER_CONNECTION && !closed; i++) {
                int length = in.readUnsignedShort();
                byte[] query = new byte[length]; // at most 65,535 bytes per connection, by the framing
                in.readFully(query);
                Answer answer = answers.answer(query, socket.getInetAddress(), true);
                count("tcp", answer);
                if (answer == null) {
                    return;
                }
                out.writeShort(answer.wire().length);
                out.write(answer.wire());
                out.flush();
            }
        } catch (EOFException | SocketException | java.net.SocketTimeoutException e) {
            // the client closed, cut a frame short, or went quiet: the connection ends
        } catch (IOException | RuntimeException e) {
            LOG.debug("DNS TCP connection from {} ended: {}", socket.getInetAddress(), e.toString());
        } finally {
            open.remove(socket);
        }
    }

    private void count(String transport, @Nullable Answer answer) {
        String rcode = answer == null ? "dropped" : answer.rcodeName().toLowerCase(Locale.ROOT);
        metrics.counter("cdn_router_dns_queries_total", "DNS queries by transport and response code (dropped: not"
                + " answered)", "transport", transport, "rcode", rcode).inc();
    }

    /** Stops both listeners and every connection; returns when the threads have ended (or after 5 s). */
    @Override
    public void close() {
        closed = true;
        udp.close();
        closeQuietly(tcp);
        connections.shutdownNow();
        open.forEach(DnsServer::closeQuietly);
        try {
            udpThread.join(5_000);
            acceptThread.join(5_000);
            connections.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(@Nullable AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing on a failure path or at shutdown: nothing more to do
        }
    }
}
