package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import io.blueorigin.cdn.admin.db.Ack;
import io.blueorigin.cdn.admin.db.ApiToken;
import io.blueorigin.cdn.admin.db.Acks;
import io.blueorigin.cdn.admin.db.BanRule;
import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.Invalidation;
import io.blueorigin.cdn.admin.db.InvalidationKind;
import io.blueorigin.cdn.admin.db.InvalidationLog;
import io.blueorigin.cdn.admin.db.NewInvalidation;
import io.blueorigin.cdn.admin.db.Node;
import io.blueorigin.cdn.admin.db.Nodes;
import io.blueorigin.cdn.admin.db.PurgeUrl;
import io.blueorigin.cdn.admin.db.Sites;
import io.blueorigin.cdn.httpcache.site.Site;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invalidation endpoints for operators: purge, tag purge, ban, purge-all (scope {@code purge}; each one
 * transaction, answered 202 once committed), an entry's per-node status and the recent history (scope
 * {@code read}). Each invalidation may name the one site it applies to ({@code "site": "img"}; an unknown site
 * is a 400 naming {@code site}); without one it applies to every site. Lifting a ban ({@code DELETE
 * /api/v1/bans/{id}}, scope {@code purge}) is an entry of the log too, answered like them.
 */
final class InvalidationsApi {
    private static final Logger LOG = LoggerFactory.getLogger(InvalidationsApi.class);
    /** Most URLs or tags in one request. */
    static final int MAX_ITEMS = 1000;
    /** Default and largest {@code limit} of the recent history. */
    static final int DEFAULT_RECENT = 50;
    static final int MAX_RECENT = 1000;

    private final Database database;
    private final InvalidationLog log;
    private final Nodes nodes;
    private final Acks acks;
    private final Sites sites;
    private final Duration nodeDownAfter;
    /**
     * Told of every entry this replica commits, at once: the long-polls waiting here need not wait for the
     * database's notification of it, nor read the log for it (other replicas' polls still do).
     */
    private final LongPollApi longPoll;

    InvalidationsApi(Database database, InvalidationLog log, Nodes nodes, Acks acks, Sites sites, Duration nodeDownAfter,
            LongPollApi longPoll) {
        this.longPoll = requireNonNull(longPoll, "longPoll is null");
        this.database = requireNonNull(database, "database is null");
        this.log = requireNonNull(log, "log is null");
        this.sites = requireNonNull(sites, "sites is null");
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.acks = requireNonNull(acks, "acks is null");
        this.nodeDownAfter = requireNonNull(nodeDownAfter, "nodeDownAfter is null");
    }

    /** {@code POST /api/v1/purge}. */
    void purge(ApiCall call) throws ApiException, SQLException, IOException {
        append(call, purge(call.body(Bodies.Purge.class)));
    }

    /** {@code POST /api/v1/purge/tags}. */
    void purgeTags(ApiCall call) throws ApiException, SQLException, IOException {
        append(call, purgeTags(call.body(Bodies.PurgeTags.class)));
    }

    /** {@code POST /api/v1/bans}. */
    void ban(ApiCall call) throws ApiException, SQLException, IOException {
        append(call, ban(call.body(Bodies.Ban.class)));
    }

    /**
     * {@code DELETE /api/v1/bans/{id}}: appends a {@code ban_lift} entry and marks the ban lifted, in one
     * transaction; 202 with the lift's id (its status shows every node applying it). 404: no such entry; 409: the
     * entry is not a ban, or it expired, or it was lifted already (the answer names that lift).
     */
    void liftBan(ApiCall call) throws ApiException, SQLException, IOException {
        long banId = Ids.parse("ban", call.parameter("id"));
        call.query();
        long id = liftBan(call.token(), banId);
        call.response().setHeader("Location", Views.statusPath(id));
        call.respond(202, Views.accepted(id, InvalidationKind.BAN_LIFT));
    }

