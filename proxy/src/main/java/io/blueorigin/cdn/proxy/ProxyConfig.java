package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.proxy.control.ControlConfig;
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
 */
public record ProxyConfig(NodeIdentity identity, ServerConfig server, UpstreamConfig upstream, CacheConfig cache,
        ControlConfig control) {

    public ProxyConfig {
        requireNonNull(identity, "identity is null");
        requireNonNull(server, "server is null");
        requireNonNull(upstream, "upstream is null");
        requireNonNull(cache, "cache is null");
        requireNonNull(control, "control is null");
        if (identity.role() != Role.EDGE && identity.role() != Role.SHIELD) {
            throw new IllegalArgumentException("a proxy node is an edge or a shield, not " + identity.role().label());
        }
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
        return new ProxyConfig(identity, server, upstream, newCache, control);
    }

    public ProxyConfig withUpstream(UpstreamConfig newUpstream) {
        return new ProxyConfig(identity, server, newUpstream, cache, control);
    }

    public ProxyConfig withServer(ServerConfig newServer) {
        return new ProxyConfig(identity, newServer, upstream, cache, control);
    }

    public ProxyConfig withControl(ControlConfig newControl) {
        return new ProxyConfig(identity, server, upstream, cache, newControl);
    }

    /** Whether this node answers clients directly (an edge), so CDN-only fields are removed from responses. */
    public boolean isClientFacing() {
        return identity.role() == io.blueorigin.cdn.runtime.Role.EDGE;
    }
}
