package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

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
 */
public record ProxyConfig(NodeIdentity identity, ServerConfig server, UpstreamConfig upstream) {

    public ProxyConfig {
        requireNonNull(identity, "identity is null");
        requireNonNull(server, "server is null");
        requireNonNull(upstream, "upstream is null");
        if (identity.role() != Role.EDGE && identity.role() != Role.SHIELD) {
            throw new IllegalArgumentException("a proxy node is an edge or a shield, not " + identity.role().label());
        }
    }
}
