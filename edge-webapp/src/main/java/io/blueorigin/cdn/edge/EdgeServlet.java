package io.blueorigin.cdn.edge;

import io.blueorigin.cdn.proxy.CachingProxyServlet;
import io.blueorigin.cdn.proxy.ProxyCache;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.runtime.Role;

/** The edge's proxy servlet: the shared caching proxy with edge policies. */
public class EdgeServlet extends CachingProxyServlet {
    private static final long serialVersionUID = 1L;

    public EdgeServlet(ProxyConfig config, ProxyCache cache) {
        super(config, cache);
        if (config.identity().role() != Role.EDGE) {
            throw new IllegalArgumentException("EdgeServlet needs an edge identity, got " + config.identity());
        }
    }
}
