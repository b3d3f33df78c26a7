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
 * @param forwarding what it passes upstream of the client's own claims
 */
public record ProxyConfig(NodeIdentity identity, ServerConfig server, UpstreamConfig upstream, CacheConfig cache,
        ControlConfig control, ForwardingConfig forwarding) {

    public ProxyConfig {
        requireNonNull(identity, "identity is null");
        requireNonNull(server, "server is null");
        requireNonNull(upstream, "upstream is null");
        requireNonNull(cache, "cache is null");
        requireNonNull(control, "control is null");
        requireNonNull(forwarding, "forwarding is null");
        if (identity.role() != Role.EDGE && identity.role() != Role.SHIELD) {
            throw new IllegalArgumentException("a proxy node is an edge or a shield, not " + identity.role().label());
        }
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
        return new ProxyConfig(identity, server, upstream, newCache, control, forwarding);
    }

    public ProxyConfig withUpstream(UpstreamConfig newUpstream) {
        return new ProxyConfig(identity, server, newUpstream, cache, control, forwarding);
    }

    public ProxyConfig withServer(ServerConfig newServer) {
        return new ProxyConfig(identity, newServer, upstream, cache, control, forwarding);
    }

    public ProxyConfig withControl(ControlConfig newControl) {
        return new ProxyConfig(identity, server, upstream, cache, newControl, forwarding);
    }

    public ProxyConfig withForwarding(ForwardingConfig newForwarding) {
        return new ProxyConfig(identity, server, upstream, cache, control, newForwarding);
    }

    /** Whether this node answers clients directly (an edge), so CDN-only fields are removed from responses. */
    public boolean isClientFacing() {
        return identity.role() == io.blueorigin.cdn.runtime.Role.EDGE;
    }
}
