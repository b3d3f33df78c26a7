package io.blueorigin.cdn.testkit;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.AdminConfig;
import io.blueorigin.cdn.admin.AdminNode;
import io.blueorigin.cdn.admin.db.ApiTokens;
import io.blueorigin.cdn.admin.db.DatabaseConfig;
import io.blueorigin.cdn.edge.EdgeNode;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.proxy.UpstreamConfig;
import io.blueorigin.cdn.proxy.control.ControlConfig;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import io.blueorigin.cdn.shield.ShieldNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * An in-process CDN on ephemeral loopback ports: optionally an admin (on a fresh {@link TestDatabase}),
 * shields in front of a given origin, and edges in front of the first shield. Started dependencies first,
 * closed in reverse.
 *
 * <pre>{@code
 * try (TestOrigin origin = TestOrigin.start();
 *      TestCluster cdn = TestCluster.builder(origin.uri()).edges("nyc", "lhr").start()) {
 *     client.get(cdn.edge("nyc").uri().resolve("/a"));
 * }
 * }</pre>
 */
public final class TestCluster implements AutoCloseable {
    /** Every admin replica, {@link #admin()} first; empty without an admin. */
    private final List<AdminNode> admins;
    /** Guarded by this (a restarted node replaces its predecessor). */
    private final List<ProxyNode> shields;
    /** Guarded by this. */
    private final List<ProxyNode> edges;
    private final List<AutoCloseable> started;
    private final Clock edgeClock;
    private final Clock shieldClock;

    private TestCluster(List<AdminNode> admins, List<ProxyNode> shields, List<ProxyNode> edges, List<AutoCloseable> started,
            Clock edgeClock, Clock shieldClock) {
        this.admins = List.copyOf(admins);
        this.shields = new ArrayList<>(shields);
        this.edges = new ArrayList<>(edges);
        this.started = new ArrayList<>(started);
        this.edgeClock = edgeClock;
        this.shieldClock = shieldClock;
    }

    public static Builder builder(URI origin) {
        return new Builder(origin);
    }

    public AdminNode admin() {
        if (admins.isEmpty()) {
            throw new IllegalStateException("this cluster was built without an admin (withAdmin())");
        }
        return admins.get(0);
    }

    /** Every admin replica ({@link Builder#adminReplicas}), the first one {@link #admin()}. */
    public List<AdminNode> admins() {
        return admins;
    }

    /** Stops admin replica {@code replica} now, as a crash would (its port refuses connections afterwards). */
    public synchronized void stopAdmin(AdminNode replica) {
        if (started.remove(replica)) {
            replica.close();
        }
    }

    /** A new node token (scope node) of admin's, bound to {@code nodeName}: what that node's control.token would be. */
    public String nodeToken(String nodeName) {
        return Builder.nodeToken(admin(), nodeName);
    }

    public synchronized List<ProxyNode> shields() {
        return List.copyOf(shields);
    }

    public synchronized ProxyNode shield() {
        return shields.get(0);
    }

    public synchronized List<ProxyNode> edges() {
        return List.copyOf(edges);
    }

