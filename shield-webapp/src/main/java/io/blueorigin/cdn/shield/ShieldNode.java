package io.blueorigin.cdn.shield;

import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.ProxyNode;

/** Starts a shield node: {@link ShieldServlet} with {@link ShieldPolicy} on the node server. */
public final class ShieldNode {
    private ShieldNode() {}

    /** @throws io.blueorigin.cdn.runtime.StartupException when the node cannot start (busy port, bad setting) */
    public static ProxyNode start(ProxyConfig config) {
        return ProxyNode.start(config, ShieldPolicy.INSTANCE, ShieldServlet::new);
    }

    /** Starts a node on {@code clock} (tests move it to expire objects without waiting). */
    public static ProxyNode start(ProxyConfig config, java.time.Clock clock) {
        return ProxyNode.start(config, ShieldPolicy.INSTANCE, ShieldServlet::new, clock);
    }
}
