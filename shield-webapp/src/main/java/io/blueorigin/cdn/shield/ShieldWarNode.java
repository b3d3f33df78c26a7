package io.blueorigin.cdn.shield;

import io.blueorigin.cdn.proxy.war.WarNode;

/**
 * The shield of shield.war: {@code WEB-INF/jetty-ee10-web.xml} inserts it in front of the web application's
 * servlets; it starts the same node as {@link ShieldNode} on the container's port.
 */
public final class ShieldWarNode extends WarNode {
    public ShieldWarNode() {
        super(ShieldPolicy.INSTANCE, ShieldServlet::new);
    }
}
