package io.blueorigin.cdn.runtime.war;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.runtime.ManagementServer;
import io.blueorigin.cdn.runtime.NodeServer;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.StartupException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A node deployed as a WAR in a stock Jetty 12.1 ee10 distribution (decision 0004): the WAR's
 * {@code WEB-INF/jetty-ee10-web.xml} inserts the role's subclass in front of the web application's servlets. On
 * start it finds the node's YAML file, lets the role open the same core the launcher runs (through the same
 * settings catalogue), mount its servlets on the web application and start its management port on a server of
 * its own; the container's connectors carry traffic.
 *
 * <pre>
 *   WebAppContext (context path /, set by jetty-ee10-web.xml)
 *    └ WebAppNode              → the role's traffic handler (metering, caching for edge and shield) → pass
 *       └ the web application's servlet handler    ← pass: the servlets the role mounted
 * </pre>
 *
 * Where the configuration comes from: the context init-parameter {@value #CONFIG} (a context file in
 * {@code webapps/}, as {@code ops/jetty-base} ships), else the system property of that name. Whatever stops the
 * node from starting (no file, a bad key, a busy management port, another Jetty version) fails the deployment
 * with one log line naming what to fix, after giving back whatever the start took.
 *
 * <p>What the container owns, not the node: the traffic connectors (port, TLS, HTTP/2, connection limits, URI
 * and HTTP compliance: {@code server.*} and {@code tls.*} keys other than the management ones are not used), the
 * thread pool, the access log.
 */
public abstract class WebAppNode extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(WebAppNode.class);

    /** The context init-parameter and system property naming the node's YAML file. */
    public static final String CONFIG = "blue-origin.config";

    /** What a role opened for its WAR; closed in {@link #close()} after the container stopped sending traffic. */
    protected interface Opened extends AutoCloseable {
        /** The node's name, for the log. */
        String name();

        /** The traffic handler; it ends in the {@code pass} handler given to {@link #open}. */
        Handler traffic();

        /** The management port's routes and readiness; {@link WebAppNode} starts it once the traffic handler is in place. */
        NodeServer.Builder management();

        /** Once the web application is started (e.g. follow admin). */
        default void started() {}

        /** First of a stop, before the web application stops (e.g. stop following admin). */
        default void stopping() {}

        @Override
        void close();
    }

    private final Role role;
    private @Nullable Opened opened;
    private @Nullable ManagementServer management;

    protected WebAppNode(Role role) {
        this.role = requireNonNull(role, "role is null");
    }

    /**
     * Reads {@code file}, opens the role's core, mounts its servlets on {@code context} and returns it.
     *
     * @param pass the rest of the web application (its servlets), where the role's traffic handler ends
     * @throws StartupException naming what to fix; the role gives back what it took before throwing
     */
    protected abstract Opened open(ServletContextHandler context, Path file, Handler pass);

    @Override
    protected void doStart() throws Exception {
        String war = role.label() + ".war";
        try {
            ServletContextHandler context = ServletContextHandler.getCurrentServletContextHandler();
            if (context == null) {
                throw new StartupException(war + ": not started inside a web application (deploy the WAR in Jetty's"
                        + " webapps/; see ops/jetty-base)");
            }
            checkJettyVersion(war, bundledClientVersion(), Jetty.VERSION);
            Path file = configFile(war, context.getInitParameter(CONFIG), System.getProperty(CONFIG));
            Pass pass = new Pass();
            Opened node = open(context, file, pass);
            this.opened = node;
            Handler traffic = node.traffic();
            traffic.setServer(getServer());
            pass.setServer(getServer());
            addBean(traffic, true);
            this.management = node.management().buildManagement().start();
            super.doStart();
            node.started();
            LOG.info("{} ({}) serving in {} (management {})", node.name(), war, context.getDisplayName(),
                    management.uri());
        } catch (Throwable e) {
            // whatever start took is given back on every path: management port, clients, store, database
            release();
            if (e instanceof StartupException) {
                LOG.error("{}", e.getMessage());
            }
            throw e;
        }
    }

    @Override
    protected void doStop() throws Exception {
        Opened node = opened;
        if (node != null) {
            node.stopping();
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
        if (opened != null) {
            removeBean(opened.traffic());
            opened.close();
            opened = null;
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Opened node = opened;
        return node != null && node.traffic().handle(request, response, callback);
    }

    /** The management port as bound, once started (a node registers it with admin after start). */
    protected URI managementUri() {
        ManagementServer started = management;
        if (started == null) {
            throw new IllegalStateException("the management port is not started");
        }
        return started.uri();
    }

    /** The container's first connector, as a node registers its traffic URL with admin. */
    protected URI trafficUri() {
        URI uri = getServer().getURI();
        return uri == null ? URI.create("http://127.0.0.1") : URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
    }

    /** The pass-through path: on to the web application's servlets. */
    private final class Pass extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            return WebAppNode.super.handle(request, response, callback);
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
    static void checkJettyVersion(String war, @Nullable String built, String container) {
        if (built != null && !built.equals(container)) {
            throw new StartupException(war + ": built for Jetty " + built + ", deployed in Jetty " + container
                    + " (deploy it in a Jetty " + built + " distribution, or run the launcher's jar)");
        }
    }

    /** The version of the jetty-client the WAR carries, from its Maven metadata; null when not found. */
    private static @Nullable String bundledClientVersion() {
        try (InputStream in = WebAppNode.class.getClassLoader()
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
