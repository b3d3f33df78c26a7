package io.blueorigin.cdn.admin.console;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.api.Operations;
import io.blueorigin.cdn.admin.db.ConsoleUsers;
import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.Nodes;
import io.blueorigin.cdn.admin.report.InvalidationHistory;
import io.blueorigin.cdn.admin.report.NodeLookup;
import io.blueorigin.cdn.admin.report.SqlReports;
import java.sql.SQLException;
import java.time.Duration;
import org.eclipse.jetty.client.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The HTML console under {@code /console/} (docs/console.md): server-rendered pages for people, on the same
 * admin process, database and rules as the JSON API. The route table is here, every page with the role it
 * needs; what each page does is in its handler class.
 */
public final class Console implements AutoCloseable {
    /** How long a URL or tag lookup waits for all nodes' inspectors, and the most it reads of each answer. */
    static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);
    static final int LOOKUP_MAX_BYTES = 1 << 20;
    /** Longest a report query may run. */
    static final Duration REPORT_TIMEOUT = Duration.ofSeconds(30);

    private final ConsoleServlet servlet;
    private final LoginGate gate;
    private final HttpClient client;

    private Console(ConsoleServlet servlet, LoginGate gate, HttpClient client) {
        this.servlet = servlet;
        this.gate = gate;
        this.client = client;
    }

    /**
     * @param nodeDownAfter a node without heartbeat this long is down (the history counts it so, like the API)
     */
    public static Console create(Database database, Operations operations, ConsoleConfig config, Duration nodeDownAfter) {
        requireNonNull(database, "database is null");
        requireNonNull(operations, "operations is null");
        HttpClient client = new HttpClient();
        client.setName("console-lookups");
        client.setConnectTimeout(LOOKUP_TIMEOUT.toMillis());
        client.setMaxConnectionsPerDestination(4);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the console's HTTP client: " + e.getMessage(), e);
        }
        ReportPages reading = new ReportPages(database, new InvalidationHistory(database, new Nodes(),
                nodeDownAfter), SqlReports.load(database, REPORT_TIMEOUT), new NodeLookup(client, LOOKUP_TIMEOUT,
                LOOKUP_MAX_BYTES));
        Templates templates = new Templates();
        LoginGate gate = new LoginGate();
        PurgePages purge = new PurgePages(database, operations);
        AdminPages admin = new AdminPages(database, operations);
        OverviewPage overview = new OverviewPage(operations);
        List<ConsoleRoute> routes = new ArrayList<>(List.of(
                ConsoleRoute.get("/", Scope.READ, overview::page),
                ConsoleRoute.get("/purge", Scope.READ, purge::page),
                ConsoleRoute.post("/purge/urls", Scope.PURGE, purge::purgeUrls),
                ConsoleRoute.post("/purge/tags", Scope.PURGE, purge::purgeTags),
                ConsoleRoute.post("/purge/ban", Scope.PURGE, purge::ban),
                ConsoleRoute.post("/purge/all", Scope.PURGE, purge::purgeAll),
                ConsoleRoute.get("/invalidations", Scope.READ, reading::history),
                ConsoleRoute.get("/invalidations.csv", Scope.READ, reading::historyCsv),
                ConsoleRoute.get("/invalidations/{id}", Scope.READ, purge::entry),
                ConsoleRoute.get("/invalidations/{id}/status.json", Scope.READ, purge::entryJson),
                ConsoleRoute.get("/bans", Scope.READ, purge::bans),
                ConsoleRoute.post("/bans/{id}/lift", Scope.PURGE, purge::lift),
                ConsoleRoute.get("/lookup", Scope.READ, reading::lookup),
                ConsoleRoute.get("/tags", Scope.READ, reading::tags),
                ConsoleRoute.get("/reports", Scope.READ, reading::reports),
                ConsoleRoute.get("/reports/{file}", Scope.READ, reading::report),
                ConsoleRoute.get("/nodes", Scope.READ, admin::nodes),
                ConsoleRoute.post("/nodes/{name}/drain", Scope.ADMIN, admin::drain),
                ConsoleRoute.post("/nodes/{name}/undrain", Scope.ADMIN, admin::undrain),
                ConsoleRoute.get("/sites", Scope.READ, admin::sites),
                ConsoleRoute.post("/sites", Scope.ADMIN, admin::addSite),
                ConsoleRoute.get("/sites/{name}", Scope.ADMIN, admin::site),
                ConsoleRoute.post("/sites/{name}", Scope.ADMIN, admin::saveSite),
                ConsoleRoute.post("/sites/{name}/delete", Scope.ADMIN, admin::deleteSite),
                ConsoleRoute.get("/tokens", Scope.ADMIN, admin::tokens),
                ConsoleRoute.post("/tokens", Scope.ADMIN, admin::createToken),
                ConsoleRoute.post("/tokens/{id}/revoke", Scope.ADMIN, admin::revokeToken),
                ConsoleRoute.get("/users", Scope.READ, admin::users),
                ConsoleRoute.post("/users", Scope.ADMIN, admin::addUser),
                ConsoleRoute.post("/users/{id}/role", Scope.ADMIN, admin::setRole),
                ConsoleRoute.post("/users/{id}/disable", Scope.ADMIN, admin::disableUser),
                ConsoleRoute.get("/audit", Scope.ADMIN, admin::audit)));
        LoginPage login = new LoginPage(database, config, templates, gate);
        return new Console(new ConsoleServlet(database, config, templates, login, routes), gate, client);
    }

    /** Adds the console's servlet to {@code context} at {@code /console/*}. */
    public void mount(ServletContextHandler context) {
        context.setMaxFormContentSize(ConsoleServlet.MAX_FORM_BYTES);
        context.addServlet(new ServletHolder("console", servlet), "/console/*");
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // stopping: nothing waits on lookups any more
        }
    }

    /** Free password-hashing slots now ({@link LoginGate#CONCURRENT_HASHES} at rest); for tests. */
    public int freeHashSlots() {
        return gate.freeHashSlots();
    }

    /**
     * Creates console user {@code admin} with a random password when there is no console user (the first start),
     * atomically across replicas: the password, to be shown once.
     */
    public static Optional<String> bootstrap(Database database) throws SQLException {
        return database.inTransaction(c -> ConsoleUsers.createBootstrapUserIfNone(c, Passwords::hash));
    }
}
