package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.encoding.CompressionPolicy;
import io.blueorigin.cdn.httpcache.site.SiteTable;
import io.blueorigin.cdn.proxy.control.ControlConfig;
import io.blueorigin.cdn.proxy.ratelimit.RateLimitConfig;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;

/**
 * Everything a proxy node (edge or shield) is configured with. Immutable; validated here and in the
 * component records, with messages that name the key.
 *
 * @param identity role ({@link Role#EDGE} or {@link Role#SHIELD}), name and POP
 * @param server listening settings
 * @param upstream where misses are fetched from
 * @param cache how it caches
 * @param control the control plane it follows (invalidations), if any
 * @param forwarding what it passes upstream of the client's own claims
 * @param sites the sites it starts with (a standalone node's {@code sites:}; a node following admin gets
 *     admin's table at registration and keeps the last one it had beside its cache). A host no site claims
 *     goes to the site named {@code cache.site}, else gets 421; a node with no sites at all serves every host as
 *     its own site {@code cache.site} from {@code upstream.url}, as before (see {@code SiteRouter})
 * @param rateLimit an edge's rate limit per client address and the table of its buckets ({@code ratelimit.*});
 *     a shield's is the defaults (its clients are edges)
 * @param compression what an edge compresses and how ({@code compression.*}); off at a shield and by default
 * @param urlPatterns the URL patterns its traffic is broken down by in the heartbeat ({@code stats.url-patterns});
 *     none by default (every request counts as {@code other})
 */
public record ProxyConfig(NodeIdentity identity, ServerConfig server, UpstreamConfig upstream, CacheConfig cache,
        ControlConfig control, ForwardingConfig forwarding, SiteTable sites, RateLimitConfig rateLimit,
        CompressionPolicy compression, UrlPatterns urlPatterns) {

    public ProxyConfig {
        requireNonNull(identity, "identity is null");
        requireNonNull(server, "server is null");
        requireNonNull(upstream, "upstream is null");
        requireNonNull(cache, "cache is null");
        requireNonNull(control, "control is null");
        requireNonNull(forwarding, "forwarding is null");
        requireNonNull(sites, "sites is null");
        requireNonNull(rateLimit, "rateLimit is null");
        requireNonNull(compression, "compression is null");
        requireNonNull(urlPatterns, "urlPatterns is null");
        if (identity.role() != Role.EDGE && identity.role() != Role.SHIELD) {
            throw new IllegalArgumentException("a proxy node is an edge or a shield, not " + identity.role().label());
        }
    }

    /** A node that breaks its traffic down by no URL pattern. */
    public ProxyConfig(NodeIdentity identity, ServerConfig server, UpstreamConfig upstream, CacheConfig cache,
            ControlConfig control, ForwardingConfig forwarding, SiteTable sites, RateLimitConfig rateLimit,
            CompressionPolicy compression) {
        this(identity, server, upstream, cache, control, forwarding, sites, rateLimit, compression, UrlPatterns.NONE);
    }

    /** A node that compresses nothing itself. */
    public ProxyConfig(NodeIdentity identity, ServerConfig server, UpstreamConfig upstream, CacheConfig cache,
            ControlConfig control, ForwardingConfig forwarding, SiteTable sites, RateLimitConfig rateLimit) {
        this(identity, server, upstream, cache, control, forwarding, sites, rateLimit, CompressionPolicy.off());
    }

    /** A node with the default rate limits (the node's own off). */
    public ProxyConfig(NodeIdentity identity, ServerConfig server, UpstreamConfig upstream, CacheConfig cache,
            ControlConfig control, ForwardingConfig forwarding, SiteTable sites) {
        this(identity, server, upstream, cache, control, forwarding, sites, RateLimitConfig.defaults());
    }

    /** A node with no sites of its own (only the default site, {@code cache.site}). */
    public ProxyConfig(NodeIdentity identity, ServerConfig server, UpstreamConfig upstream, CacheConfig cache,
            ControlConfig control, ForwardingConfig forwarding) {
        this(identity, server, upstream, cache, control, forwarding, SiteTable.EMPTY);
    }

    /** A node with the default forwarding rules. */
    public ProxyConfig(NodeIdentity identity, ServerConfig server, UpstreamConfig upstream, CacheConfig cache,
            ControlConfig control) {
        this(identity, server, upstream, cache, control, ForwardingConfig.defaults());
    }

    /** A standalone node (no control plane). */
    public ProxyConfig(NodeIdentity identity, ServerConfig server, UpstreamConfig upstream, CacheConfig cache) {
        this(identity, server, upstream, cache, ControlConfig.none());
    }

    /** A standalone node with its role's default cache settings. */
    public static ProxyConfig of(NodeIdentity identity, ServerConfig server, UpstreamConfig upstream) {
        return new ProxyConfig(identity, server, upstream, CacheConfig.defaults(identity.role()));
    }

    public ProxyConfig withCache(CacheConfig newCache) {
        return new ProxyConfig(identity, server, upstream, newCache, control, forwarding, sites, rateLimit,
                compression, urlPatterns);
    }

    public ProxyConfig withUpstream(UpstreamConfig newUpstream) {
        return new ProxyConfig(identity, server, newUpstream, cache, control, forwarding, sites, rateLimit,
                compression, urlPatterns);
    }

    public ProxyConfig withServer(ServerConfig newServer) {
        return new ProxyConfig(identity, newServer, upstream, cache, control, forwarding, sites, rateLimit,
                compression, urlPatterns);
    }

    public ProxyConfig withControl(ControlConfig newControl) {
        return new ProxyConfig(identity, server, upstream, cache, newControl, forwarding, sites, rateLimit,
                compression, urlPatterns);
    }

    public ProxyConfig withForwarding(ForwardingConfig newForwarding) {
        return new ProxyConfig(identity, server, upstream, cache, control, newForwarding, sites, rateLimit,
                compression, urlPatterns);
    }

    public ProxyConfig withSites(SiteTable newSites) {
        return new ProxyConfig(identity, server, upstream, cache, control, forwarding, newSites, rateLimit,
                compression, urlPatterns);
    }

    public ProxyConfig withCompression(CompressionPolicy newCompression) {
        return new ProxyConfig(identity, server, upstream, cache, control, forwarding, sites, rateLimit,
                newCompression, urlPatterns);
    }

    public ProxyConfig withRateLimit(RateLimitConfig newRateLimit) {
        return new ProxyConfig(identity, server, upstream, cache, control, forwarding, sites, newRateLimit,
                compression, urlPatterns);
    }

    public ProxyConfig withUrlPatterns(UrlPatterns newUrlPatterns) {
        return new ProxyConfig(identity, server, upstream, cache, control, forwarding, sites, rateLimit, compression,
                newUrlPatterns);
    }

    /** Whether this node answers clients directly (an edge), so CDN-only fields are removed from responses. */
    public boolean isClientFacing() {
        return identity.role() == io.blueorigin.cdn.runtime.Role.EDGE;
    }
}
