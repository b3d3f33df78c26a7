package io.blueorigin.cdn.admin.console;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.api.Operations;
import io.blueorigin.cdn.admin.db.ConsoleUsers;
import io.blueorigin.cdn.admin.db.Database;
import java.sql.SQLException;
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
public final class Console {
    private final ConsoleServlet servlet;
    private final LoginGate gate;

    private Console(ConsoleServlet servlet, LoginGate gate) {
        this.servlet = servlet;
        this.gate = gate;
    }

    public static Console create(Database database, Operations operations, ConsoleConfig config) {
        requireNonNull(database, "database is null");
        requireNonNull(operations, "operations is null");
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
                ConsoleRoute.get("/invalidations/{id}", Scope.READ, purge::entry),
                ConsoleRoute.get("/invalidations/{id}/status.json", Scope.READ, purge::entryJson),
                ConsoleRoute.get("/bans", Scope.READ, purge::bans),
                ConsoleRoute.post("/bans/{id}/lift", Scope.PURGE, purge::lift),
                ConsoleRoute.get("/nodes", Scope.READ, admin::nodes),
                ConsoleRoute.post("/nodes/{name}/drain", Scope.ADMIN, admin::drain),
                ConsoleRoute.post("/nodes/{name}/undrain", Scope.ADMIN, admin::undrain),
                ConsoleRoute.get("/sites", Scope.READ, admin::sites),
                ConsoleRoute.get("/tokens", Scope.ADMIN, admin::tokens),
                ConsoleRoute.post("/tokens", Scope.ADMIN, admin::createToken),
                ConsoleRoute.post("/tokens/{id}/revoke", Scope.ADMIN, admin::revokeToken),
                ConsoleRoute.get("/users", Scope.READ, admin::users),
                ConsoleRoute.post("/users", Scope.ADMIN, admin::addUser),
                ConsoleRoute.post("/users/{id}/role", Scope.ADMIN, admin::setRole),
                ConsoleRoute.post("/users/{id}/disable", Scope.ADMIN, admin::disableUser),
                ConsoleRoute.get("/audit", Scope.ADMIN, admin::audit)));
        LoginPage login = new LoginPage(database, config, templates, gate);
        return new Console(new ConsoleServlet(database, config, templates, login, routes), gate);
    }

    /** Adds the console's servlet to {@code context} at {@code /console/*}. */
    public void mount(ServletContextHandler context) {
        context.addServlet(new ServletHolder("console", servlet), "/console/*");
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