    /** Lifts ban {@code banId} on behalf of {@code actor}: the id of the {@code ban_lift} entry (see above). */
    long liftBan(ApiToken actor, long banId) throws ApiException, SQLException {
        InvalidationLog.Lift lift = database.inTransaction(connection -> log.liftBan(connection, banId, actor.id()));
        if (lift instanceof InvalidationLog.Lift.Unknown) {
            throw ApiException.notFound("no ban " + banId + " (never created, or deleted by retention after it expired;"
                    + " GET /api/v1/invalidations/recent lists the log)");
        } else if (lift instanceof InvalidationLog.Lift.NotABan notABan) {
            throw ApiException.conflict("entry " + banId + " is a " + notABan.kind().label() + ", not a ban: only bans"
                    + " can be lifted");
        } else if (lift instanceof InvalidationLog.Lift.Expired expired) {
            throw ApiException.conflict("ban " + banId + " expired at " + Views.time(expired.at()) + ": it no longer"
                    + " applies anywhere, there is nothing to lift");
        } else if (lift instanceof InvalidationLog.Lift.AlreadyLifted lifted) {
            throw ApiException.conflict("ban " + banId + " was already lifted at " + Views.time(lifted.at()) + " by entry "
                    + lifted.liftId() + " (" + Views.statusPath(lifted.liftId()) + ")");
        }
        long id = ((InvalidationLog.Lift.Lifted) lift).id();
        longPoll.committedHere(id, null);
        LOG.info("invalidation {} committed: ban_lift of ban {} by token {} '{}'", id, banId, actor.id(), actor.name());
        return id;
    }

    /** {@code POST /api/v1/purge-all}. */
    void purgeAll(ApiCall call) throws ApiException, SQLException, IOException {
        append(call, purgeAll(call.body(Bodies.PurgeAll.class)));
    }

    // --- body validation: pure, a 400 naming the field or the entry to append ---

    static NewInvalidation purge(Bodies.Purge body) throws ApiException {
        List<String> urls = Fields.list("urls", body.urls(), MAX_ITEMS, "URLs (paths such as /item/1 or http(s) URLs)");
        List<PurgeUrl> parsed = new ArrayList<>(urls.size());
        for (int i = 0; i < urls.size(); i++) {
            parsed.add(PurgeUrls.parse("urls[" + i + "]", urls.get(i)));
        }
        return NewInvalidation.purge(parsed, soft(body.soft()), site(body.site()));
    }

    static NewInvalidation purgeTags(Bodies.PurgeTags body) throws ApiException {
        List<String> tags = Fields.list("tags", body.tags(), MAX_ITEMS, "surrogate keys");
        for (int i = 0; i < tags.size(); i++) {
            Tags.check("tags[" + i + "]", tags.get(i));
        }
        return NewInvalidation.purgeTags(tags, soft(body.soft()), site(body.site()));
    }

    static NewInvalidation ban(Bodies.Ban body) throws ApiException {
        String kind = Fields.required("kind", body.kind(), "prefix, host or regex");
        String pattern = Fields.required("pattern", body.pattern(), "what the ban matches");
        long ttlSeconds = Fields.required("ttlSeconds", body.ttlSeconds(), "how long the ban applies, 1.."
                + BanRules.MAX_TTL_SECONDS + " seconds");
        BanRule rule = BanRules.check(kind, pattern, ttlSeconds);
        return NewInvalidation.ban(rule, site(body.site()));
    }

    static NewInvalidation purgeAll(Bodies.PurgeAll body) throws ApiException {
        return NewInvalidation.purgeAll(soft(body.soft()), site(body.site()));
    }

    /** The optional {@code site}: a site name (whether the site exists is checked when the entry is appended). */
    private static Optional<String> site(@Nullable String site) throws ApiException {
        if (site == null) {
            return Optional.empty();
        }
        if (!Site.isValidName(site)) {
            throw ApiException.badField("site", "site: " + Text.quote(site) + " is not a site name (expected 1-63"
                    + " lower-case letters, digits, '.', '_' or '-'; leave it out for every site)");
        }
        return Optional.of(site);
    }

    private static boolean soft(@Nullable Boolean soft) {
        return soft != null && soft;
    }

    private void append(ApiCall call, NewInvalidation entry) throws ApiException, SQLException, IOException {
        long id = submit(call.token(), entry);
        call.response().setHeader("Location", Views.statusPath(id));
        call.respond(202, Views.accepted(id, entry.kind()));
    }

