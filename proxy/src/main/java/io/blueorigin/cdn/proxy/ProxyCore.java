package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.proxy.control.ControlPlane;
import io.blueorigin.cdn.proxy.upstream.CircuitBreaker;
import io.blueorigin.cdn.proxy.upstream.Upstream;
import io.blueorigin.cdn.proxy.upstream.Upstreams;
import io.blueorigin.cdn.runtime.HealthRegistry;
import io.blueorigin.cdn.runtime.Json;
import io.blueorigin.cdn.runtime.NodeServer;
import io.blueorigin.cdn.runtime.ReadinessCheck;
import io.blueorigin.cdn.runtime.StartupException;
import io.blueorigin.cdn.runtime.metrics.NodeMetrics;
import io.blueorigin.cdn.runtime.metrics.PrometheusEndpoint;
import io.blueorigin.cdn.storage.CacheStore;
import io.blueorigin.cdn.storage.StoreOpenException;
import io.blueorigin.cdn.storage.TierStats;
import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.ee10.servlet.ServletHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * An edge or shield without its listeners: the store, the cache and its policy, the collapser, the upstream
 * clients, the control-plane link, readiness checks, and the traffic handler in front of the role's servlet:
 *
 * <pre>
 *   TrafficMeter            counts each request once (docs/metrics.md)
 *    └ CacheHandler         GET/HEAD: lookup, decide, serve from store or fetch via Fetcher
 *      └ pass               the role's CachingProxyServlet: everything else (forward, invalidate)
 * </pre>
 *
 * Two adapters put it on a port, so that there is one request path (decision 0004): {@link ProxyNode} (the
 * launcher: a {@link NodeServer} of its own) and {@code WarNode} (a WAR: the servlet container's connectors and
 * a management port of its own). Owns what it opens: {@link #close()} stops the control plane's link, the
 * upstream clients and the store; the adapter stops its listeners first.
 */
public final class ProxyCore implements AutoCloseable {
    private final ProxyConfig config;
    private final CacheStore store;
    private final NodeMetrics nodeMetrics;
    private final ProxyCache cache;
    private final Collapser collapser;
    private final ControlPlane control;
    private final OriginClients clients;
    private final HttpClient client;
    private final HealthRegistry health;
    private final Handler traffic;

    /**
     * Opens the store and assembles a node.
     *
     * @param role what differs between edge and shield: the role module's policy, for the role of
     *     {@code config}'s identity (else {@link IllegalArgumentException})
     * @param pass builds the pass-through handler (the role's servlet) for the node's cache
     * @param trafficUri, managementUri the node's listeners as bound, asked once it has registered (after start)
     * @throws StartupException when the store cannot be opened
     */
    public static ProxyCore open(ProxyConfig config, RolePolicy role, Clock clock, Function<ProxyCache, Handler> pass,
            Supplier<URI> trafficUri, Supplier<URI> managementUri) {
        requireNonNull(config, "config is null");
        ProxyCache.checkRole(config, role);
        CacheStore store;
        try {
            store = TieredStore.open(config.cache().storage(), config.identity().name());
        } catch (StoreOpenException e) {
            throw new StartupException(config.identity().name() + ": " + e.getMessage(), e);
        }
        try {
            return new ProxyCore(config, role, clock, store, pass, trafficUri, managementUri);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private ProxyCore(ProxyConfig config, RolePolicy role, Clock clock, CacheStore store,
            Function<ProxyCache, Handler> pass, Supplier<URI> trafficUri, Supplier<URI> managementUri) {
        this.config = config;
        this.store = store;
        this.nodeMetrics = new NodeMetrics(config.identity());
        ProxyMetrics metrics = new ProxyMetrics(nodeMetrics, config.urlPatterns());
        this.cache = new ProxyCache(config, role, store, clock, metrics);
        Handler passHandler = pass.apply(cache);
        this.client = upstreamClient(config, config.upstream().connectTimeout(), true);
        this.collapser = new Collapser(10_000, config.cache().hitForMissTtl());
        this.control = ControlPlane.create(config.control(), config.identity(), store, cache.sites(), clock,
                () -> config.control().placement().advertise(trafficUri.get()),
                () -> config.control().placement().advertise(managementUri.get()),
                () -> stats(store, collapser, metrics));
        this.clients = new OriginClients(client, config.upstream().connectTimeout(), (connect, verify) -> {
            HttpClient own = upstreamClient(config, connect, verify);
            own.setExecutor(client.getExecutor());
            own.setScheduler(client.getScheduler());
            try {
                own.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start an upstream client", e);
            }
            return own;
        });
        CacheHandler cacheHandler = new CacheHandler(cache, new Fetcher(cache, clients, collapser, control.local()),
                collapser, control, passHandler);
        this.traffic = new TrafficMeter(metrics, cacheHandler);

        this.health = new HealthRegistry(config.identity());
        health.register("upstream", () -> upstreamReadiness(cache.upstreams()));
        health.register("store", () -> storeReadiness(store));
        health.register("collapsing", () -> ReadinessCheck.Result.ready(Map.of("inFlight", collapser.inFlight(),
                "waiting", collapser.waiting().get(), "collapsed", collapser.collapsed())));
        health.register("invalidations", control::readiness);
        health.register("sites", () -> siteReadiness(cache.sites()));
        metrics.watch(store, collapser, cache.upstreams(), control);
    }

    /**
     * Registers the role's servlet on {@code servlets} for every path, set up as a proxy node needs it: async,
     * started with the context, the upstream limits as its init-parameters, raw request-targets passed on.
     */
    public static void addServlet(ServletHandler servlets, ProxyConfig config, CachingProxyServlet servlet) {
        ServletHolder holder = new ServletHolder(config.identity().role().label(), servlet);
        holder.setAsyncSupported(true);
        holder.setInitOrder(0);
        holder.setInitParameter("viaHost", config.identity().name());
        holder.setInitParameter("maxConnections", Integer.toString(config.upstream().maxConnections()));
        holder.setInitParameter("idleTimeout", Long.toString(config.upstream().readTimeout().toMillis()));
        // A total timeout bounds how long one pass-through exchange (slow upload, slow reader) holds an upstream slot.
        holder.setInitParameter("timeout", Long.toString(config.upstream().passTimeout().toMillis()));
        servlets.addServletWithMapping(holder, "/*");
        // The servlet forwards the raw request-target; it never maps paths to files, so encoded separators
        // and empty segments are data to pass on, not ambiguities to refuse.
        servlets.setDecodeAmbiguousURIs(true);
    }

    /** The traffic handler: metering, then the cache, then the pass-through handler. */
    public Handler traffic() {
        return traffic;
    }

    /** Readiness checks for the management port. */
    public HealthRegistry health() {
        return health;
    }

    /** Adds {@code /metrics} and {@code /cache/inspect} to a management port. */
    public NodeServer.Builder managementRoutes(NodeServer.Builder builder) {
        return builder.managementRoute("/metrics", new PrometheusEndpoint(nodeMetrics))
                .managementRoute(CacheInspector.PATH, new CacheInspector(cache, control.local()));
    }

    /**
     * The upstream client for cache fetches, to be started with the listeners' server on its thread pool (the
     * adapter adds it as a bean).
     */
    public HttpClient upstreamClient(Executor executor) {
        client.setExecutor(executor);
        return client;
    }

    /** Once the node listens: follows admin (registers, heartbeats, invalidations) and, on an edge, the shield ring. */
    public void started() {
        control.startAgent();
        if (cache.role().hasShieldRing(config.upstream())) {
            control.followShields(cache.upstreams()::replaceMembers, config.identity().name());
        }
    }

    public ProxyConfig config() {
        return config;
    }

    public ProxyCache cache() {
        return cache;
    }

    Collapser collapser() {
        return collapser;
    }

    public ControlPlane control() {
        return control;
    }

    /** Stops following admin: first of a node's stop, before its listeners drain. */
    public void stopControl() {
        control.close();
    }

    /** After the listeners stopped: the control link (closing it again is harmless), the upstream clients, the store. */
    @Override
    public void close() {
        control.close();
        clients.stop();
        store.close();
    }

    /**
     * Always ready (a node with no usable upstream still serves what it has cached, and stale on error);
     * details give each upstream's breaker state, mark-down, requests in flight and queued, and
     * {@code degraded} when none is usable.
     */
    private static ReadinessCheck.Result upstreamReadiness(Upstreams upstreams) {
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        boolean anyUp = false;
        for (Upstream u : upstreams.all()) {
            boolean down = upstreams.isDown(u);
            anyUp |= !down && u.breaker().state() != CircuitBreaker.State.OPEN;
            details.put(u.url().toString(), Map.of("breaker", u.breaker().state().name().toLowerCase(java.util.Locale.ROOT),
                    "markedDown", down, "inFlight", u.gate().inFlight(), "queued", u.gate().queued()));
        }
        if (!anyUp) {
            details.put("degraded", "no upstream is usable (every one marked down or its circuit breaker open)");
        }
        return ReadinessCheck.Result.ready(details);
    }

    /**
     * Always ready: the site table's version (the log id of the last site change applied; 0 for a node's own
     * configuration) and the sites served, the default one ({@code cache.site}) marked.
     */
    private static ReadinessCheck.Result siteReadiness(io.blueorigin.cdn.proxy.site.SiteRouter sites) {
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("version", sites.table().version());
        details.put("sites", sites.all().stream().map(io.blueorigin.cdn.proxy.site.ServedSite::name).sorted().toList());
        io.blueorigin.cdn.proxy.site.ServedSite fallback = sites.route(null);
        details.put("unclaimedHosts", fallback == null ? "421" : fallback.name());
        return ReadinessCheck.Result.ready(details);
    }

    /**
     * The store is always ready once open; a disk tier that stopped accepting writes (full, failing) is
     * reported in the details (the node still serves from memory and upstream), and so is the process's
     * budget for bodies in transit ({@code inFlight}: bytes held by every node of the process, and the budget).
     */
    private static ReadinessCheck.Result storeReadiness(CacheStore store) {
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        for (TierStats tier : store.stats()) {
            details.put(tier.tier(), Map.of("entries", tier.entries(), "bytes", tier.bytes(), "maxBytes", tier.maxBytes()));
        }
        details.put("inFlight", Map.of("bytes", store.memoryBudget().usedBytes(), "maxBytes", store.memoryBudget().maxBytes()));
        String degraded = store.degraded();
        if (!degraded.isEmpty()) {
            details.put("degraded", degraded);
        }
        return ReadinessCheck.Result.ready(details);
    }

    /** The client of cache fetches: no redirects, no cookies, no decoding, only what a proxy must do. */
    private static HttpClient upstreamClient(ProxyConfig config, java.time.Duration connectTimeout, boolean verifyTls) {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setConnectTimeout(connectTimeout);
        // verifyTls false: a site origin with a private certificate, on the operator's say-so (Origin.verifyTls)
        connector.setSslContextFactory(new org.eclipse.jetty.util.ssl.SslContextFactory.Client(!verifyTls));
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setName(config.identity().name() + "-upstream");
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setMaxConnectionsPerDestination(config.upstream().maxConnections());
        client.setIdleTimeout(config.upstream().readTimeout().toMillis());
        // up to twice what this node writes is read (a bounded buffer), so that the Fetcher can refuse an oversized
        // head itself, with a log line naming server.response-header-size
        client.setMaxResponseHeadersSize(2 * config.server().limits().responseHeaderSize());
        client.setUserAgentField(null); // the client's User-Agent is the only one
        client.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarted(LifeCycle event) {
                // bodies are stored and relayed exactly as received; 1xx/401/redirects are the client's business
                client.getContentDecoderFactories().clear();
                client.getProtocolHandlers().clear();
                client.getProtocolHandlers().put(new EarlyHints.Relay()); // 103s go on to the client (RFC 9110 §15.2)
            }
        });
        return client;
    }

    /**
     * What the heartbeat reports to admin: store tiers, collapsing, and {@code traffic}
     * ({@link ProxyMetrics#traffic()}).
     */
    private static JsonNode stats(CacheStore store, Collapser collapser, ProxyMetrics metrics) {
        Map<String, Object> stats = new java.util.LinkedHashMap<>();
        for (TierStats tier : store.stats()) {
            stats.put(tier.tier(), Map.of("entries", tier.entries(), "bytes", tier.bytes(), "maxBytes", tier.maxBytes(),
                    "hits", tier.hits(), "misses", tier.misses()));
        }
        stats.put("collapsed", collapser.collapsed());
        stats.put("traffic", metrics.traffic());
        return Json.MAPPER.valueToTree(stats);
    }
}
