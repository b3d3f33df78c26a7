package io.blueorigin.cdn.edge;

import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.ProxyNode;

/** Starts an edge node: {@link EdgeServlet} with {@link EdgePolicy} on the node server. */
public final class EdgeNode {
    private EdgeNode() {}

    /** @throws io.blueorigin.cdn.runtime.StartupException when the node cannot start (busy port, bad setting) */
    public static ProxyNode start(ProxyConfig config) {
        return ProxyNode.start(config, EdgePolicy.INSTANCE, EdgeServlet::new);
    }

    /** Starts a node on {@code clock} (tests move it to expire objects without waiting). */
    public static ProxyNode start(ProxyConfig config, java.time.Clock clock) {
        return ProxyNode.start(config, EdgePolicy.INSTANCE, EdgeServlet::new, clock);
    }
}
