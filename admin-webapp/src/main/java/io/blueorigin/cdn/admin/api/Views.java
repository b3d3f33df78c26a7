package io.blueorigin.cdn.admin.api;

import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.db.ApiToken;
import io.blueorigin.cdn.admin.db.Ban;
import io.blueorigin.cdn.admin.db.Coordinates;
import io.blueorigin.cdn.admin.db.Invalidation;
import io.blueorigin.cdn.admin.db.InvalidationKind;
import io.blueorigin.cdn.admin.db.NewToken;
import io.blueorigin.cdn.admin.db.Node;
import io.blueorigin.cdn.admin.db.NodeState;
import io.blueorigin.cdn.admin.db.Pop;
import io.blueorigin.cdn.admin.db.PurgeUrl;
import io.blueorigin.cdn.admin.db.SigningKeys;
import io.blueorigin.cdn.admin.db.Sites;
import io.blueorigin.cdn.admin.db.StateChange;
import io.blueorigin.cdn.admin.db.TierKeySet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The JSON shapes of the API's answers, field by field as docs/control-plane.md shows them (maps keep
 * the documented order). Times are UTC, ISO-8601 with milliseconds: {@code 2026-11-25T03:20:01.123Z}.
 */
final class Views {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Views() {}

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    private static @Nullable String time(Optional<Instant> instant) {
        return instant.map(Views::time).orElse(null);
    }

