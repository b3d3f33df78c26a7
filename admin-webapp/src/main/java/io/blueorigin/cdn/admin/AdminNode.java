package io.blueorigin.cdn.admin;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.ApiTokens;
import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.runtime.HealthRegistry;
import io.blueorigin.cdn.runtime.Node;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.NodeServer;
import io.blueorigin.cdn.runtime.ReadinessCheck;
import io.blueorigin.cdn.runtime.StartupException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started admin node. Start-up order: database (connect, migrate), bootstrap token, then the HTTP
 * servers; a failure at any step closes what was opened and names what to fix.
 */
public final class AdminNode implements Node {
    private static final Logger LOG = LoggerFactory.getLogger(AdminNode.class);

    private final NodeServer server;
    private final Database database;
    private final Optional<String> bootstrapToken;

    private AdminNode(NodeServer server, Database database, Optional<String> bootstrapToken) {
        this.server = server;
        this.database = database;
        this.bootstrapToken = bootstrapToken;
    }

    public static AdminNode start(AdminConfig config) {
        requireNonNull(config, "config is null");
        Database database = Database.open(config.database(), config.identity().name() + "-db");
        try {
            Optional<String> token = bootstrap(database, config);
            NodeServer server = NodeServer.builder(health(config.identity(), database), config.server())
                    .traffic(context(config))
                    .build()
                    .start();
            return new AdminNode(server, database, token);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static Optional<String> bootstrap(Database database, AdminConfig config) {
        Optional<String> token;
        try {
            token = new ApiTokens(database.dataSource()).createBootstrapTokenIfNone();
        } catch (SQLException e) {
            throw new StartupException("cannot create the bootstrap admin token in " + config.database().url() + ": "
                    + e.getMessage(), e);
        }
        if (token.isPresent() && config.bootstrapTokenFile().isPresent()) {
            writeSecret(config.bootstrapTokenFile().get(), token.get());
        }
        if (token.isPresent()) {
            LOG.info("created the bootstrap admin token (shown once{}); use it as 'Authorization: Bearer <token>'",
                    config.bootstrapTokenFile().map(p -> ", also written to " + p).orElse(""));
        }
        return token;
    }

    private static void writeSecret(Path file, String secret) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            throw new StartupException("cannot write the bootstrap admin token to " + file
                    + " (admin.bootstrap-token-file): " + e.getMessage(), e);
        }
    }

    private static HealthRegistry health(NodeIdentity identity, Database database) {
        HealthRegistry health = new HealthRegistry(identity);
        health.register("database", () -> database.isReachable(1)
                ? ReadinessCheck.Result.ready(Map.of())
                : ReadinessCheck.Result.notReady(Map.of("error", "PostgreSQL does not answer")));
        return health;
    }

    private static ServletContextHandler context(AdminConfig config) {
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        context.setErrorHandler(errors);
        context.addServlet(new ServletHolder("index", new IndexServlet(config.identity())), "/");
        return context;
    }

    /** The bootstrap admin token if this start created it (it is never stored in clear). */
    public Optional<String> bootstrapToken() {
        return bootstrapToken;
    }

    public Database database() {
        return database;
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

    @Override
    public void close() {
        server.close();
        database.close();
    }
}
