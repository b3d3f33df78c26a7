package io.blueorigin.cdn.proxy.war;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.config.ConfigValues;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.ProxyConfigs;
import io.blueorigin.cdn.proxy.ProxyCore;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.proxy.RolePolicy;
import io.blueorigin.cdn.runtime.ManagementServer;
import io.blueorigin.cdn.runtime.NodeServer;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.StartupException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Jetty;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An edge or shield deployed as a WAR in a stock Jetty 12.1 ee10 distribution: the WAR's
 * {@code WEB-INF/jetty-ee10-web.xml} inserts the role's subclass in front of the web application's servlets
 * (decision 0004). On start it reads the node's YAML file through the same settings catalogue as the launcher,
 * builds the same {@link ProxyCore}, registers the role's servlet on the web application, and starts the
 * management port ({@code management.port}) on a server of its own; the container's connectors carry traffic.
 *
 * <pre>
 *   WebAppContext (context path /, set by jetty-ee10-web.xml)
 *    └ WarNode                 → ProxyCore's traffic handler: TrafficMeter → CacheHandler → pass
 *       └ the web application's servlet handler    ← pass: the role's CachingProxyServlet at /*
 * </pre>
 *
 * Where the configuration comes from: the context init-parameter {@value #CONFIG} (a context file in
 * {@code webapps/}, as {@code ops/jetty-base} ships), else the system property of that name. Whatever stops the
 * node from starting (no file, a bad key, a busy management port, another Jetty version) fails the deployment
 * with one log line naming what to fix; the container keeps running and answers 503 on the context.
 *
 * <p>What the container owns, not this node: the traffic connectors (port, TLS, HTTP/2, connection limits,
 * URI and HTTP compliance; {@code server.*} and {@code tls.*} keys other than the management ones are not
 * used), the thread pool (shared with the upstream client), the access log.
 */
public abstract class WarNode extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(WarNode.class);

    /** The context init-parameter and system property naming the node's YAML file. */
    public static final String CONFIG = "blue-origin.config";

    private final RolePolicy policy;
    private final Role role;
    private final ProxyNode.ServletFactory servlets;
    private @Nullable ProxyCore core;
    private @Nullable ManagementServer management;
    private @Nullable Handler traffic;

    /** @param policy what differs between edge and shield: the role module's policy; the WAR's role is its role */
    protected WarNode(RolePolicy policy, ProxyNode.ServletFactory servlets) {
        this.policy = requireNonNull(policy, "policy is null");
        this.role = policy.role();
        this.servlets = requireNonNull(servlets, "servlets is null");
    }

    @Override
    protected void doStart() throws Exception {
        String war = role.label() + ".war";
        try {
            ServletContextHandler context = ServletContextHandler.getCurrentServletContextHandler();
            if (context == null) {
                throw new StartupException(war + ": not started inside a web application (deploy the WAR in Jetty's"
                        + " webapps/; see ops/jetty-base)");
            }
            checkJettyVersion(war);
            Path file = configFile(war, context.getInitParameter(CONFIG), System.getProperty(CONFIG));
            ProxyConfig config = ProxyConfigs.proxy(ConfigValues.load(role, Optional.of(file), Map.of(), Map.of(),
                    System.getenv()));
            Handler pass = new Pass();
            ProxyCore opened = ProxyCore.open(config, policy, Clock.systemUTC(), cache -> {
                ProxyCore.addServlet(context.getServletHandler(), config, servlets.create(config, cache));
                return pass;
            }, this::trafficUri, () -> requireNonNull(management).uri());
            this.core = opened;
            Handler handler = opened.traffic();
            handler.setServer(getServer());
            pass.setServer(getServer());
            this.traffic = handler;
            addBean(handler, true);
            addBean(opened.upstreamClient(getServer().getThreadPool()), true);
            this.management = opened.managementRoutes(NodeServer.builder(opened.health(), config.server()))
                    .buildManagement().start();
            super.doStart();
            opened.started();
            LOG.info("{} ({}) serving in {} (management {})", config.identity().name(), war, context.getDisplayName(),
                    management.uri());
        } catch (Throwable e) {
            // whatever start took is given back on every path: management port, upstream client, store
            release();
            if (e instanceof StartupException) {
                LOG.error("{}", e.getMessage());
            }
            throw e;
        }
    }

    @Override
    protected void doStop() throws Exception {
        ProxyCore opened = core;
        if (opened != null) {
            opened.stopControl();
        }
        super.doStop();
        release();
    }

    /** Releases what start took, in reverse order; safe to call twice. */
    private void release() {
        if (management != null) {
            management.close();
            management = null;
        }
        if (traffic != null) {
            removeBean(traffic);
            traffic = null;
        }
        if (core != null) {
            removeBean(core.upstreamClient(getServer().getThreadPool()));
            core.close();
            core = null;
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler handler = traffic;
        return handler != null && handler.handle(request, response, callback);
    }

    private URI trafficUri() {
        URI uri = getServer().getURI();
        return uri == null ? URI.create("http://127.0.0.1") : URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
    }

    /** The pass-through path: on to the web application's servlets (the role's proxy servlet). */
    private final class Pass extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            return WarNode.super.handle(request, response, callback);
        }
    }

    /** The node's YAML file: the init-parameter, else the system property; it must be a readable file. */
    static Path configFile(String war, @Nullable String initParameter, @Nullable String systemProperty) {
        String named = initParameter != null && !initParameter.isBlank() ? initParameter : systemProperty;
        if (named == null || named.isBlank()) {
            throw new StartupException(war + ": no configuration file: set the context init-parameter " + CONFIG
                    + " (ops/jetty-base/webapps/" + war.replace(".war", ".xml") + ") or the system property -D" + CONFIG
                    + " to the node's YAML file (ops/examples/)");
        }
        Path file = Path.of(named.trim());
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new StartupException(war + ": " + CONFIG + " names " + file + ", which is not a readable file");
        }
        return file;
    }

    /**
     * The WAR carries jetty-client and links it against the container's jetty-util and jetty-io (decision 0004):
     * another Jetty version would fail later, obscurely; refuse it now.
     */
    private static void checkJettyVersion(String war) {
        String built = bundledClientVersion();
        if (built != null && !built.equals(Jetty.VERSION)) {
            throw new StartupException(war + ": built for Jetty " + built + ", deployed in Jetty " + Jetty.VERSION
                    + " (use the WAR built with the same Jetty version, or run the launcher's jar)");
        }
    }

    private static @Nullable String bundledClientVersion() {
        try (InputStream in = WarNode.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.eclipse.jetty/jetty-client/pom.properties")) {
            if (in == null) {
                return null;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            return null;
        }
    }
}