    /**
     * An {@code <entry>} of the node agent endpoints. A site change is {@code {"id", "kind": "site_put", "site":
     * <definition>, "createdAt"}} or {@code {"id", "kind": "site_remove", "name", "createdAt"}}; a keyring change
     * {@code {"id", "kind": "keys_put", "site", "keys": [...], "createdAt"}} (secrets: node endpoints only); a lift
     * {@code {"id", "kind": "ban_lift", "ban": <id of the ban lifted>, "createdAt"}}; an invalidation carries
     * {@code "site"}: the one site it applies to, null for every site.
     */
    static Map<String, @Nullable Object> entry(Invalidation entry) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("id", entry.id());
        json.put("kind", entry.kind().label());
        switch (entry.kind()) {
            case SITE_PUT -> json.put("site", entry.definition().orElseThrow());
            case SITE_REMOVE -> json.put("name", entry.site().orElseThrow());
            case KEYS_PUT -> {
                json.put("site", entry.site().orElseThrow());
                json.put("keys", entry.definition().orElseThrow().path("keys"));
            }
            case BAN_LIFT -> json.put("ban", entry.liftedBan().orElseThrow());
            default -> {
                json.put("soft", entry.soft());
                json.put("urls", entry.urls().stream().map(Views::target).toList());
                json.put("tags", entry.tags());
                json.put("ban", entry.ban().map(Views::ban).orElse(null));
                json.put("site", entry.site().orElse(null));
            }
        }
        json.put("createdAt", time(entry.createdAt()));
        return json;
    }

    /** {@code signingKeys} of the registration answer: {@code {"<site>": {"keys": [...]}, ...}} (secrets: nodes only). */
    static Map<String, Object> signingKeys(Map<String, List<SigningKeys.Secret>> keyrings) {
        Map<String, Object> json = new LinkedHashMap<>();
        keyrings.forEach((site, keys) -> json.put(site, SigningKeys.keyringJson(keys)));
        return json;
    }

    /** {@code GET /api/v1/sites}, and {@code sites} of the registration answer: {@code {"version": V, "sites": [...]}}. */
    static Map<String, @Nullable Object> sites(Sites.Table table) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("version", table.version());
        json.put("sites", table.definitions());
        return json;
    }

    /** {@code GET /api/v1/sites/{name}}. */
    static Map<String, @Nullable Object> site(Sites.Row row) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("site", row.definition());
        json.put("version", row.version());
        json.put("createdAt", time(row.createdAt()));
        json.put("createdBy", row.createdBy());
        json.put("updatedAt", time(row.updatedAt()));
        json.put("updatedBy", row.updatedBy());
        return json;
    }

    /** One change of {@code GET /api/v1/sites/{name}/history}. */
    static Map<String, @Nullable Object> siteChange(Sites.Change change) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("version", change.version());
        json.put("action", change.action());
        json.put("actor", change.actor());
        json.put("at", time(change.at()));
        json.put("requestId", change.requestId());
        json.put("before", change.before().orElse(null));
        json.put("after", change.after().orElse(null));
        return json;
    }

    private static Map<String, @Nullable Object> target(PurgeUrl url) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("site", url.site().orElse(null));
        json.put("path", url.path());
        json.put("query", url.query().orElse(null));
        return json;
    }

    private static Map<String, @Nullable Object> ban(Ban ban) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("kind", ban.kind().label());
        json.put("pattern", ban.pattern());
        json.put("expiresAt", time(ban.expiresAt()));
        return json;
    }

    /**
     * The tier keys of registration and heartbeat answers: {@code {"sign": 2, "keys": [{"version": 1, "secret":
     * "<base64url>"}, ...]}}.
     */
    static Map<String, @Nullable Object> tierKeys(TierKeySet keys) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("sign", keys.signing());
        json.put("keys", keys.keys().stream().map(k -> {
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("version", k.version());
            key.put("secret", k.encoded());
            return key;
        }).toList());
        return json;
    }

    /** The 202 answer of the invalidation endpoints. */
    static Map<String, @Nullable Object> accepted(long id, InvalidationKind kind) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("kind", kind.label());
        json.put("status", statusPath(id));
        return json;
    }

    static String statusPath(long id) {
        return "/api/v1/invalidations/" + id;
    }

    /**
     * An entry as the history shows it: URLs as submitted, who submitted it; {@code site} is the site an
     * invalidation applies to (null: every site), or the site a {@code site_put}/{@code site_remove} changed.
     */
    private static Map<String, @Nullable Object> history(Invalidation entry) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("id", entry.id());
        json.put("kind", entry.kind().label());
        json.put("soft", entry.soft());
        json.put("urls", entry.urls().stream().map(PurgeUrl::url).toList());
        json.put("tags", entry.tags());
        json.put("ban", entry.ban().map(Views::ban).orElse(null));
        if (entry.liftedBan().isPresent()) {
            json.put("liftedBan", entry.liftedBan().getAsLong()); // a ban_lift: the ban it lifted
        }
        json.put("site", entry.site().orElse(null));
        json.put("createdAt", time(entry.createdAt()));
        json.put("createdBy", entry.createdBy());
        return json;
    }

    /** {@code GET /api/v1/invalidations/{id}}. */
    static Map<String, @Nullable Object> status(Invalidation entry, List<NodeStatus.Row> rows) {
        Map<String, @Nullable Object> json = history(entry);
        json.put("nodes", rows.stream().map(row -> nodeStatus(entry, row)).toList());
        json.put("applied", NodeStatus.count(rows, NodeStatus.State.APPLIED));
        json.put("pending", NodeStatus.count(rows, NodeStatus.State.PENDING));
        return json;
    }

    private static Map<String, @Nullable Object> nodeStatus(Invalidation entry, NodeStatus.Row row) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("name", row.node().name());
        json.put("role", row.node().role().label());
        json.put("pop", row.node().pop());
        json.put("status", row.state().label());
        json.put("appliedAt", row.ack().map(ack -> time(ack.appliedAt())).orElse(null));
        json.put("objectsAffected", row.ack().map(ack -> (Object) ack.objectsAffected()).orElse(null));
        json.put("lagMs", row.ack().map(ack -> (Object) Duration.between(entry.createdAt(), ack.appliedAt()).toMillis())
                .orElse(null));
        return json;
    }

    /** One line of {@code GET /api/v1/invalidations/recent}: the entry and how many nodes applied it or will. */
    static Map<String, @Nullable Object> summary(Invalidation entry, long applied, long pending) {
        Map<String, @Nullable Object> json = history(entry);
        json.put("applied", applied);
        json.put("pending", pending);
        return json;
    }

    /** One node of {@code GET /api/v1/nodes}. */
    static Map<String, @Nullable Object> node(Node node, long latest, boolean alive) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("name", node.name());
        json.put("role", node.role().label());
        json.put("pop", node.pop());
        json.put("trafficUrl", node.trafficUrl());
        json.put("managementUrl", node.managementUrl());
        json.put("registeredAt", time(node.registeredAt()));
        json.put("lastHeartbeatAt", time(node.lastHeartbeatAt()));
        json.put("lastApplied", node.lastApplied());
        json.put("lag", Math.max(0, latest - node.lastApplied()));
        json.put("alive", alive);
        json.put("state", node.state().label());
        json.put("stateSince", time(node.stateSince()));
        json.put("health", node.health().label());
        json.put("draining", node.draining());
        json.put("latitude", node.placement().coordinates().map(Coordinates::latitude).orElse(null));
        json.put("longitude", node.placement().coordinates().map(Coordinates::longitude).orElse(null));
        json.put("weight", node.placement().weight());
        json.put("publicUrl", node.placement().publicUrl().orElse(null));
        json.put("addresses", node.placement().addresses());
        return json;
    }

    /** One change of {@code GET /api/v1/nodes/{name}/history}. */
    static Map<String, @Nullable Object> stateChange(StateChange change) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("id", change.id());
        json.put("from", change.from().map(NodeState::label).orElse(null));
        json.put("to", change.to().label());
        json.put("reason", change.reason());
        json.put("actor", change.actor());
        json.put("at", time(change.changedAt()));
        return json;
    }

    /** One POP of {@code GET /api/v1/pops} and the routing view. */
    static Map<String, @Nullable Object> pop(Pop pop) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("name", pop.name());
        json.put("latitude", pop.coordinates().latitude());
        json.put("longitude", pop.coordinates().longitude());
        return json;
    }

    /** The answer of {@code GET /api/v1/stats}. */
    static Map<String, @Nullable Object> stats(StatsReport report) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("window", report.window().label());
        json.put("from", time(report.from()));
        json.put("to", time(report.to()));
        json.put("bucketSeconds", report.bucketLength().toSeconds());
        Map<String, @Nullable Object> cluster = traffic(report.cluster());
        cluster.put("upstreamTier", report.upstreamTier().label());
        json.put("cluster", cluster);
        Map<String, Object> tiers = new LinkedHashMap<>();
        report.tiers().forEach((role, traffic) -> tiers.put(role.label(), traffic(traffic)));
        json.put("tiers", tiers);
        json.put("nodes", report.nodes().stream().map(line -> {
            Map<String, @Nullable Object> node = new LinkedHashMap<>();
            node.put("name", line.node().name());
            node.put("role", line.node().role().label());
            node.put("pop", line.node().pop());
            node.put("lastHeartbeatAt", time(line.node().lastHeartbeatAt()));
            node.putAll(traffic(line.traffic()));
            return node;
        }).toList());
        List<Map<String, Object>> series = new ArrayList<>();
        for (int i = 0; i < report.series().size(); i++) {
            Traffic bucket = report.series().get(i);
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("at", time(report.bucketStart(i)));
            point.put("requests", bucket.requests());
            point.put("hits", bucket.hits());
            point.put("bytesServed", bucket.bytesServed());
            point.put("bytesUpstream", bucket.bytesUpstream());
            series.add(point);
        }
        json.put("series", series);
        Map<String, Object> tierSeries = new LinkedHashMap<>();
        report.tierSeries().forEach((role, points) -> tierSeries.put(role.label(), points.stream().map(bucket -> {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("requests", bucket.requests());
            point.put("hits", bucket.hits());
            point.put("bytesServed", bucket.bytesServed());
            point.put("bytesUpstream", bucket.bytesUpstream());
            point.put("bytesSaved", bucket.bytesSaved());
            return point;
        }).toList()));
        json.put("tierSeries", tierSeries);
        json.put("sites", report.sites().stream().map(line -> {
            Map<String, @Nullable Object> site = new LinkedHashMap<>();
            site.put("site", line.label());
            site.putAll(requests(line.traffic()));
            Map<String, Object> siteTiers = new LinkedHashMap<>();
            line.tiers().forEach((role, traffic) -> siteTiers.put(role.label(), requests(traffic)));
            site.put("tiers", siteTiers);
            return site;
        }).toList());
        json.put("sitesOmitted", report.sitesOmitted());
        json.put("byContentType", breakdown(report.byContentType()));
        json.put("byContentTypeOmitted", report.byContentType().omitted());
        json.put("byUrlPattern", breakdown(report.byUrlPattern()));
        json.put("byUrlPatternOmitted", report.byUrlPattern().omitted());
        return json;
    }

    /** The lines of a breakdown: {@code {label, requests, hits, hitRatio, bytesServed, tiers: {edge, shield}}}. */
    private static List<Map<String, @Nullable Object>> breakdown(StatsReport.Breakdown breakdown) {
        return breakdown.lines().stream().map(line -> {
            Map<String, @Nullable Object> json = new LinkedHashMap<>();
            json.put("label", line.label());
            json.putAll(served(line.traffic()));
            Map<String, Object> tiers = new LinkedHashMap<>();
            line.tiers().forEach((role, traffic) -> tiers.put(role.label(), served(traffic)));
            json.put("tiers", tiers);
            return json;
        }).toList();
    }

    /** The figures of a breakdown label; {@code hitRatio} null without requests. */
    private static Map<String, @Nullable Object> served(Traffic traffic) {
        Map<String, @Nullable Object> json = requests(traffic);
        json.put("bytesServed", traffic.bytesServed());
        return json;
    }

    /** The request figures of a site label; {@code hitRatio} null without requests. */
    private static Map<String, @Nullable Object> requests(Traffic traffic) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("requests", traffic.requests());
        json.put("hits", traffic.hits());
        json.put("hitRatio", traffic.hitRatio().isPresent() ? traffic.hitRatio().getAsDouble() : null);
        return json;
    }

    /** The figures of a node, a tier or the cluster; {@code hitRatio} null without requests. */
    private static Map<String, @Nullable Object> traffic(Traffic traffic) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("requests", traffic.requests());
        json.put("hits", traffic.hits());
        json.put("hitRatio", traffic.hitRatio().isPresent() ? traffic.hitRatio().getAsDouble() : null);
        json.put("bytesServed", traffic.bytesServed());
        json.put("bytesUpstream", traffic.bytesUpstream());
        json.put("bytesSaved", traffic.bytesSaved());
        return json;
    }

    /** One token of {@code GET /api/v1/tokens} (never the secret). */
    static Map<String, @Nullable Object> token(ApiToken token) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("id", token.id());
        json.put("name", token.name());
        json.put("prefix", token.prefix());
        json.put("scopes", token.scopes().stream().map(Scope::label).toList());
        json.put("node", token.node().orElse(null));
        json.put("createdAt", time(token.createdAt()));
        json.put("lastUsedAt", time(token.lastUsedAt()));
        json.put("revokedAt", time(token.revokedAt()));
        return json;
    }

    /** The 201 answer of {@code POST /api/v1/tokens}: the only time the secret is shown. */
    static Map<String, @Nullable Object> newToken(NewToken token) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("id", token.id());
        json.put("name", token.name());
        json.put("scopes", token.scopes().stream().map(Scope::label).toList());
        json.put("node", token.node().orElse(null));
        json.put("secret", token.secret());
        return json;
    }
}
