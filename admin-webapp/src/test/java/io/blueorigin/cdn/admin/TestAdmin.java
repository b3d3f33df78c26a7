package io.blueorigin.cdn.admin;

import io.blueorigin.cdn.admin.db.ApiTokens;
import io.blueorigin.cdn.admin.db.DatabaseConfig;
import io.blueorigin.cdn.admin.health.HealthCheckConfig;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An admin node on a database of the shared embedded PostgreSQL, with a client per token. */
final class TestAdmin implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    final AdminNode node;
    /** A token with every scope (the bootstrap token of a fresh database, or a new one). */
    final String adminToken;
    private final Map<String, ApiClient> nodes = new ConcurrentHashMap<>();

    private TestAdmin(AdminNode node, String adminToken) {
        this.node = node;
        this.adminToken = adminToken;
    }

    /** An admin on a fresh database. */
    static TestAdmin start() {
        return start(TestPostgres.freshDatabase(), Duration.ofSeconds(5));
    }

    /** An admin on {@code url} (another replica, when an admin already runs there). */
    static TestAdmin start(String url, Duration connectTimeout) {
        return start(url, connectTimeout, HealthCheckConfig.DEFAULTS);
    }

    /** An admin on {@code url} with these health check settings. */
    static TestAdmin start(String url, Duration connectTimeout, HealthCheckConfig health) {
        AdminConfig defaults = config(url, connectTimeout, "admin-" + COUNTER.incrementAndGet());
        AdminNode node = AdminNode.start(new AdminConfig(defaults.identity(), defaults.server(), defaults.database(),
                defaults.bootstrapTokenFile(), defaults.heartbeatInterval(), defaults.invalidationRetention(), health));
        try {
            String token = node.bootstrapToken().isPresent() ? node.bootstrapToken().get()
                    : new ApiTokens(node.database().dataSource()).create("test-admin", List.of(Scope.ADMIN));
            return new TestAdmin(node, token);
        } catch (SQLException | RuntimeException e) {
            node.close();
            throw new IllegalStateException(e);
        }
    }

    /** The admin's node name (also its listener's {@code application_name} prefix). */
    String name() {
        return node.identity().name();
    }

    static AdminConfig config(String url, Duration connectTimeout, String name) {
        return new AdminConfig(new NodeIdentity(Role.ADMIN, name, "local"), ServerConfig.ephemeral(),
                new DatabaseConfig(url, "postgres", "postgres", 4, connectTimeout, true), Optional.empty());
    }

    /** A client authenticating with the admin token. */
    ApiClient admin() {
        return new ApiClient(node.uri(), Optional.of(adminToken));
    }

    ApiClient as(String token) {
        return new ApiClient(node.uri(), Optional.of(token));
    }

    ApiClient anonymous() {
        return new ApiClient(node.uri(), Optional.empty());
    }

    /** A client authenticating with the node token of {@code name} (created on first use). */
    ApiClient node(String name) {
        return nodes.computeIfAbsent(name, n -> as(nodeToken(n)));
    }

    /** A new node token bound to {@code name}. */
    String nodeToken(String name) {
        try {
            return new ApiTokens(node.database().dataSource()).createNodeToken(name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new token with these scopes. */
    String token(String name, Scope... scopes) {
        try {
            return new ApiTokens(node.database().dataSource()).create(name, List.of(scopes));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs SQL directly (to backdate rows, count them). */
    void sql(String statement) {
        try (Connection c = node.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }

    long count(String query) {
        try (Connection c = node.database().dataSource().getConnection(); Statement s = c.createStatement();
                var rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
