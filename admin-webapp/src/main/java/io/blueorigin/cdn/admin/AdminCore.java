package io.blueorigin.cdn.admin;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.api.Api;
import io.blueorigin.cdn.admin.console.Console;
import io.blueorigin.cdn.admin.db.ApiTokens;
import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.NotificationListener;
import io.blueorigin.cdn.admin.db.Retention;
import io.blueorigin.cdn.admin.db.RoutingVersion;
import io.blueorigin.cdn.admin.db.TierKeys;
import io.blueorigin.cdn.admin.health.HealthChecker;
import io.blueorigin.cdn.runtime.HealthRegistry;
import io.blueorigin.cdn.runtime.NodeServer;
import io.blueorigin.cdn.runtime.ReadinessCheck;
import io.blueorigin.cdn.runtime.StartupException;
import io.blueorigin.cdn.runtime.metrics.NodeMetrics;
import io.blueorigin.cdn.runtime.metrics.PrometheusEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An admin node without its listeners: database (connect, migrate), bootstrap token and console user, the
 * background parts (scheduler, {@code LISTEN} connection, health checks), the API and the console, ready to be
 * mounted on a servlet context. Two adapters put it on a port: {@link AdminNode} (the launcher: a
 * {@link NodeServer} of its own) and {@code AdminWarNode} (admin.war: the container's connectors). Start-up
 * order is the above; a failure at any step closes what was opened and names what to fix. Stop: the adapter
 * calls {@link #answerWaiting()} first (waiting long-polls are answered, so the graceful stop of the traffic
 * port is not held up by them), stops its listeners, then {@link #close()}.
 *
 * <p>Background work runs on one daemon scheduler thread: long-poll deadlines, the fallback re-query of
 * waiting long-polls every {@link #FALLBACK_POLL} while the {@code LISTEN} connection is down, and
 * retention every {@link #RETENTION_PERIOD}. The active health checks run on their own thread
 * ({@link HealthChecker}, {@code health.*} settings), probing only while this replica holds their lease.
 */
public final class AdminCore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminCore.class);
    /** While notifications may be missed, waiting long-polls re-read the log this often. */
    static final Duration FALLBACK_POLL = Duration.ofSeconds(1);
    /** How often retention runs (first one {@link #RETENTION_DELAY} after start). */
    static final Duration RETENTION_PERIOD = Duration.ofMinutes(10);
    static final Duration RETENTION_DELAY = Duration.ofMinutes(1);

    private final AdminConfig config;
    private final NodeMetrics metrics;
    private final Database database;
    private final Api api;
    private final NotificationListener listener;
    private final ScheduledExecutorService scheduler;
    private final HealthChecker checker;
    private final Optional<String> bootstrapToken;
    private final Optional<String> bootstrapPassword;
    private final Console console;
    private boolean answered; // guarded by this

    private AdminCore(AdminConfig config, NodeMetrics metrics, Database database, Api api, NotificationListener listener,
            ScheduledExecutorService scheduler, HealthChecker checker, Optional<String> bootstrapToken,
            Optional<String> bootstrapPassword, Console console) {
        this.config = config;
        this.metrics = metrics;
        this.bootstrapPassword = bootstrapPassword;
        this.console = console;
        this.checker = checker;
        this.database = database;
        this.api = api;
        this.listener = listener;
        this.scheduler = scheduler;
        this.bootstrapToken = bootstrapToken;
    }

    /** @throws StartupException naming what to fix when the database or a background part cannot start */
    public static AdminCore open(AdminConfig config) {
        requireNonNull(config, "config is null");
        String name = config.identity().name();
        Database database = Database.open(config.database(), name + "-db");
        ScheduledExecutorService scheduler = null;
        NotificationListener listener = null;
        HealthChecker checker = null;
        Console console = null;
        try {
            ApiTokens tokens = new ApiTokens(database.dataSource());
            Optional<String> token = bootstrap(tokens, config);
            Optional<String> password = bootstrapUser(database, config);
            TierKeys tierKeys = new TierKeys(config.nodeDownAfter());
            try {
                database.inTransaction(connection -> {
                    tierKeys.ensure(connection);
                    return null;
                });
            } catch (SQLException e) {
                throw new StartupException("cannot create the tier key in " + config.database().url() + ": " + e.getMessage(), e);
            }
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, name + "-scheduler");
                thread.setDaemon(true);
                return thread;
            });
            NodeMetrics metrics = new NodeMetrics(config.identity());
            AtomicReference<HealthChecker> checking = new AtomicReference<>();
            NodeStateMetrics stateMetrics = new NodeStateMetrics(metrics,
                    () -> checking.get() == null ? Map.of() : checking.get().counts());
            Api api = Api.create(database, tokens, tierKeys, config.nodeDownAfter(), scheduler, stateMetrics::changed);
            listener = NotificationListener.start(config.database(), name + "-listener", Map.of(
                    NotificationListener.CHANNEL, api.notifications(), RoutingVersion.CHANNEL, api.routingNotifications()));
            schedule(scheduler, listener, api, new Retention(database, config.invalidationRetention()));
            checker = HealthChecker.start(database, config.health(), name, stateMetrics::changed);
            checking.set(checker);
            console = Console.create(database, api.operations(), config.console(),
                    config.nodeDownAfter());
            return new AdminCore(config, metrics, database, api, listener, scheduler, checker, token, password, console);
        } catch (RuntimeException e) {
            if (console != null) {
                console.close();
            }
            if (checker != null) {
                checker.close();
            }
            if (listener != null) {
                listener.close();
            }
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
            database.close();
            throw e;
        }
    }

    private static void schedule(ScheduledExecutorService scheduler, NotificationListener listener, Api api,
            Retention retention) {
        scheduler.scheduleWithFixedDelay(() -> {
            if (!listener.isListening()) {
                api.resynchronize();
            }
        }, FALLBACK_POLL.toMillis(), FALLBACK_POLL.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> runRetention(retention), RETENTION_DELAY.toMillis(),
                RETENTION_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void runRetention(Retention retention) {
        try {
            Retention.Result result = retention.run();
            if (result.entriesDeleted() > 0 || result.statsDeleted() > 0) {
                LOG.info("retention deleted {} invalidation(s) and {} node stats row(s); the log is complete from id {}",
                        result.entriesDeleted(), result.statsDeleted(), result.oldestRetained());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("retention did not run ({}); it runs again in {} minutes", e.toString(), RETENTION_PERIOD.toMinutes());
        }
    }

    private static Optional<String> bootstrap(ApiTokens tokens, AdminConfig config) {
        Optional<String> token;
        try {
            token = tokens.createBootstrapTokenIfNone();
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

    /**
     * Creates console user {@code admin} on the first start (no console user yet), with a random password the
     * launcher prints once like the bootstrap token ({@link #bootstrapPassword()}; also written next to the
     * bootstrap token file, {@code <file>.console-password}, when that setting is given). Never logged.
     */
    private static Optional<String> bootstrapUser(Database database, AdminConfig config) {
        Optional<String> password;
        try {
            password = Console.bootstrap(database);
        } catch (SQLException e) {
            throw new StartupException("cannot create the bootstrap console user in " + config.database().url() + ": "
                    + e.getMessage(), e);
        }
        if (password.isPresent()) {
            Optional<Path> file = config.bootstrapTokenFile().map(p -> p.resolveSibling(p.getFileName() + ".console-password"));
            file.ifPresent(f -> writeSecret(f, password.get()));
            LOG.info("created console user 'admin' (role admin; its password is shown once{}); log in at /console/ and"
                    + " add users on the Users page or with 'blue-origin admin user add'",
                    file.map(f -> ", also written to " + f).orElse(""));
        }
        return password;
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

    /**
     * Mounts the node's servlets on {@code context}: the index at {@code /}, the JSON API under {@code /api/v1/},
     * the console under {@code /console/}.
     */
    public void mount(ServletContextHandler context) {
        context.addServlet(new ServletHolder("index", new IndexServlet(config.identity())), "/");
        api.mount(context);
        console.mount(context);
    }

    /** The traffic handler in front of the mounted servlets: request metrics, long-polls waiting, LISTEN state. */
    public Handler traffic(Handler servlets) {
        metrics.register("cdn_admin_longpoll_wake_seconds", "From a commit (this replica's own, or another's "
                + "notification) to the answer of each node long-poll it woke: admin's share of an invalidation's way "
                + "to the nodes.", api.longPollWakeTimes());
        metrics.gauge("cdn_admin_longpoll_reads_total", "Reads of the invalidation log made for node long-polls (the "
                + "polls one commit notification woke at the same position share one; those woken by their own replica's "
                + "commit read none).", this::longPollReads);
        metrics.gauge("cdn_admin_routing_renders_total", "Routing views rendered (GET /api/v1/routing): one per version "
                + "polled, however many routers and nodes it answers.", api::routingRenders);
        metrics.gauge("cdn_admin_longpoll_skipped_reads_total", "Node long-polls that parked without reading the "
                + "invalidation log: they asked after the newest entry committed, as the commits this admin was told of "
                + "show.", api::longPollSkippedReads);
        return new AdminMetrics(metrics, api::waitingLongPolls, listener::isListening, servlets);
    }

    /** Readiness (the database answers) for the management port. */
    public HealthRegistry health() {
        HealthRegistry health = new HealthRegistry(config.identity());
        health.register("database", () -> database.isReachable(1)
                ? ReadinessCheck.Result.ready(Map.of("notifications", listener.isListening() ? "listening"
                        : "reconnecting (long-polls re-query every second)"))
                : ReadinessCheck.Result.notReady(Map.of("error", "PostgreSQL does not answer")));
        return health;
    }

    /** Adds {@code /metrics} to a management port. */
    public NodeServer.Builder managementRoutes(NodeServer.Builder builder) {
        return builder.managementRoute("/metrics", new PrometheusEndpoint(metrics));
    }

    /** The bootstrap admin token if this start created it (it is never stored in clear). */
    public Optional<String> bootstrapToken() {
        return bootstrapToken;
    }

    /** The bootstrap console user's password if this start created the user (stored only as a hash). */
    public Optional<String> bootstrapPassword() {
        return bootstrapPassword;
    }

    /** The console (for tests: its login gate's state). */
    public Console console() {
        return console;
    }

    public Database database() {
        return database;
    }

    /** Whether the {@code LISTEN} connection is up (else waiting long-polls re-query every second). */
    public boolean isListening() {
        return listener.isListening();
    }

    /** The API's token store (for tests: how many lookups reached the database). */
    public ApiTokens tokens() {
        return api.tokens();
    }

    /** How many long-polls are waiting on this admin now. */
    public int waitingLongPolls() {
        return api.waitingLongPolls();
    }

    /** Reads of the invalidation log made for long-polls since start ({@code cdn_admin_longpoll_reads_total}). */
    public long longPollReads() {
        return api.longPollReads();
    }

    /** Routing views rendered since start ({@code cdn_admin_routing_renders_total}). */
    public long routingRenders() {
        return api.routingRenders();
    }

    /** Long-polls that parked without reading the log ({@code cdn_admin_longpoll_skipped_reads_total}). */
    public long longPollSkippedReads() {
        return api.longPollSkippedReads();
    }

    /** Long-polls woken by this replica's own commits, before the database's notification, since start. */
    public long longPollsWokenByOwnCommits() {
        return api.longPollsWokenByOwnCommits();
    }

    /** Whether this admin holds the health-check lease (it is the replica probing the nodes). */
    public boolean holdsHealthLease() {
        return checker.holdsLease();
    }

    /** How many routing long-polls are waiting on this admin now. */
    public int waitingRoutingPolls() {
        return api.waitingRoutingPolls();
    }

    /** First of a stop: health checks stop, waiting long-polls are answered. Once; later calls do nothing. */
    public synchronized void answerWaiting() {
        if (!answered) {
            answered = true;
            checker.close();
            api.close();
        }
    }

    /** After the listeners stopped: the console, the LISTEN connection, the scheduler, the database. */
    @Override
    public void close() {
        answerWaiting();
        console.close();
        listener.close();
        scheduler.shutdownNow();
        database.close();
    }
}
