package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.admin.db.Ack;
import io.blueorigin.cdn.admin.db.AckWriter;
import io.blueorigin.cdn.admin.db.ApiToken;
import io.blueorigin.cdn.admin.db.Coordinates;
import io.blueorigin.cdn.admin.db.Database;
import io.blueorigin.cdn.admin.db.InvalidationLog;
import io.blueorigin.cdn.admin.db.LogBounds;
import io.blueorigin.cdn.admin.db.Node;
import io.blueorigin.cdn.admin.db.NodeRegistration;
import io.blueorigin.cdn.admin.db.NodeState;
import io.blueorigin.cdn.admin.db.NodeStats;
import io.blueorigin.cdn.admin.db.Nodes;
import io.blueorigin.cdn.admin.db.SigningKeys;
import io.blueorigin.cdn.admin.db.StateChange;
import io.blueorigin.cdn.admin.db.Sites;
import io.blueorigin.cdn.admin.db.TierKeys;
import io.blueorigin.cdn.runtime.IpLiterals;
import io.blueorigin.cdn.runtime.Role;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent endpoints (scope {@code node}: a node's own token, acting as that node only, see
 * {@link Access}): register, heartbeat, acks; and the node list (scope {@code read}). Each mutating call is
 * one transaction. Registration and heartbeat answers carry the tier keys ({@link TierKeys}), so a rotation
 * reaches every live node within a heartbeat interval. The registration answer also carries the site table
 * ({@code "sites": {"version": V, "sites": [...]}}); later changes reach the node through the log.
 *
 * <p>Also the operator's side of the registry (docs/control-plane.md "Registry and POPs", "Drain"): drain and
 * undrain (scope {@code admin}) and a node's state history (scope {@code read}).
 */
final class NodesApi {
    private static final Logger LOG = LoggerFactory.getLogger(NodesApi.class);
    static final int MAX_URL_LENGTH = 2048;
    /** Most acks in one request (an agent that could not ack for a while sends its backlog at once). */
    static final int MAX_ACKS = 10_000;
    /** Deepest nesting accepted in heartbeat stats. */
    static final int MAX_STATS_DEPTH = 32;
    /** {@code limit} of a node's history when not given. */
    static final int DEFAULT_HISTORY = 50;
    /** Acks' appliedAt must fall in these years (what PostgreSQL and charts can hold sensibly). */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final Database database;
    private final Nodes nodes;
    private final NodeStats stats;
    private final AckWriter ackWriter;
    private final InvalidationLog log;
    private final TierKeys tierKeys;
    private final Sites sites;
    private final SigningKeys signingKeys;
    private final Duration nodeDownAfter;
    private final Consumer<NodeState> changes;

    /**
     * @param changes told of each state change this API commits (the state changed to), for metrics; it may
     *     be told of a change whose transaction then rolls back (the metric overcounts, never the rows)
     */
    NodesApi(Database database, Nodes nodes, NodeStats stats, AckWriter ackWriter, InvalidationLog log, TierKeys tierKeys,
            Sites sites, SigningKeys signingKeys, Duration nodeDownAfter, Consumer<NodeState> changes) {
        this.changes = requireNonNull(changes, "changes is null");
        this.sites = requireNonNull(sites, "sites is null");
        this.signingKeys = requireNonNull(signingKeys, "signingKeys is null");
        this.database = requireNonNull(database, "database is null");
        this.nodes = requireNonNull(nodes, "nodes is null");
        this.stats = requireNonNull(stats, "stats is null");
        this.ackWriter = requireNonNull(ackWriter, "ackWriter is null");
        this.log = requireNonNull(log, "log is null");
        this.tierKeys = requireNonNull(tierKeys, "tierKeys is null");
        this.nodeDownAfter = requireNonNull(nodeDownAfter, "nodeDownAfter is null");
    }