    /**
     * Appends a validated entry on behalf of {@code actor} (the API's handlers and the console's forms both end
     * here): its id. 400 naming {@code site} when the entry names a site that does not exist.
     */
    long submit(ApiToken actor, NewInvalidation entry) throws ApiException, SQLException {
        Optional<Appended> appended = database.inTransaction(connection -> {
            if (entry.site().isPresent()) {
                sites.lockShared(connection); // the site cannot be deleted before this entry commits
                if (!sites.exists(connection, entry.site().get())) {
                    return Optional.empty();
                }
            }
            long appendedId = log.append(connection, entry, actor.id());
            return Optional.of(new Appended(appendedId, longPoll.answerAfterAppend(connection, appendedId)));
        });
        Appended committed = appended.orElseThrow(() -> ApiException.badField("site", "site: no site "
                + Text.quote(entry.site().orElseThrow()) + " (GET /api/v1/sites lists them; leave it out for every site)"));
        long id = committed.id();
        longPoll.committedHere(id, committed.answer());
        LOG.info("invalidation {} committed: {}{} ({} urls, {} tags{}{}) by token {} '{}'", id, entry.kind().label(),
                entry.soft() ? " soft" : "", entry.urls().size(), entry.tags().size(),
                entry.ban().map(b -> ", " + b.kind().label() + " ban for " + b.ttl().toSeconds() + "s").orElse(""),
                entry.site().map(site -> ", site " + site).orElse(""), actor.id(), actor.name());
        return id;
    }

    /** An entry appended, and the long-poll answer rendered in its transaction (null: too large to hold). */
    private record Appended(long id, byte @Nullable [] answer) {}

    /** {@code GET /api/v1/invalidations/{id}}. */
    void status(ApiCall call) throws ApiException, SQLException, IOException {
        long id = Ids.parse("invalidation", call.parameter("id"));
        call.query();
        call.respond(200, statusView(id).orElseThrow(() -> ApiException.notFound("no invalidation " + id
                + " (never created, or deleted by retention)")));
    }

    /** Entry {@code id} with every node's status, as {@code GET /api/v1/invalidations/{id}} shows it. */
    Optional<Map<String, ?>> statusView(long id) throws SQLException {
        return database.inSnapshot(connection -> {
            Optional<Invalidation> entry = log.get(connection, id);
            if (entry.isEmpty()) {
                return Optional.empty();
            }
            List<Node> all = nodes.list(connection);
            Map<Long, Ack> byNode = acks.of(connection, List.of(id)).getOrDefault(id, Map.of());
            Instant now = Nodes.now(connection);
            return Optional.<Map<String, ?>>of(Views.status(entry.get(), NodeStatus.rows(id, all, byNode, now, nodeDownAfter)));
        });
    }

    /**
     * {@code GET /api/v1/invalidations/recent?limit=50}: streamed from a cursor, one entry in memory at a time
     * (up to 1000 entries of up to about 1 MiB each would not fit in the heap as one document).
     */
    void recent(ApiCall call) throws ApiException, SQLException, IOException {
        int limit = (int) call.query("limit").integer("limit", 1, MAX_RECENT, (long) DEFAULT_RECENT);
        HttpServletResponse response = call.response();
        try {
            database.inSnapshot(connection -> {
                List<Node> all = nodes.list(connection);
                Instant now = Nodes.now(connection);
                try {
                    ApiResponses.startJson(response, 200);
                    JsonGenerator json = ApiJson.generator(response.getOutputStream());
                    json.writeStartObject();
                    json.writeArrayFieldStart("invalidations");
                    log.forEachRecent(connection, limit, (entry, ackedBy) -> {
                        long applied = 0;
                        long pending = 0;
                        for (Node node : all) {
                            switch (NodeStatus.of(node, ackedBy.contains(node.id()), entry.id(), now, nodeDownAfter)) {
                                case APPLIED -> applied++;
                                case PENDING -> pending++;
                                case DOWN -> { }
                            }
                        }
                        ApiJson.write(json, Views.summary(entry, applied, pending));
                    });
                    json.writeEndArray();
                    json.writeEndObject();
                    json.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return null;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
