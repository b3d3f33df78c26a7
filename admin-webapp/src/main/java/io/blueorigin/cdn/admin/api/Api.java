package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Timer;
import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.db.AckWriter;
import io.blueorigin.cdn.admin.db.Acks;
import io.blueorigin.cdn.admin.db.ApiTokens;
import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.InvalidationLog;
import io.blueorigin.cdn.admin.db.NodeStats;
import io.blueorigin.cdn.admin.db.NodeState;
import io.blueorigin.cdn.admin.db.Nodes;
import io.blueorigin.cdn.admin.db.NotificationListener;
import io.blueorigin.cdn.admin.db.Pops;
import io.blueorigin.cdn.admin.db.SigningKeys;
import io.blueorigin.cdn.admin.db.Sites;
import io.blueorigin.cdn.admin.db.TierKeys;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The JSON API of one admin process: the route table (every endpoint, the scope it needs, its handler, as
 * in docs/control-plane.md; who may call what is {@link Access}), mounted under {@code /api/*} behind
 * {@link AuthFilter}. It owns the registry
 * of waiting long-polls; the admin node feeds it commit notifications ({@link #notifications()}) and
 * closes it first when stopping, so waiting polls answer at once instead of holding up the shutdown.
 */
public final class Api implements AutoCloseable {
    private final ApiTokens tokens;
    private final LongPolls polls;
    private final LongPolls routingPolls;
    private final LongPollApi longPoll;
    private final RoutingApi routing;
    private final Router router;
    private final Operations operations;

    private Api(ApiTokens tokens, LongPolls polls, LongPolls routingPolls, LongPollApi longPoll, RoutingApi routing,
            Router router, Operations operations) {
        this.operations = operations;
        this.longPoll = longPoll;
        this.routing = routing;
        this.tokens = tokens;
        this.polls = polls;
        this.routingPolls = routingPolls;
        this.router = router;
    }

    /** An API that tells nobody of state changes (see the other {@code create}). */
    public static Api create(Database database, ApiTokens tokens, TierKeys tierKeys, Duration nodeDownAfter,
            ScheduledExecutorService scheduler) {
        return create(database, tokens, tierKeys, nodeDownAfter, scheduler, state -> {});
    }

    /**
     * @param nodeDownAfter no heartbeat for this long: a node is down (three heartbeat intervals)
     * @param scheduler runs long-poll deadlines (must outlive the API's requests)
     * @param stateChanges told of each node state change the API commits (registration, drain, undrain), with
     *     the state changed to: the metric {@code cdn_admin_node_state_changes_total}
     */
    public static Api create(Database database, ApiTokens tokens, TierKeys tierKeys, Duration nodeDownAfter,
            ScheduledExecutorService scheduler, Consumer<NodeState> stateChanges) {
        requireNonNull(stateChanges, "stateChanges is null");
        requireNonNull(database, "database is null");
        requireNonNull(tokens, "tokens is null");
        requireNonNull(tierKeys, "tierKeys is null");
        requireNonNull(nodeDownAfter, "nodeDownAfter is null");
        requireNonNull(scheduler, "scheduler is null");
        // An append waits for the log lock at most as long as a request waits for a connection.
        InvalidationLog log = new InvalidationLog(database.config().connectTimeout());
        Sites sites = new Sites(database.config().connectTimeout());
        SigningKeys signingKeys = new SigningKeys(database.config().connectTimeout());
        Nodes nodes = new Nodes();
        NodeStats nodeStats = new NodeStats();
        Acks acks = new Acks();
        LongPolls polls = new LongPolls();
        LongPolls routingPolls = new LongPolls();
        Pops pops = new Pops();
        PopsApi popsApi = new PopsApi(database, pops);
        RoutingApi routing = new RoutingApi(database, nodes, pops, routingPolls, scheduler);
        LongPollApi longPoll = new LongPollApi(database, log, sites, polls, scheduler);
        InvalidationsApi invalidations = new InvalidationsApi(database, log, nodes, acks, sites, nodeDownAfter, longPoll);
        NodesApi agents = new NodesApi(database, nodes, nodeStats, new AckWriter(database), log, tierKeys, sites, signingKeys, nodeDownAfter,
                stateChanges);
        SitesApi sitesApi = new SitesApi(database, log, sites);
        SigningApi signingApi = new SigningApi(database, log, sites, signingKeys);
        StatsApi stats = new StatsApi(database, nodes, nodeStats);
        TokensApi tokensApi = new TokensApi(tokens);
        TierKeysApi tierKeysApi = new TierKeysApi(database, tierKeys);
        Router router = new Router(List.of(
                new Route("POST", "/api/v1/purge", Scope.PURGE, invalidations::purge),
                new Route("POST", "/api/v1/purge/tags", Scope.PURGE, invalidations::purgeTags),
                new Route("POST", "/api/v1/bans", Scope.PURGE, invalidations::ban),
                new Route("DELETE", "/api/v1/bans/{id}", Scope.PURGE, invalidations::liftBan),
                new Route("POST", "/api/v1/purge-all", Scope.PURGE, invalidations::purgeAll),
                new Route("GET", "/api/v1/invalidations/{id}", Scope.READ, invalidations::status),
                new Route("GET", "/api/v1/invalidations/recent", Scope.READ, invalidations::recent),
                new Route("GET", "/api/v1/invalidations", Scope.NODE, longPoll::poll),
                new Route("POST", "/api/v1/nodes/register", Scope.NODE, agents::register),
                new Route("POST", "/api/v1/nodes/{name}/heartbeat", Scope.NODE, agents::heartbeat),
                new Route("POST", "/api/v1/nodes/{name}/acks", Scope.NODE, agents::acks),
                new Route("GET", "/api/v1/nodes", Scope.READ, agents::list),
                new Route("GET", "/api/v1/nodes/{name}/history", Scope.READ, agents::history),
                new Route("POST", "/api/v1/nodes/{name}/drain", Scope.ADMIN, agents::drain),
                new Route("POST", "/api/v1/nodes/{name}/undrain", Scope.ADMIN, agents::undrain),
                new Route("GET", "/api/v1/pops", Scope.READ, popsApi::list),
                new Route("GET", "/api/v1/pops/{name}", Scope.READ, popsApi::get),
                new Route("PUT", "/api/v1/pops/{name}", Scope.ADMIN, popsApi::put),
                new Route("DELETE", "/api/v1/pops/{name}", Scope.ADMIN, popsApi::delete),
                new Route("GET", "/api/v1/routing", Scope.READ, true, routing::poll),
                new Route("GET", "/api/v1/stats", Scope.READ, stats::stats),
                new Route("POST", "/api/v1/tokens", Scope.ADMIN, tokensApi::create),
                new Route("GET", "/api/v1/tokens", Scope.ADMIN, tokensApi::list),
                new Route("DELETE", "/api/v1/tokens/{id}", Scope.ADMIN, tokensApi::revoke),
                new Route("POST", "/api/v1/tier-keys", Scope.ADMIN, tierKeysApi::rotate),
                new Route("GET", "/api/v1/sites", Scope.READ, true, sitesApi::list),
                new Route("GET", "/api/v1/sites/{name}", Scope.READ, sitesApi::get),
                new Route("PUT", "/api/v1/sites/{name}", Scope.ADMIN, sitesApi::put),
                new Route("DELETE", "/api/v1/sites/{name}", Scope.ADMIN, sitesApi::delete),
                new Route("GET", "/api/v1/sites/{name}/history", Scope.READ, sitesApi::history),
                new Route("GET", "/api/v1/sites/{name}/keys", Scope.READ, signingApi::list),
                new Route("POST", "/api/v1/sites/{name}/keys", Scope.ADMIN, signingApi::create),
                new Route("DELETE", "/api/v1/sites/{name}/keys/{id}", Scope.ADMIN, signingApi::revoke),
                new Route("POST", "/api/v1/sign", Scope.PURGE, signingApi::sign)));
        Operations operations = new Operations(database, invalidations, agents, stats, tokensApi, tokens, log, sites,
                sitesApi);
        return new Api(tokens, polls, routingPolls, longPoll, routing, router, operations);
    }

    /** Adds the filter and servlet answering {@code /api/*} to {@code context}. */
    public void mount(ServletContextHandler context) {
        FilterHolder auth = new FilterHolder(new AuthFilter(tokens));
        auth.setName("api-auth");
        auth.setAsyncSupported(true);
        context.addFilter(auth, "/api/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder api = new ServletHolder("api", new ApiServlet(router));
        api.setAsyncSupported(true);
        context.addServlet(api, "/api/*");
    }

    /** What the console may do, through this API's code and rules. */
    public Operations operations() {
        return operations;
    }

    /** What the notification listener reports to: wakes the long-polls of this process. */
    public NotificationListener.Events notifications() {
        return polls;
    }

    /** What the notification listener reports routing version changes to: wakes the routing long-polls. */
    public NotificationListener.Events routingNotifications() {
        return routingPolls;
    }

    /** Makes every waiting long-poll re-read (the fallback while notifications may be missed). */
    public void resynchronize() {
        polls.wakeAll();
        routingPolls.wakeAll();
    }

    /** The token store (its refusal cache is observable for tests and metrics). */
    public ApiTokens tokens() {
        return tokens;
    }

    /** How many invalidation long-polls are waiting now (for metrics and tests). */
    public int waitingLongPolls() {
        return polls.parkedCount();
    }

    /** Reads of the invalidation log made for long-polls since start. */
    public long longPollReads() {
        return longPoll.reads();
    }

    /** Routing views rendered since start: one per version polled, however many polls it answers. */
    public long routingRenders() {
        return routing.renders();
    }

    /** Long-polls that parked without reading the log: they asked after the newest id committed. */
    public long longPollSkippedReads() {
        return longPoll.skippedReads();
    }

    /** Long-polls woken by this replica's own commits, before the database's notification, since start. */
    public long longPollsWokenByOwnCommits() {
        return polls.wokenByOwnCommits();
    }

    /** From a commit notification to the answer of each invalidation long-poll it woke. */
    public Timer longPollWakeTimes() {
        return polls.wakeTimes();
    }

    /** How many routing long-polls ({@code GET /api/v1/routing}) are waiting now (for metrics and tests). */
    public int waitingRoutingPolls() {
        return routingPolls.parkedCount();
    }

    /** Answers every waiting long-poll now, and later ones at once. Call before stopping the server. */
    @Override
    public void close() {
        polls.close();
        routingPolls.close();
    }
}
