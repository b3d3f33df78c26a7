package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CacheKey;
import io.blueorigin.cdn.httpcache.CachePolicy;
import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.encoding.CompressionPolicy;
import io.blueorigin.cdn.proxy.encoding.Compressor;
import io.blueorigin.cdn.proxy.encoding.EncodedVariants;
import io.blueorigin.cdn.proxy.ratelimit.RateLimiter;
import io.blueorigin.cdn.proxy.site.SiteRouter;
import io.blueorigin.cdn.proxy.site.SiteTableFile;
import io.blueorigin.cdn.proxy.upstream.Upstreams;
import io.blueorigin.cdn.storage.CacheStore;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The caching state of one proxy node and the few operations every part of the node shares: its store,
 * policy, key scheme, clock, and the fields it never sends to clients. One instance per node, created by
 * {@link ProxyNode}; thread-safe.
 */
public final class ProxyCache {
    private final ProxyConfig config;
    private final CacheStore store;
    private final CachePolicy policy;
    private final Clock clock;
    private final String viaSelf;
    private final Set<String> droppedFields;
    private final Upstreams upstreams;
    private final ProxyMetrics metrics;
    private final Forwarding forwarding;
    /** What differs between edge and shield: the role module's policy. */
    private final RolePolicy role;
    /** An edge's per-client limits; null at a shield (its clients are edges). */
    private final @Nullable RateLimiter rateLimiter;
    /** An edge's compressor (compress once, store next to the identity variant); null when it compresses nothing. */
    private final @Nullable Compressor compressor;
    private final SiteRouter sites;

    /** @throws IllegalArgumentException when {@code role} is not for the role of {@code config}'s identity */
    ProxyCache(ProxyConfig config, RolePolicy role, CacheStore store, Clock clock, ProxyMetrics metrics) {
        this.role = checkRole(config, role);
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.upstreams = new Upstreams(config.upstream(), clock::millis);
        this.sites = new SiteRouter(config, upstreams, clock::millis,
                config.cache().storage().diskPath()
                        .map(dir -> new SiteTableFile(dir.resolve(io.blueorigin.cdn.storage.StorageConfig.NODE_STATE_DIR))).orElse(null));
        this.config = requireNonNull(config, "config is null");
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.policy = new CachePolicy(config.cache().policy());
        this.viaSelf = "1.1 " + config.identity().name();
        this.forwarding = new Forwarding(config.forwarding());
        this.rateLimiter = role.facesClients() ? new RateLimiter(config.rateLimit()) : null;
        this.compressor = role.facesClients() && config.compression().enabled()
                ? new Compressor(store, config.compression(), clock, MAX_PENDING_COMPRESSIONS) : null;
        if (role.facesClients()) {
            java.util.HashSet<String> dropped = new java.util.HashSet<>(Set.of("surrogate-key", "surrogate-control",
                    EncodedVariants.ENCODED_HERE.toLowerCase(Locale.ROOT)));
            config.cache().policy().targetedFields().forEach(f -> dropped.add(f.toLowerCase(Locale.ROOT)));
            this.droppedFields = Set.copyOf(dropped);
        } else {
            this.droppedFields = Set.of();
        }
    }

    /** The sites this node serves: which one a host belongs to, each one's policy and upstreams. */
    public SiteRouter sites() {
        return sites;
    }

    /** The node's configured upstreams (ring, breakers, gates): an edge's shields, a shield's default origin. */
    public Upstreams upstreams() {
        return upstreams;
    }

    /** The node's traffic, upstream and store metrics. */
    public ProxyMetrics metrics() {
        return metrics;
    }

    public CacheStore store() {
        return store;
    }

    public CachePolicy policy() {
        return policy;
    }

    public ProxyConfig config() {
        return config;
    }

    public long now() {
        return clock.millis();
    }

    /** This node's {@code Via} member: {@code 1.1 <node name>}. */
    String viaSelf() {
        return viaSelf;
    }

    /** Lower-case names of fields this node never sends downstream. */
    Set<String> droppedFields() {
        return droppedFields;
    }

    /** The forwarding rules of every upstream request. */
    /**
     * The header section of {@code response} ready for the wire, once per stored (or arriving) response. An edge
     * that compresses adds {@code Vary: Accept-Encoding} to an identity response it would compress (RFC 9110
     * §12.5.5): a downstream cache must not give it to a client that gets a compressed copy here, or the reverse.
     */
    PreparedResponse prepare(CachedResponse response, long length) {
        boolean varyOnCoding = compressor != null && !response.varyFields().contains("accept-encoding")
                && !EncodedVariants.isEncodedHere(response)
                && compressor.eligible(response) == CompressionPolicy.Reason.ELIGIBLE;
        return PreparedResponse.of(response, response.fields(), length, viaSelf, droppedFields, varyOnCoding);
    }

    /** Most compressions queued at once; more are declined (the identity variant is served meanwhile). */
    private static final int MAX_PENDING_COMPRESSIONS = 64;

    /** An edge's compressor; null at a shield or when {@code compression.enabled} is false. */
    @Nullable Compressor compressor() {
        return compressor;
    }

    /** An edge's per-client rate limits; null at a shield. */
    @Nullable RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** Edge or shield: what differs between them. */
    RolePolicy role() {
        return role;
    }

    /** {@code policy}, when it is for the role of {@code config}'s identity. */
    static RolePolicy checkRole(ProxyConfig config, RolePolicy policy) {
        requireNonNull(config, "config is null");
        requireNonNull(policy, "role policy is null");
        if (policy.role() != config.identity().role()) {
            throw new IllegalArgumentException("role policy " + policy.getClass().getName() + " is for role "
                    + policy.role().label() + ", the node " + config.identity().name() + " has role "
                    + config.identity().role().label());
        }
        return policy;
    }

    Forwarding forwarding() {
        return forwarding;
    }

    /**
     * The primary cache key of a request-target (raw path and query) in the node's default site ({@code cache.site}).
     *
     * @throws RequestTarget.InvalidTarget when no request can have that target
     */
    public String keyOf(String rawPath, @Nullable String rawQuery) {
        return sites.keyOf(config.cache().site(), rawPath, rawQuery);
    }

    /** The primary cache key of a raw {@code path?query}. */
    public String keyOf(String rawPathAndQuery) {
        return sites.keyOf(config.cache().site(), rawPathAndQuery);
    }
}
