package io.blueorigin.cdn.proxy.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The node agent's side of admin's JSON API (docs/control-plane.md): blocking calls on the agent's own
 * thread, each bounded by a timeout. Thread-safe (Jetty's client is).
 */
final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A call that is not a long-poll must answer within this. */
    private static final long CALL_TIMEOUT_MILLIS = 5_000;

    private final HttpClient client;
    private final String base;
    private final String authorization;

    AdminClient(HttpClient client, URI adminUrl, String token) {
        this.client = requireNonNull(client, "client is null");
        String s = adminUrl.toString();
        this.base = (s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + "/api/v1";
        this.authorization = "Bearer " + token;
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

    /** What {@code register} answers. */
    record Registration(long latest, long oldestRetained, List<Invalidation> activeBans) {}

    /** What one long-poll answers. */
    record Poll(List<Invalidation> entries, long latest, long oldestRetained) {}

    Registration register(String name, String role, String pop, URI trafficUrl, URI managementUrl, long lastApplied)
            throws IOException {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("role", role).put("pop", pop)
                .put("trafficUrl", trafficUrl.toString()).put("managementUrl", managementUrl.toString())
                .put("lastApplied", lastApplied);
        JsonNode answer = call(HttpMethod.POST, "/nodes/register", body, CALL_TIMEOUT_MILLIS);
        return new Registration(answer.path("latest").asLong(0), answer.path("oldestRetained").asLong(0),
                entries(answer.path("activeBans")));
    }

    Poll poll(long after, int waitSeconds) throws IOException {
        JsonNode answer = call(HttpMethod.GET, "/invalidations?after=" + after + "&wait=" + waitSeconds, null,
                waitSeconds * 1000L + CALL_TIMEOUT_MILLIS);
        return new Poll(entries(answer.path("entries")), answer.path("latest").asLong(0), answer.path("oldestRetained").asLong(0));
    }

    void ack(String name, List<Ack> acks) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        var array = body.putArray("acks");
        for (Ack a : acks) {
            array.addObject().put("id", a.id()).put("objectsAffected", a.objectsAffected()).put("appliedAt", a.appliedAt().toString());
        }
        call(HttpMethod.POST, "/nodes/" + name + "/acks", body, CALL_TIMEOUT_MILLIS);
    }

    void heartbeat(String name, long lastApplied, JsonNode stats) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("lastApplied", lastApplied);
        body.set("stats", stats);
        call(HttpMethod.POST, "/nodes/" + name + "/heartbeat", body, CALL_TIMEOUT_MILLIS);
    }

    /** A request to admin on behalf of a client (an edge's PURGE): its own token, sent asynchronously. */
    Request forward(String path, String clientAuthorization, String json) {
        return client.newRequest(URI.create(base + path)).method(HttpMethod.POST)
                .timeout(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, clientAuthorization))
                .body(new StringRequestContent("application/json", json, StandardCharsets.UTF_8));
    }

    private JsonNode call(HttpMethod method, String path, JsonNode body, long timeoutMillis) throws IOException {
        Request request = client.newRequest(URI.create(base + path)).method(method)
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, authorization));
        if (body != null) {
            request.body(new StringRequestContent("application/json", JSON.writeValueAsString(body), StandardCharsets.UTF_8));
        }
        ContentResponse response;
        try {
            response = request.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IOException("admin " + base + " did not answer " + path + " within " + timeoutMillis + " ms", e);
        } catch (ExecutionException e) {
            throw new IOException("admin " + base + " unreachable: " + e.getCause(), e.getCause());
        }
        String text = response.getContentAsString();
        if (response.getStatus() / 100 != 2) {
            throw new AdminError(response.getStatus(), "admin answered " + response.getStatus() + " to " + method + " " + path
                    + ": " + text.strip());
        }
        return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
    }

    private static List<Invalidation> entries(JsonNode array) {
        List<Invalidation> out = new ArrayList<>();
        for (JsonNode e : array) {
            out.add(Invalidation.fromJson(e));
        }
        return out;
    }

    /** One acknowledgement. */
    record Ack(long id, int objectsAffected, java.time.Instant appliedAt) {}
}
