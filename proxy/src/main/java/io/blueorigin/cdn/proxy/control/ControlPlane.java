package io.blueorigin.cdn.proxy.control;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.ReadinessCheck;
import io.blueorigin.cdn.storage.CacheStore;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.jspecify.annotations.Nullable;

/**
 * A proxy node's link to the control plane: the local invalidation state the request path screens
 * with, and, when {@code control.admin-url} is set, the agent that follows admin's log and the handler of
 * {@code PURGE}. One per node, created and closed by {@code ProxyNode}.
 */
public final class ControlPlane implements AutoCloseable {
    private final LocalInvalidations local;
    private final ControlConfig config;
    private final @Nullable HttpClient client;
    private final @Nullable InvalidationAgent agent;
    private final @Nullable PurgeRequests purges;
    private final @Nullable AdminClient admin;
    private @Nullable ShieldRingFollower shieldRing;

    private ControlPlane(ControlConfig config, LocalInvalidations local, @Nullable HttpClient client,
            @Nullable InvalidationAgent agent, @Nullable PurgeRequests purges, @Nullable AdminClient admin) {
        this.config = config;
        this.admin = admin;
        this.local = local;
        this.client = client;
        this.agent = agent;
        this.purges = purges;
    }

    /**
     * Creates the node's control-plane link; {@link #startAgent()} starts following admin once the node's
     * servers listen ({@code trafficUrl} and {@code managementUrl} are read at registration).
     */
    public static ControlPlane create(ControlConfig config, NodeIdentity identity, CacheStore store, String site, Clock clock,
            Supplier<URI> trafficUrl, Supplier<URI> managementUrl, Supplier<JsonNode> stats) {
        return create(config, identity, store, SiteDirectory.single(site), clock, trafficUrl, managementUrl, stats);
    }

    /**
     * Creates the node's control-plane link; {@link #startAgent()} starts following admin once the node's
     * servers listen. Site changes from admin (registration's table, the log's site entries) go to {@code sites}.
     */
    public static ControlPlane create(ControlConfig config, NodeIdentity identity, CacheStore store, SiteDirectory sites,
            Clock clock, Supplier<URI> trafficUrl, Supplier<URI> managementUrl, Supplier<JsonNode> stats) {
        requireNonNull(config, "config is null");
        if (!config.enabled()) {
            LocalInvalidations standalone = new LocalInvalidations();
            standalone.replayOver(true);
            return new ControlPlane(config, standalone, null, null, null, null);
        }
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setConnectTimeout(java.time.Duration.ofSeconds(2));
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setName(identity.name() + "-admin");
        client.setFollowRedirects(false);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the admin client", e);
        }
        ControlPlane plane = null;
        try {
            AdminClient admin = new AdminClient(client, config.adminUrls(), config.token().orElseThrow());
            LocalInvalidations local = new LocalInvalidations();
            Invalidator invalidator = new Invalidator(store, sites, clock, local);
            InvalidationAgent agent = new InvalidationAgent(config, identity, admin, store, local, invalidator, sites, clock,
                    trafficUrl, managementUrl, stats);
            PurgeRequests purges = new PurgeRequests(admin, invalidator, store.ioExecutor(), identity.name(), local);
            plane = new ControlPlane(config, local, client, agent, purges, admin);
            return plane;
        } finally {
            if (plane == null) {
                stopQuietly(client);
            }
        }
    }

    /** Starts the agent (if admin is configured): register, replay what the store missed, follow the log. */
    public void startAgent() {
        if (agent != null) {
            agent.start();
        }
    }

    /**
     * Makes an edge's shield ring follow admin's registry ({@code upstream.shields-from-registry}): from now on
     * {@code ring} gets the usable shields' traffic URLs at every change of admin's routing view. Nothing when
     * there is no admin or the setting is off. Call once, before {@link #close}.
     *
     * @param ring replaces the ring's members; answers whether they changed ({@code Upstreams::replaceMembers})
     */
    public synchronized void followShields(java.util.function.Predicate<List<URI>> ring, String nodeName) {
        if (admin == null || !config.shieldsFromRegistry() || shieldRing != null) {
            return;
        }
        shieldRing = new ShieldRingFollower(admin, ring, nodeName);
        shieldRing.start();
    }

    /** The version of admin's routing view the shield ring reflects (0: not following, or admin not answered yet). */
    public synchronized long shieldRingVersion() {
        return shieldRing == null ? 0 : shieldRing.version();
    }

    /** What the request path screens stored objects with. */
    public LocalInvalidations local() {
        return local;
    }

    public boolean enabled() {
        return agent != null;
    }

    public Optional<PurgeRequests> purges() {
        return Optional.ofNullable(purges);
    }

    public ControlConfig config() {
        return config;
    }

    /** The readiness check {@code invalidations} (always ready for a standalone node). */
    public ReadinessCheck.Result readiness() {
        return agent == null ? ReadinessCheck.Result.ready(java.util.Map.of("admin", "none (standalone)"))
                : agent.readiness();
    }

    /** Entries of admin's log not applied here, as far as this node knows (0 for a standalone node). */
    public long lagEntries() {
        return agent == null ? 0 : agent.lagEntries();
    }

    /** Entries of {@code kind} applied since start (0 for a standalone node). */
    public long applied(Invalidation.Kind kind) {
        return agent == null ? 0 : agent.applied(kind);
    }

    /** Objects the entries applied since start removed or marked stale. */
    public long objectsAffected() {
        return agent == null ? 0 : agent.objectsAffected();
    }

    /**
     * Where applied entries' time went, by stage: see {@link InvalidationAgent#stageTimes()}. A standalone node has
     * the same stages, never timed, so every node exports the same metrics.
     */
    public Map<String, Timer> stageTimes() {
        return agent == null ? InvalidationAgent.stages(new Timer(), new Timer()) : agent.stageTimes();
    }

    /** Milliseconds since admin last answered; -1 if it never has or there is no admin. */
    public long contactAgeMillis() {
        return agent == null ? -1 : agent.contactAgeMillis();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (shieldRing != null) {
                shieldRing.close();
            }
        }
        if (agent != null) {
            agent.close();
        }
        if (client != null) {
            stopQuietly(client);
        }
    }

    private static void stopQuietly(HttpClient client) {
        try {
            client.stop();
        } catch (Exception ignored) {
            // stopping: nothing left to do with it
        }
    }
}
