package io.blueorigin.cdn.shield;

import io.blueorigin.cdn.proxy.CachingProxyServlet;
import io.blueorigin.cdn.proxy.ProxyCache;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.runtime.Role;

/** The shield's proxy servlet: the shared caching proxy with shield policies. */
public class ShieldServlet extends CachingProxyServlet {
    private static final long serialVersionUID = 1L;

    public ShieldServlet(ProxyConfig config, ProxyCache cache) {
        super(config, cache);
        if (config.identity().role() != Role.SHIELD) {
            throw new IllegalArgumentException("ShieldServlet needs a shield identity, got " + config.identity());
        }
    }
}