    /**
     * {@code POST /api/v1/nodes/register}: upsert by name; answers the log's bounds, the active bans, the tier
     * keys, the site table and every site's signed-URL keyring ({@code signingKeys}, replaced whole by later
     * {@code keys_put} entries). The table is read after the bounds, so its version may be above {@code latest}
     * (a change committed in between): a node ignores site entries at or below its table's version.
     */
    void register(ApiCall call) throws ApiException, SQLException, IOException {
        NodeRegistration registration = registration(call.body(Bodies.Register.class));
        call.checkActingAs(registration.name());
        record Answer(Map<String, Object> json, Optional<NodeState> changedTo) {}
        Answer answer = database.inTransaction(connection -> {
            Nodes.Registered registered = nodes.register(connection, registration);
            NodeState now = registered.node().state();
            Optional<NodeState> changedTo = registered.before().equals(Optional.of(now)) ? Optional.empty() : Optional.of(now);
            LogBounds bounds = log.bounds(connection);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("latest", bounds.latest());
            json.put("oldestRetained", bounds.oldestRetained());
            json.put("activeBans", log.activeBans(connection).stream().map(Views::entry).toList());
            json.put("tierKeys", Views.tierKeys(tierKeys.current(connection)));
            json.put("sites", Views.sites(sites.table(connection)));
            json.put("signingKeys", Views.signingKeys(signingKeys.keyrings(connection)));
            return new Answer(json, changedTo);
        });
        answer.changedTo().ifPresent(changes); // counted once committed: a rolled-back transaction changed nothing
        LOG.info("node {} ({} in {}) registered at {}, lastApplied {}", registration.name(), registration.role().label(),
                registration.pop(), registration.trafficUrl(), registration.lastApplied());
        call.respond(200, answer.json());
    }

    /** A registration body, validated (pure: a 400 naming the field, or the registration). */
    static NodeRegistration registration(Bodies.Register body) throws ApiException {
        String name = token("name", Fields.required("name", body.name(), "the node's node.name, e.g. edge-nyc"));
        String roleLabel = Fields.required("role", body.role(), "edge or shield");
        Role role = switch (roleLabel) {
            case "edge" -> Role.EDGE;
            case "shield" -> Role.SHIELD;
            default -> throw ApiException.badRequest("role: " + Text.quote(roleLabel) + " (expected: edge or shield)");
        };
        String pop = token("pop", Fields.required("pop", body.pop(), "the node's node.pop, e.g. nyc"));
        String trafficUrl = url("trafficUrl", Fields.required("trafficUrl", body.trafficUrl(), "an http(s) URL"));
        String managementUrl = url("managementUrl",
                Fields.required("managementUrl", body.managementUrl(), "an http(s) URL"));
        long lastApplied = Fields.range("lastApplied", Fields.required("lastApplied", body.lastApplied(),
                "the last invalidation id the node applied, 0 for none"), 0, Long.MAX_VALUE);
        return new NodeRegistration(name, role, pop, trafficUrl, managementUrl, lastApplied, placement(body));
    }

    /** The optional placement fields of a registration, validated (pure). */
    static Node.Placement placement(Bodies.Register body) throws ApiException {
        Optional<Coordinates> coordinates = Optional.empty();
        if (body.latitude() != null || body.longitude() != null) {
            if (body.latitude() == null || body.longitude() == null) {
                throw ApiException.badRequest((body.latitude() == null ? "latitude" : "longitude")
                        + ": required with " + (body.latitude() == null ? "longitude" : "latitude")
                        + " (give both coordinates, or neither to use the POP's)");
            }
            coordinates = Optional.of(coordinates(body.latitude(), body.longitude()));
        }
        int weight = body.weight() == null ? Node.Placement.DEFAULT_WEIGHT
                : (int) Fields.range("weight", body.weight(), 1, Node.Placement.MAX_WEIGHT);
        Optional<String> publicUrl = body.publicUrl() == null ? Optional.empty()
                : Optional.of(url("publicUrl", body.publicUrl()));
        List<String> addresses = body.addresses() == null ? List.of()
                : Fields.list("addresses", body.addresses(), 0, Node.Placement.MAX_ADDRESSES, "IP literals");
        for (int i = 0; i < addresses.size(); i++) {
            if (!IpLiterals.isLiteral(addresses.get(i))) {
                throw ApiException.badRequest("addresses[" + i + "]: " + Text.quote(addresses.get(i))
                        + " is not an IP address literal (expected e.g. 192.0.2.10 or 2001:db8::10; host names are"
                        + " not resolved)");
            }
        }
        return new Node.Placement(coordinates, weight, publicUrl, addresses);
    }

    /** Coordinates from JSON numbers, 400 naming {@code latitude} or {@code longitude} (pure). */
    static Coordinates coordinates(JsonNode latitude, JsonNode longitude) throws ApiException {
        return new Coordinates(degrees("latitude", latitude, 90), degrees("longitude", longitude, 180));
    }

    private static double degrees(String field, JsonNode value, double max) throws ApiException {
        if (!value.isNumber()) {
            throw ApiException.badRequest(field + ": expected a number of degrees, -" + (int) max + ".." + (int) max
                    + " (got " + value.getNodeType().name().toLowerCase(Locale.ROOT) + ")");
        }
        double degrees = value.doubleValue();
        if (!(degrees >= -max && degrees <= max)) {
            throw ApiException.badRequest(field + ": " + value + " is out of range (expected -" + (int) max + ".."
                    + (int) max + " degrees)");
        }
        return degrees;
    }

