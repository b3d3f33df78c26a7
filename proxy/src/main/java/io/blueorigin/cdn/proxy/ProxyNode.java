package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.proxy.control.ControlPlane;
import io.blueorigin.cdn.proxy.upstream.CircuitBreaker;
import io.blueorigin.cdn.proxy.upstream.Upstream;
import io.blueorigin.cdn.proxy.upstream.Upstreams;
import io.blueorigin.cdn.runtime.HealthRegistry;
import io.blueorigin.cdn.runtime.Json;
import io.blueorigin.cdn.runtime.Node;
import io.blueorigin.cdn.runtime.NodeIdentity;
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
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.ClientConnector;
import io.blueorigin.cdn.runtime.MinimumRequestRateHandler;
import io.blueorigin.cdn.runtime.PlainErrorHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * A started edge or shield. The traffic handler tree:
 *
 * <pre>
 *   GracefulHandler
 *    └ TrafficMeter            counts each request once (docs/metrics.md)
 *     └ CacheHandler           GET/HEAD: lookup, decide, serve from store or fetch via Fetcher
 *       └ ServletContextHandler
 *          └ role servlet /*   (a CachingProxyServlet) everything else: forward, invalidate
 * </pre>
 *
 * The node owns one store (heap tier, and a disk tier when {@code store.disk.path} is set), one policy and
 * one upstream client for cache fetches; all stop with the node.
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

    /** Creates the role's servlet for a node. */
    @FunctionalInterface
    public interface ServletFactory {
        CachingProxyServlet create(ProxyConfig config, ProxyCache cache);
    }

    private final NodeServer server;
    private final ProxyConfig config;
    private final ProxyCache cache;
    private final Collapser collapser;
    private final ControlPlane control;
    private final URI uri;
    private final URI managementUri;

    private final OriginClients clients;

    private ProxyNode(NodeServer server, ProxyConfig config, ProxyCache cache, Collapser collapser, ControlPlane control,
            OriginClients clients) {
        this.clients = clients;
        this.server = server;
        this.uri = server.uri();
        this.managementUri = server.managementUri();
        this.config = config;
        this.cache = cache;
        this.collapser = collapser;
        this.control = control;
    }

    /**
     * Request collapsing now.
     *
     * @param inFlight fetches other requests may still join (at rest: 0)
     * @param waiting requests waiting for another request's response headers
     * @param collapsed requests that joined another's fetch since start
     */
    public record CollapsingStats(int inFlight, int waiting, long collapsed) {}

    /** Starts a node with the system clock. */
    public static ProxyNode start(ProxyConfig config, ServletFactory servlets) {
        return start(config, servlets, Clock.systemUTC());
    }

    /**
     * Starts a node.
     *
     * @param clock the node's clock (tests move it to expire objects without waiting)
     * @throws io.blueorigin.cdn.runtime.StartupException when a port is busy or a component cannot start
     */
    public static ProxyNode start(ProxyConfig config, ServletFactory servlets, Clock clock) {
        requireNonNull(config, "config is null");
        requireNonNull(servlets, "servlets is null");
        CacheStore store;
        try {
            store = TieredStore.open(config.cache().storage(), config.identity().name());
        } catch (StoreOpenException e) {
            throw new StartupException(config.identity().name() + ": " + e.getMessage(), e);
        }
        NodeMetrics nodeMetrics = new NodeMetrics(config.identity());
        ProxyMetrics metrics = new ProxyMetrics(nodeMetrics, config.urlPatterns());
        ProxyCache cache = new ProxyCache(config, store, clock, metrics);

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.setErrorHandler(new PlainErrorHandler());
        ServletHolder holder = new ServletHolder(config.identity().role().label(), servlets.create(config, cache));
        holder.setAsyncSupported(true);
        holder.setInitOrder(0);
        holder.setInitParameter("viaHost", config.identity().name());
        holder.setInitParameter("maxConnections", Integer.toString(config.upstream().maxConnections()));
        holder.setInitParameter("idleTimeout", Long.toString(config.upstream().readTimeout().toMillis()));
        // A total timeout bounds how long one pass-through exchange (slow upload, slow reader) holds an upstream slot.
        holder.setInitParameter("timeout", Long.toString(config.upstream().passTimeout().toMillis()));
        context.addServlet(holder, "/*");
        // The servlet forwards the raw request-target; it never maps paths to files, so encoded separators
        // and empty segments are data to pass on, not ambiguities to refuse.
        context.getServletHandler().setDecodeAmbiguousURIs(true);

        HttpClient client = upstreamClient(config, config.upstream().connectTimeout(), true);
        Collapser collapser = new Collapser(10_000, config.cache().hitForMissTtl());
        AtomicReference<NodeServer> started = new AtomicReference<>();
        ControlPlane control = ControlPlane.create(config.control(), config.identity(), store, cache.sites(), clock,
                () -> config.control().placement().advertise(started.get().uri()),
                () -> config.control().placement().advertise(started.get().managementUri()),
                () -> stats(store, collapser, metrics));
        // request bodies only matter on the pass-through path: only it pays for the data-rate check
        long minRate = config.server().limits().minRequestRate();
        Handler passHandler = minRate > 0 ? new MinimumRequestRateHandler(context, minRate) : context;
        OriginClients clients = new OriginClients(client, config.upstream().connectTimeout(), (connect, verify) -> {
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

        HealthRegistry health = new HealthRegistry(config.identity());
        health.register("upstream", () -> upstreamReadiness(cache.upstreams()));
        health.register("store", () -> storeReadiness(store));
        health.register("collapsing", () -> ReadinessCheck.Result.ready(Map.of("inFlight", collapser.inFlight(),
                "waiting", collapser.waiting().get(), "collapsed", collapser.collapsed())));
        health.register("invalidations", control::readiness);
        health.register("sites", () -> siteReadiness(cache.sites()));
        metrics.watch(store, collapser, cache.upstreams(), control);
        NodeServer server = NodeServer.builder(health, config.server())
                .traffic(new TrafficMeter(metrics, cacheHandler))
                .managementRoute("/metrics", new PrometheusEndpoint(nodeMetrics))
                .managementRoute(CacheInspector.PATH, new CacheInspector(cache, control.local()))
                .uriCompliance(PROXY_URI_COMPLIANCE)
                .build();
        client.setExecutor(server.trafficServer().getThreadPool());
        server.trafficServer().addBean(client);
        try {
            server.start();
        } catch (RuntimeException e) {
            control.close();
            store.close();
            throw e;
        }
        started.set(server);
        control.startAgent();
        if (Role.of(config).hasShieldRing(config.upstream())) {
            control.followShields(cache.upstreams()::replaceMembers, config.identity().name());
        }
        return new ProxyNode(server, config, cache, collapser, control, clients);
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

    public ProxyConfig config() {
        return config;
    }

    /** This node's cache (store, policy, keys), for tests and the management endpoints. */
    public ProxyCache cache() {
        return cache;
    }

    public CollapsingStats collapsing() {
        return new CollapsingStats(collapser.inFlight(), collapser.waiting().get(), collapser.collapsed());
    }

    @Override
    public NodeIdentity identity() {
        return server.identity();
    }

    @Override
    /** The traffic URL it was started on (kept after a stop, so a restart can reuse the port). */
    public URI uri() {
        return uri;
    }

    @Override
    public URI managementUri() {
        return managementUri;
    }

    /** The traffic port's connection guard: refusals, header timeouts, clients holding connections now. */
    /** The HTTPS traffic URL ({@code tls.port}), when {@code tls.*} is configured. */
    public java.util.Optional<URI> httpsUri() {
        return server.httpsUri();
    }

    /** How certificate changes went since start (docs/tls.md), when HTTPS reloads its key files. */
    public java.util.Optional<NodeServer.TlsReloads> tlsReloads() {
        return server.tlsReloads();
    }

    public NodeServer.GuardStats connectionGuard() {
        return server.guardStats();
    }

    /** This node's link to the control plane (invalidations applied, lag). */
    public ControlPlane control() {
        return control;
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

    @Override
    public void close() {
        control.close();
        server.close();
        clients.stop();
        cache.store().close();
    }
}