    /** The edge of point of presence {@code pop}. */
    public synchronized ProxyNode edge(String pop) {
        return edges.stream().filter(e -> e.identity().pop().equals(pop)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no edge in POP " + pop));
    }

    /**
     * Starts {@code node} again (stopping it first if it runs) with the same configuration, ports and store
     * directory, as an operator's restart would; the new node takes its place in this cluster.
     */
    public synchronized ProxyNode restart(ProxyNode node) {
        java.util.Optional<URI> https = node.httpsUri(); // asked before the stop closes its connector
        stop(node);
        ProxyConfig old = node.config();
        ServerConfig s = old.server();
        // the same ports as bound (an ephemeral 0 became a real port), HTTPS and h2c included
        java.util.Optional<io.blueorigin.cdn.runtime.TlsConfig> tls = s.tls().map(t -> new io.blueorigin.cdn.runtime.TlsConfig(
                https.orElseThrow().getPort(), t.keys(), t.hsts(), t.scanInterval(), t.allowExpired()));
        ProxyConfig config = old.withServer(new ServerConfig(s.host(), node.uri().getPort(), s.managementHost(),
                node.managementUri().getPort(), s.maxThreads(), s.idleTimeout(), s.stopTimeout(), s.accessLog(), s.limits(),
                tls, s.h2c()));
        ProxyNode fresh = old.identity().role() == Role.EDGE ? EdgeNode.start(config, edgeClock)
                : ShieldNode.start(config, shieldClock);
        started.add(fresh);
        List<ProxyNode> list = old.identity().role() == Role.EDGE ? edges : shields;
        list.set(list.indexOf(node), fresh);
        return fresh;
    }

    /**
     * Stops one node now, as a crash or a maintenance stop would (its port refuses connections afterwards);
     * the others keep running.
     */
    public synchronized void stop(ProxyNode node) {
        if (started.remove(node)) {
            node.close();
        }
    }

    @Override
    public synchronized void close() {
        List<AutoCloseable> reverse = new ArrayList<>(started);
        Collections.reverse(reverse);
        RuntimeException failure = null;
        for (AutoCloseable c : reverse) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("failed to stop " + c, e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Configures and starts a {@link TestCluster}; not thread-safe. */
    public static final class Builder {
        private final URI origin;
        private List<String> edgePops = List.of("nyc", "lhr");
        private List<String> shieldPops = List.of("iad");
        private boolean withAdmin;
        private int adminReplicas = 1;
        private @org.jspecify.annotations.Nullable String adminDatabase;
        private UnaryOperator<ProxyConfig> edgeCustomizer = UnaryOperator.identity();
        private UnaryOperator<ProxyConfig> shieldCustomizer = UnaryOperator.identity();
        private Clock clock = Clock.systemUTC();
        private @org.jspecify.annotations.Nullable Clock edgeClock;
        private @org.jspecify.annotations.Nullable Clock shieldClock;
        private boolean originFallback;

        private Builder(URI origin) {
            this.origin = requireNonNull(origin, "origin is null");
        }

        /** Edge POPs (default nyc, lhr); none for a shield-only cluster. */
        public Builder edges(String... pops) {
            this.edgePops = List.of(pops);
            return this;
        }

        /** Shield POPs (default iad); none to point edges at the origin directly. */
        public Builder shields(String... pops) {
            this.shieldPops = List.of(pops);
            return this;
        }

        /** Edges go to the origin directly when every shield is down. */
        public Builder originFallback() {
            this.originFallback = true;
            return this;
        }

        /** Adds an admin node on the database at {@code jdbcUrl} (user postgres, no password). */
        public Builder withAdmin(String jdbcUrl) {
            this.adminDatabase = requireNonNull(jdbcUrl, "jdbcUrl is null");
            return withAdmin();
        }

        /** Adds an admin node on a fresh embedded PostgreSQL database; every proxy node then follows it. */
        public Builder withAdmin() {
            this.withAdmin = true;
            return this;
        }

        /**
         * {@code n} admin replicas on the one database (as {@link #withAdmin()} or {@link #withAdmin(String)} sets);
         * every proxy node lists them all in {@code control.admin-url}, in start order.
         */
        public Builder adminReplicas(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("at least one admin replica");
            }
            this.adminReplicas = n;
            return withAdmin();
        }

        /** Changes each edge's config before it starts. */
        public Builder edgeConfig(UnaryOperator<ProxyConfig> customizer) {
            this.edgeCustomizer = requireNonNull(customizer, "customizer is null");
            return this;
        }

        /** The clock every proxy node reads (a {@link TestClock} lets tests expire objects without waiting). */
        public Builder clock(Clock newClock) {
            this.clock = requireNonNull(newClock, "clock is null");
            return this;
        }

        /** The edges' clock instead of {@link #clock}'s: one tier's clock stepping alone (ClockStepIT). */
        public Builder edgeClock(Clock newClock) {
            this.edgeClock = requireNonNull(newClock, "clock is null");
            return this;
        }

        /** The shields' clock instead of {@link #clock}'s. */
        public Builder shieldClock(Clock newClock) {
            this.shieldClock = requireNonNull(newClock, "clock is null");
            return this;
        }

        /** Changes each shield's config before it starts. */
        public Builder shieldConfig(UnaryOperator<ProxyConfig> customizer) {
            this.shieldCustomizer = requireNonNull(customizer, "customizer is null");
            return this;
        }

        private Clock edgeClock() {
            return edgeClock != null ? edgeClock : clock;
        }

        private Clock shieldClock() {
            return shieldClock != null ? shieldClock : clock;
        }

        public TestCluster start() {
            List<AutoCloseable> started = new ArrayList<>();
            try {
                List<AdminNode> admins = new ArrayList<>();
                if (withAdmin) {
                    String database = adminDatabase != null ? adminDatabase : TestDatabase.fresh();
                    for (int i = 0; i < adminReplicas; i++) {
                        AdminNode node = AdminNode.start(new AdminConfig(new NodeIdentity(Role.ADMIN,
                                i == 0 ? "admin-test" : "admin-test-" + (i + 1), "local"), ServerConfig.ephemeral(),
                                new DatabaseConfig(database, "postgres", "", 4, Duration.ofSeconds(2), true), Optional.empty()));
                        started.add(node);
                        admins.add(node);
                    }
                }
                // with an admin, every node follows its invalidation log with a node token of its own (bound to its name)
                List<URI> adminUrls = admins.stream().map(AdminNode::uri).toList();
                UnaryOperator<ProxyConfig> control = c -> admins.isEmpty() ? c
                        : c.withControl(ControlConfig.of(adminUrls, nodeToken(admins.get(0), c.identity().name()))
                                .withHeartbeatInterval(Duration.ofSeconds(1)));
                List<ProxyNode> shields = new ArrayList<>();
                for (String pop : shieldPops) {
                    ProxyNode shield = ShieldNode.start(shieldCustomizer.apply(control.apply(ProxyConfig.of(
                            NodeIdentity.of(Role.SHIELD, pop), ServerConfig.ephemeral(), UpstreamConfig.of(origin)))), shieldClock());
                    started.add(shield);
                    shields.add(shield);
                }
                // edges hash keys over every shield (the ring), falling back to the origin if asked to
                UpstreamConfig edgeUpstream = shields.isEmpty() ? UpstreamConfig.of(origin)
                        : UpstreamConfig.of(shields.stream().map(ProxyNode::uri).toList(),
                                originFallback ? Optional.of(origin) : Optional.empty());
                List<ProxyNode> edges = new ArrayList<>();
                for (String pop : edgePops) {
                    ProxyNode edge = EdgeNode.start(edgeCustomizer.apply(control.apply(ProxyConfig.of(
                            NodeIdentity.of(Role.EDGE, pop), ServerConfig.ephemeral(), edgeUpstream))), edgeClock());
                    started.add(edge);
                    edges.add(edge);
                }
                return new TestCluster(admins, shields, edges, started, edgeClock(), shieldClock());
            } catch (RuntimeException e) {
                new TestCluster(List.of(), List.of(), List.of(), started, edgeClock(), shieldClock()).close();
                throw e;
            }
        }

        /** A node token (scope node) bound to {@code nodeName}, made directly in admin's database. */
        private static String nodeToken(AdminNode admin, String nodeName) {
            try {
                return new ApiTokens(admin.database().dataSource()).createNodeToken(nodeName);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot create the node token of " + nodeName, e);
            }
        }
    }
}
