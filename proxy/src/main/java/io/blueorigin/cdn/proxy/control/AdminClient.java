package io.blueorigin.cdn.proxy.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.httpcache.signing.SigningKeyring;
import io.blueorigin.cdn.httpcache.site.Site;
import io.blueorigin.cdn.httpcache.site.SiteException;
import io.blueorigin.cdn.httpcache.site.SiteTable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The node agent's side of admin's JSON API (docs/control-plane.md): blocking calls on the agent's own
 * threads, each bounded by a timeout and by the bytes it reads. Thread-safe (Jetty's client is).
 *
 * <p>Answer sizes: a long-poll asks admin for at most {@link #MAX_POLL_BYTES} ({@code maxBytes}, which admin
 * honours; at least one entry always fits) and reads exactly that much, so any answer admin may send is
 * read; a registration (whose active bans are not bounded by the protocol) is read up to
 * {@link #MAX_REGISTRATION_BYTES}, the other answers up to {@link #MAX_SMALL_ANSWER_BYTES}. A larger answer is
 * an {@link UnreadableAnswer}, as is one that is not the JSON expected.
 *
 * <p>Replicas ({@code control.admin-url} lists several, one PostgreSQL behind them all, so any of them holds the
 * same log, registry and tokens): calls go to the current replica; one that cannot be reached, does not answer in
 * time, or answers 502/503/504 makes this client move on to the next in the list and send the same call there,
 * once round the list per call. The current replica changes only on such a failure (no return to the first), so
 * a node stays where it is until that replica fails. Calls are idempotent for admin (registration is an upsert,
 * acks and heartbeats set values), so repeating one on another replica is safe. A client's PURGE
 * ({@link #forward}) goes to the current replica only: it is not repeated, because admin may have logged it.
 */
final class AdminClient {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AdminClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A call that is not a long-poll must answer within this. */
    private static final long CALL_TIMEOUT_MILLIS = 5_000;
    /** What one long-poll answer may hold; sent as {@code maxBytes} (admin accepts 2 MiB to 64 MiB). */
    static final int MAX_POLL_BYTES = 4 << 20;
    /** What a registration answer may hold (its active bans: about 1 KiB each). */
    static final int MAX_REGISTRATION_BYTES = 32 << 20;
    /** What a heartbeat or ack answer may hold. */
    static final int MAX_SMALL_ANSWER_BYTES = 1 << 20;

    private final HttpClient client;
    /** The replicas as configured, in order; never empty. */
    private final List<URI> replicas;
    /** Each replica's API base ({@code <url>/api/v1}), by the same index. */
    private final List<String> bases;
    /** Index in {@link #replicas} of the replica calls go to; moved on only by {@link #moveOn}. */
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicLong failovers = new AtomicLong();
    private final String authorization;

    AdminClient(HttpClient client, List<URI> adminUrls, String token) {
        this.client = requireNonNull(client, "client is null");
        if (adminUrls.isEmpty()) {
            throw new IllegalArgumentException("no admin URL");
        }
        this.replicas = List.copyOf(adminUrls);
        this.bases = replicas.stream().map(URI::toString)
                .map(s -> (s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + "/api/v1").toList();
        this.authorization = "Bearer " + token;
    }

    /** The admin replica calls go to now, its URL as configured. */
    URI currentAdmin() {
        return replicas.get(current.get());
    }

    /** How many times this client has moved on to another replica. */
    long failovers() {
        return failovers.get();
    }

    /** A call to one replica failed in a way another replica may not: it is unreachable, hung, or says it is unavailable. */
    private static final class ReplicaFailure extends IOException {
        private static final long serialVersionUID = 1L;

        ReplicaFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Admin answered with an error status; {@link #status} tells which. */
    static final class AdminError extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        AdminError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** Admin answered 2xx, but with something this node cannot read: too large, not JSON, not the expected shape. */
    static final class UnreadableAnswer extends IOException {
        private static final long serialVersionUID = 1L;

        UnreadableAnswer(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What {@code register} answers. */
    record Registration(long latest, long oldestRetained, List<Invalidation> activeBans, Optional<TierKeys> tierKeys,
            Optional<SiteTable> sites, Optional<Map<String, SigningKeyring>> signingKeys) {}

    /** What one long-poll answers. */
    /**
     * What a long-poll answers.
     *
     * @param createdAtMillis when admin's log committed each entry (its {@code createdAt}, the database's clock), by id;
     *     for the delivery stage of the agent's timings only
     */
    record Poll(List<Invalidation> entries, long latest, long oldestRetained, long sitesVersion,
            Map<Long, Long> createdAtMillis) {}

    /** What a heartbeat answers. */
    record Beat(long latest, Optional<TierKeys> tierKeys) {}

    Registration register(String name, String role, String pop, URI trafficUrl, URI managementUrl, long lastApplied,
            Placement placement) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("role", role).put("pop", pop)
                .put("trafficUrl", trafficUrl.toString()).put("managementUrl", managementUrl.toString())
                .put("lastApplied", lastApplied).put("weight", placement.weight());
        if (placement.latitude() != null && placement.longitude() != null) {
            body.put("latitude", placement.latitude()).put("longitude", placement.longitude());
        }
        placement.publicUrl().ifPresent(url -> body.put("publicUrl", url.toString()));
        if (!placement.addresses().isEmpty()) {
            placement.addresses().forEach(body.putArray("addresses")::add);
        }
        String path = "/nodes/register";
        JsonNode answer = call(HttpMethod.POST, path, body, CALL_TIMEOUT_MILLIS, MAX_REGISTRATION_BYTES);
        return new Registration(answer.path("latest").asLong(0), answer.path("oldestRetained").asLong(0),
                entries(path, answer.path("activeBans")), tierKeys(path, answer.path("tierKeys")), sites(path, answer.path("sites")),
                signingKeys(path, answer.path("signingKeys")));
    }

    /** Every site's signed-URL keyring ({@code {"<site>": {"keys": [...]}}}), absent from an admin without them. */
    private static Optional<Map<String, SigningKeyring>> signingKeys(String path, JsonNode node) throws UnreadableAnswer {
        if (!node.isObject()) {
            return Optional.empty();
        }
        Map<String, SigningKeyring> keyrings = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                keyrings.put(e.getKey(), SiteKeyrings.parse(e.getValue().path("keys")));
            }
        } catch (IllegalArgumentException e) {
            throw new UnreadableAnswer("admin's answer to " + path + " has unusable signing keys: " + e.getMessage(), e);
        }
        return Optional.of(keyrings);
    }

    /** Admin's site table ({@code {"version": V, "sites": [...]}}), absent from an admin without sites. */
    private static Optional<SiteTable> sites(String path, JsonNode node) throws IOException {
        if (!node.isObject()) {
            return Optional.empty();
        }
        try {
            List<Site> sites = new java.util.ArrayList<>();
            for (JsonNode site : node.path("sites")) {
                sites.add(Site.fromMap(JSON.convertValue(site, Object.class)));
            }
            return Optional.of(SiteTable.of(node.path("version").asLong(0), sites));
        } catch (SiteException e) {
            throw new IOException("admin's answer to " + path + " holds a site table this node cannot read: " + e.getMessage(), e);
        }
    }

    Poll poll(long after, int waitSeconds) throws IOException {
        String path = "/invalidations?after=" + after + "&wait=" + waitSeconds + "&maxBytes=" + MAX_POLL_BYTES;
        JsonNode answer = call(HttpMethod.GET, path, null, waitSeconds * 1000L + CALL_TIMEOUT_MILLIS, MAX_POLL_BYTES);
        return new Poll(entries(path, answer.path("entries")), answer.path("latest").asLong(0),
                answer.path("oldestRetained").asLong(0), answer.path("sitesVersion").asLong(0),
                createdAtMillis(answer.path("entries")));
    }

    /** A registered shield as admin's routing view lists it. */
    record Shield(String name, URI trafficUrl, String state) {
        /** Whether it may take keys: healthy or degraded (not down, not drained). */
        boolean usable() {
            return state.equals("healthy") || state.equals("degraded");
        }
    }

    /** What one poll of the routing view answers (its shields only: an edge's agent needs no more). */
    record RoutingView(long version, List<Shield> shields) {}

    /** {@code GET /api/v1/routing?after=V&wait=S}: at once when the view is newer than {@code after}, else at a change or S. */
    RoutingView routing(long after, int waitSeconds) throws IOException {
        String path = "/routing?after=" + after + "&wait=" + waitSeconds;
        JsonNode answer = call(HttpMethod.GET, path, null, waitSeconds * 1000L + CALL_TIMEOUT_MILLIS, MAX_REGISTRATION_BYTES);
        List<Shield> shields = new ArrayList<>();
        for (JsonNode node : answer.path("nodes")) {
            if (node.path("role").asText("").equals("shield")) {
                try {
                    shields.add(new Shield(node.path("name").asText(""), URI.create(node.path("trafficUrl").asText("")),
                            node.path("state").asText("")));
                } catch (IllegalArgumentException e) {
                    throw new UnreadableAnswer("admin's answer to " + path + " has a shield whose trafficUrl is not a URL: "
                            + e.getMessage(), e);
                }
            }
        }
        return new RoutingView(answer.path("version").asLong(0), shields);
    }

    /** Admin's whole site table ({@code GET /api/v1/sites}), for a node whose table fell behind the log. */
    SiteTable sites() throws IOException {
        String path = "/sites";
        return sites(path, call(HttpMethod.GET, path, null, CALL_TIMEOUT_MILLIS, MAX_REGISTRATION_BYTES))
                .orElseThrow(() -> new IOException("admin's answer to " + path + " holds no site table"));
    }

    void ack(String name, List<Ack> acks) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        var array = body.putArray("acks");
        for (Ack a : acks) {
            array.addObject().put("id", a.id()).put("objectsAffected", a.objectsAffected()).put("appliedAt", a.appliedAt().toString());
        }
        call(HttpMethod.POST, "/nodes/" + name + "/acks", body, CALL_TIMEOUT_MILLIS, MAX_SMALL_ANSWER_BYTES);
    }

    Beat heartbeat(String name, long lastApplied, JsonNode stats) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("lastApplied", lastApplied);
        body.set("stats", stats);
        String path = "/nodes/" + name + "/heartbeat";
        JsonNode answer = call(HttpMethod.POST, path, body, CALL_TIMEOUT_MILLIS, MAX_SMALL_ANSWER_BYTES);
        return new Beat(answer.path("latest").asLong(0), tierKeys(path, answer.path("tierKeys")));
    }

    /** A request to admin on behalf of a client (an edge's PURGE): its own token, sent asynchronously. */
    Request forward(String path, String clientAuthorization, String json) {
        return client.newRequest(URI.create(bases.get(current.get()) + path)).method(HttpMethod.POST)
                .timeout(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, clientAuthorization))
                .body(new StringRequestContent("application/json", json, StandardCharsets.UTF_8));
    }

    /** {@code call} on the current replica, then on each other one in turn while the failure is the replica's. */
    private JsonNode call(HttpMethod method, String path, JsonNode body, long timeoutMillis, int maxBytes) throws IOException {
        int first = current.get();
        ReplicaFailure last = null;
        for (int tried = 0; tried < bases.size(); tried++) {
            int index = (first + tried) % bases.size();
            try {
                return call(bases.get(index), method, path, body, timeoutMillis, maxBytes);
            } catch (ReplicaFailure e) {
                last = e;
                moveOn(index, e);
            }
        }
        throw last;
    }

    /** Replica {@code failed} failed a call: the next one becomes current, unless another call moved on already. */
    private void moveOn(int failed, ReplicaFailure why) {
        if (bases.size() > 1 && current.compareAndSet(failed, (failed + 1) % bases.size())) {
            failovers.incrementAndGet();
            LOG.warn("admin {} failed ({}); following {} now", replicas.get(failed), why.getMessage(), currentAdmin());
        }
    }

    private JsonNode call(String base, HttpMethod method, String path, JsonNode body, long timeoutMillis, int maxBytes)
            throws IOException {
        Request request = client.newRequest(URI.create(base + path)).method(method)
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, authorization));
        if (body != null) {
            request.body(new StringRequestContent("application/json", JSON.writeValueAsString(body), StandardCharsets.UTF_8));
        }
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        Response response;
        byte[] content;
        try {
            response = listener.get(timeoutMillis, TimeUnit.MILLISECONDS);
            try (InputStream in = listener.getInputStream()) {
                content = in.readNBytes(maxBytes + 1); // the request's timeout bounds the whole exchange
            }
        } catch (InterruptedException e) {
            request.abort(e);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            request.abort(e);
            throw new ReplicaFailure("admin " + base + " did not answer " + path + " within " + timeoutMillis + " ms", e);
        } catch (ExecutionException e) {
            throw new ReplicaFailure("admin " + base + " unreachable: " + e.getCause(), e.getCause());
        } catch (IOException e) {
            throw new ReplicaFailure("admin " + base + ": " + e.getMessage(), e); // the answer broke off
        }
        if (content.length > maxBytes) {
            IOException tooLarge = new UnreadableAnswer("admin's answer to " + method + " " + path + " is larger than the "
                    + maxBytes + " bytes this node reads", null);
            request.abort(tooLarge);
            throw tooLarge;
        }
        String text = new String(content, StandardCharsets.UTF_8);
        int status = response.getStatus();
        if (status == 502 || status == 503 || status == 504) {
            String message = errorMessage(text);
            throw new ReplicaFailure("admin " + base + " answered " + status + " to " + method + " " + path + ": " + message,
                    new AdminError(status, message));
        }
        if (status / 100 != 2) {
            throw new AdminError(response.getStatus(), "admin answered " + response.getStatus() + " to " + method + " "
                    + path + ": " + errorMessage(text));
        }
        try {
            return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UnreadableAnswer("admin's answer to " + method + " " + path + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The {@code message} of admin's error body, else the body itself (cut to 1000 characters). */
    private static String errorMessage(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            if (json != null && json.path("message").isTextual()) {
                return json.path("message").asText();
            }
        } catch (JsonProcessingException e) {
            // not admin's JSON (a proxy in between?): show it as it is
        }
        String text = body.strip();
        return text.length() > 1000 ? text.substring(0, 1000) + "..." : text;
    }

    private static List<Invalidation> entries(String path, JsonNode array) throws UnreadableAnswer {
        List<Invalidation> out = new ArrayList<>();
        for (JsonNode e : array) {
            try {
                out.add(Invalidation.fromJson(e));
            } catch (RuntimeException failure) {
                throw new UnreadableAnswer("admin's answer to " + path + " holds an entry this node does not understand: "
                        + failure.getMessage(), failure);
            }
        }
        return out;
    }

    /** Each entry's {@code createdAt} in epoch milliseconds, by id; an entry without a readable one is left out. */
    private static Map<Long, Long> createdAtMillis(JsonNode array) {
        Map<Long, Long> out = new HashMap<>();
        for (JsonNode e : array) {
            try {
                out.put(e.path("id").asLong(), Instant.parse(e.path("createdAt").asText()).toEpochMilli());
            } catch (DateTimeParseException unreadable) {
                // timings only: the entry itself is checked by Invalidation.fromJson
            }
        }
        return out;
    }

    /** The tier keys of an answer ({@code {"sign": 2, "keys": [{"version": 1, "secret": "..."}]}}); empty if it has none. */
    private static Optional<TierKeys> tierKeys(String path, JsonNode node) throws UnreadableAnswer {
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        try {
            Map<Integer, byte[]> secrets = new LinkedHashMap<>();
            for (JsonNode key : node.path("keys")) {
                secrets.put(key.path("version").asInt(0), Base64.getUrlDecoder().decode(key.path("secret").asText("")));
            }
            return Optional.of(TierKeys.of(node.path("sign").asInt(0), secrets));
        } catch (IllegalArgumentException e) {
            throw new UnreadableAnswer("admin's answer to " + path + " has unusable tier keys: " + e.getMessage(), e);
        }
    }

    /** One acknowledgement. */
    record Ack(long id, int objectsAffected, Instant appliedAt) {}
}
