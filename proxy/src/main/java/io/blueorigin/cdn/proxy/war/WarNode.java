package io.blueorigin.cdn.proxy.war;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.config.ConfigValues;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.ProxyConfigs;
import io.blueorigin.cdn.proxy.ProxyCore;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.proxy.RolePolicy;
import io.blueorigin.cdn.runtime.NodeServer;
import io.blueorigin.cdn.runtime.war.WebAppNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Handler;

/**
 * An edge or shield in edge.war or shield.war: the same {@link ProxyCore} as the launcher's {@link ProxyNode},
 * with the role's servlet registered on the web application and the upstream client on the container's thread
 * pool (see {@link WebAppNode} for how a WAR starts, where its configuration comes from, and what the container
 * owns).
 */
public abstract class WarNode extends WebAppNode {
    private final RolePolicy policy;
    private final ProxyNode.ServletFactory servlets;

    /** @param policy what differs between edge and shield: the role module's policy; the WAR's role is its role */
    protected WarNode(RolePolicy policy, ProxyNode.ServletFactory servlets) {
        super(policy.role());
        this.policy = policy;
        this.servlets = requireNonNull(servlets, "servlets is null");
    }

    @Override
    protected Opened open(ServletContextHandler context, Path file, Handler pass) {
        ProxyConfig config = ProxyConfigs.proxy(ConfigValues.load(policy.role(), Optional.of(file), Map.of(), Map.of(),
                System.getenv()));
        ProxyCore core = ProxyCore.open(config, policy, Clock.systemUTC(), cache -> {
            ProxyCore.addServlet(context.getServletHandler(), config, servlets.create(config, cache));
            return pass;
        }, this::trafficUri, this::managementUri);
        HttpClient client = core.upstreamClient(getServer().getThreadPool());
        addBean(client, true);
        return new Opened() {
            @Override
            public String name() {
                return config.identity().name();
            }

            @Override
            public Handler traffic() {
                return core.traffic();
            }

            @Override
            public NodeServer.Builder management() {
                return core.managementRoutes(NodeServer.builder(core.health(), config.server()));
            }

            @Override
            public void started() {
                core.started();
            }

            @Override
            public void stopping() {
                core.stopControl();
            }

            @Override
            public void close() {
                removeBean(client);
                core.close();
            }
        };
    }
}
