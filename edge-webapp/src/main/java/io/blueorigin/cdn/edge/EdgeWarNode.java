package io.blueorigin.cdn.edge;

import io.blueorigin.cdn.proxy.war.WarNode;

/**
 * The edge of edge.war: {@code WEB-INF/jetty-ee10-web.xml} inserts it in front of the web application's
 * servlets; it starts the same node as {@link EdgeNode} on the container's port.
 */
public final class EdgeWarNode extends WarNode {
    public EdgeWarNode() {
        super(EdgePolicy.INSTANCE, EdgeServlet::new);
    }
}