    /**
     * A heartbeat body, validated (pure).
     *
     * @param lastApplied the node's position in the log
     * @param statsJson its stats as the jsonb text to store ({@code {}} when absent)
     */
    record Beat(long lastApplied, String statsJson) {}

    static Beat beat(Bodies.Heartbeat body) throws ApiException {
        long lastApplied = Fields.range("lastApplied", Fields.required("lastApplied", body.lastApplied(),
                "the last invalidation id the node applied"), 0, Long.MAX_VALUE);
        JsonNode statsBody = body.stats();
        if (statsBody != null && !statsBody.isObject()) {
            throw ApiException.badRequest("stats: expected a JSON object");
        }
        if (statsBody != null) {
            checkStorable("stats", statsBody, 0);
        }
        return new Beat(lastApplied, statsBody == null ? "{}" : ApiJson.writeString(statsBody));
    }

    /** An acks body, validated (pure). */
    static List<Ack> acks(Bodies.Acks body) throws ApiException {
        List<Bodies.Ack> items = Fields.list("acks", body.acks(), 0, MAX_ACKS,
                "{\"id\", \"objectsAffected\", \"appliedAt\"} objects");
        List<Ack> parsed = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            parsed.add(ack("acks[" + i + "]", items.get(i)));
        }
        return parsed;
    }

    /** {@code POST /api/v1/nodes/{name}/heartbeat}: liveness, log position and one stats row. */
    void heartbeat(ApiCall call) throws ApiException, SQLException, IOException {
        String name = pathName(call);
        Beat beat = beat(call.body(Bodies.Heartbeat.class));
        Optional<Map<String, Object>> answer = database.inTransaction(connection -> {
            Optional<Long> id = nodes.heartbeat(connection, name, beat.lastApplied());
            if (id.isEmpty()) {
                return Optional.empty();
            }
            stats.insert(connection, id.get(), beat.statsJson());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("latest", log.bounds(connection).latest());
            json.put("tierKeys", Views.tierKeys(tierKeys.current(connection)));
            return Optional.of(json);
        });
        call.respond(200, answer.orElseThrow(() -> notRegistered(name)));
    }

    /** {@code POST /api/v1/nodes/{name}/acks}: idempotent per (entry, node). */
    void acks(ApiCall call) throws ApiException, SQLException, IOException {
        String name = pathName(call);
        List<Ack> parsed = acks(call.body(Bodies.Acks.class));
        Optional<Integer> acked = ackWriter.record(name, parsed); // with the other nodes' acks of the moment
        call.respond(200, Map.of("acked", acked.orElseThrow(() -> notRegistered(name))));
    }

    /** {@code GET /api/v1/nodes}. */
    void list(ApiCall call) throws ApiException, SQLException, IOException {
        call.query();
        call.respond(200, Map.of("nodes", views()));
    }

    /** Every registered node as {@code GET /api/v1/nodes} shows it. */
    List<Map<String, ?>> views() throws SQLException {
        return database.inSnapshot(connection -> {
            long latest = log.bounds(connection).latest();
            Instant now = Nodes.now(connection);
            return nodes.list(connection).stream()
                    .<Map<String, ?>>map(node -> Views.node(node, latest, NodeStatus.alive(node, now, nodeDownAfter)))
                    .toList();
        });
    }

    /** {@code POST /api/v1/nodes/{name}/drain}: out of routing until undrained; idempotent. */
    void drain(ApiCall call) throws ApiException, SQLException, IOException {
        setDraining(call, true);
    }

    /** {@code POST /api/v1/nodes/{name}/undrain}: back to its health state; idempotent. */
    void undrain(ApiCall call) throws ApiException, SQLException, IOException {
        setDraining(call, false);
    }

    private void setDraining(ApiCall call, boolean draining) throws ApiException, SQLException, IOException {
        String name = pathName(call);
        call.query();
        call.respond(200, setDraining(call.token(), name, draining));
    }

    /** Drains or undrains node {@code name} on behalf of {@code token} (the API and the console's nodes page). */
    Map<String, Object> setDraining(ApiToken token, String name, boolean draining) throws ApiException, SQLException {
        if (!Nodes.isName(name)) {
            throw notRegistered(name);
        }
        String actor = actor(token);
        String reason = draining ? "drained by an operator" : "undrained by an operator";
        Optional<Nodes.Drained> drained = database.inTransaction(
                connection -> nodes.setDraining(connection, name, draining, reason, actor));
        Nodes.Drained outcome = drained.orElseThrow(() -> notRegistered(name));
        if (outcome.changed()) {
            changes.accept(outcome.node().state());
            LOG.info("node {} {} by {}", name, draining ? "drained" : "undrained", actor);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("state", outcome.node().state().label());
        json.put("stateSince", Views.time(outcome.node().stateSince()));
        json.put("changed", outcome.changed());
        return json;
    }

    /** Who an API call acts for, as state change rows name it: {@code token ops-bob (id 7)}. */
    static String actor(ApiToken token) {
        return "token " + token.name() + " (id " + token.id() + ")";
    }

    /** {@code GET /api/v1/nodes/{name}/history?limit=50}: its latest state changes, newest first. */
    void history(ApiCall call) throws ApiException, SQLException, IOException {
        String name = pathName(call);
        int limit = (int) call.query("limit").integer("limit", 1, Nodes.MAX_HISTORY, (long) DEFAULT_HISTORY);
        Optional<List<StateChange>> history = database.inSnapshot(connection -> {
            Optional<Node> node = nodes.find(connection, name);
            return node.isEmpty() ? Optional.empty() : Optional.of(nodes.history(connection, node.get().id(), limit));
        });
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("history", history.orElseThrow(() -> notRegistered(name)).stream().map(Views::stateChange).toList());
        call.respond(200, json);
    }

    private static Ack ack(String field, Bodies.Ack ack) throws ApiException {
        long id = Fields.range(field + ".id", Fields.required(field + ".id", ack.id(), "the invalidation id applied"),
                1, Long.MAX_VALUE);
        long objects = Fields.range(field + ".objectsAffected", Fields.required(field + ".objectsAffected",
                ack.objectsAffected(), "how many objects the entry removed or marked stale"), 0, Long.MAX_VALUE);
        String appliedAtText = Fields.required(field + ".appliedAt", ack.appliedAt(),
                "when the node applied it, e.g. 2026-11-25T03:20:01.127Z");
        Instant appliedAt;
        try {
            appliedAt = Instant.parse(appliedAtText);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field + ".appliedAt: " + Text.quote(appliedAtText)
                    + " is not an ISO-8601 UTC instant such as 2026-11-25T03:20:01.127Z");
        }
        if (appliedAt.isBefore(EARLIEST) || appliedAt.isAfter(LATEST)) {
            throw ApiException.badRequest(field + ".appliedAt: " + appliedAtText + " (expected between 1970 and 9999)");
        }
        return new Ack(id, appliedAt, objects);
    }

    private static String pathName(ApiCall call) throws ApiException {
        String name = call.parameter("name");
        if (!Nodes.isName(name)) {
            throw notRegistered(name);
        }
        return name;
    }

    private static ApiException notRegistered(String name) {
        return ApiException.notFound("node " + Text.quote(name) + " is not registered: POST /api/v1/nodes/register first");
    }

    private static String token(String field, String value) throws ApiException {
        if (!Nodes.isName(value)) {
            throw ApiException.badRequest(field + ": " + Text.quote(value)
                    + " (expected: 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit)");
        }
        return value;
    }

    private static String url(String field, String value) throws ApiException {
        String lower = value.toLowerCase(Locale.ROOT);
        if (value.length() > MAX_URL_LENGTH || Text.problem(value).isPresent()
                || !(lower.startsWith("http://") || lower.startsWith("https://")) || value.length() <= "http://".length()
                || value.indexOf(' ') >= 0) {
            throw ApiException.badRequest(field + ": " + Text.quote(value)
                    + " (expected an http:// or https:// URL of at most " + MAX_URL_LENGTH + " characters)");
        }
        return value;
    }

    /**
     * Rejects what PostgreSQL's jsonb cannot store (NUL in a string, {@code \u0000}; a number that
     * overflowed to infinity) and pathological nesting, so the insert cannot fail on the node's data.
     */
    private static void checkStorable(String path, JsonNode node, int depth) throws ApiException {
        if (depth > MAX_STATS_DEPTH) {
            throw ApiException.badRequest(path + ": nested deeper than " + MAX_STATS_DEPTH + " levels");
        }
        if (node.isTextual()) {
            checkText(path, node.textValue());
        } else if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            throw ApiException.badRequest(path + ": number out of range");
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                checkText(path + "." + field.getKey(), field.getKey());
                checkStorable(path + "." + field.getKey(), field.getValue(), depth + 1);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkStorable(path + "[" + i + "]", node.get(i), depth + 1);
            }
        }
    }

    private static void checkText(String path, String text) throws ApiException {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (c == 0) {
                throw ApiException.badRequest(path + ": contains \\u0000, which PostgreSQL cannot store");
            }
            if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                throw ApiException.badRequest(path + ": unpaired surrogate (invalid Unicode) at position " + i);
            }
            i += Character.charCount(c);
        }
    }
}
