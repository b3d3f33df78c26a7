package io.blueorigin.cdn.admin;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.console.Console;
import io.blueorigin.cdn.admin.db.ApiTokens;
import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.runtime.Node;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.NodeServer;
import java.net.URI;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * A started admin node on its own {@link NodeServer} (the launcher's form; admin.war's is {@code AdminWarNode}):
 * an {@link AdminCore} mounted on a servlet context. Start-up: the core (database, bootstrap, background parts),
 * then the HTTP servers; a failure closes what was opened and names what to fix. Stop is the reverse, except
 * that waiting long-polls are answered first, so the graceful stop of the traffic server is not held up by them.
 */
public final class AdminNode implements Node {
    private final NodeServer server;
    private final AdminCore core;

    private AdminNode(NodeServer server, AdminCore core) {
        this.server = server;
        this.core = core;
    }

    public static AdminNode start(AdminConfig config) {
        requireNonNull(config, "config is null");
        AdminCore core = AdminCore.open(config);
        try {
            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
            context.setContextPath("/");
            ErrorHandler errors = new ErrorHandler();
            errors.setShowStacks(false);
            context.setErrorHandler(errors);
            core.mount(context);
            NodeServer server = core.managementRoutes(NodeServer.builder(core.health(), config.server()))
                    .traffic(core.traffic(context))
                    .build()
                    .start();
            return new AdminNode(server, core);
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
    }

    /** The bootstrap admin token if this start created it (it is never stored in clear). */
    public Optional<String> bootstrapToken() {
        return core.bootstrapToken();
    }

    /** The bootstrap console user's password if this start created the user (stored only as a hash). */
    public Optional<String> bootstrapPassword() {
        return core.bootstrapPassword();
    }

    /** The console (for tests: its login gate's state). */
    public Console console() {
        return core.console();
    }

    public Database database() {
        return core.database();
    }

    /** Whether the {@code LISTEN} connection is up (else waiting long-polls re-query every second). */
    public boolean isListening() {
        return core.isListening();
    }

    /** The API's token store (for tests: how many lookups reached the database). */
    public ApiTokens tokens() {
        return core.tokens();
    }

    /** How many long-polls are waiting on this admin now. */
    public int waitingLongPolls() {
        return core.waitingLongPolls();
    }

    /** Reads of the invalidation log made for long-polls since start. */
    public long longPollReads() {
        return core.longPollReads();
    }

    /** Routing views rendered since start (one per version polled). */
    public long routingRenders() {
        return core.routingRenders();
    }

    /** Long-polls that parked without reading the log since start. */
    public long longPollSkippedReads() {
        return core.longPollSkippedReads();
    }

    /** Long-polls woken by this replica's own commits, before the database's notification, since start. */
    public long longPollsWokenByOwnCommits() {
        return core.longPollsWokenByOwnCommits();
    }

    @Override
    public NodeIdentity identity() {
        return server.identity();
    }

    @Override
    public URI uri() {
        return server.uri();
    }

    @Override
    public URI managementUri() {
        return server.managementUri();
    }

    /** Whether this admin holds the health-check lease (it is the replica probing the nodes). */
    public boolean holdsHealthLease() {
        return core.holdsHealthLease();
    }

    /** How many routing long-polls are waiting on this admin now. */
    public int waitingRoutingPolls() {
        return core.waitingRoutingPolls();
    }

    @Override
    public void close() {
        core.answerWaiting();
        server.close();
        core.close();
    }
}
