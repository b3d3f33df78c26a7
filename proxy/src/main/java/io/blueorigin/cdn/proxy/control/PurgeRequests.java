package io.blueorigin.cdn.proxy.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blueorigin.cdn.runtime.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PURGE <url>} on an edge's traffic port (SPEC §5): the request is forwarded to admin's
 * {@code POST /api/v1/purge} with the client's own {@code Authorization}, so admin checks the token (scope
 * {@code purge}) and logs the purge for every node; once admin has accepted it, this node applies it at
 * once, before answering. Without a valid token nothing is purged (admin's 401/403 is relayed); if admin
 * cannot be reached, nothing is purged either (503): a purge nobody logged would be lost on other nodes.
 * {@code Soft-Purge: 1} marks the object stale instead of removing it.
 *
 * <p>Public edges take {@code PURGE} from anyone, so {@link PurgeGuard} stands in front of admin: a token
 * admin refused is refused from memory for a minute, and a client address with too many failed attempts
 * gets 429 (with {@code Retry-After}) until its window ends. Answers never carry an exception's text (an
 * internal address, a stack detail): the node's log has it.
 */
public final class PurgeRequests {
    private static final Logger LOG = LoggerFactory.getLogger(PurgeRequests.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Longest {@code Authorization} value forwarded (a token is 46 characters). */
    private static final int MAX_AUTHORIZATION_LENGTH = 1024;

    private final AdminClient admin;
    private final PurgeGuard guard = new PurgeGuard();
    private final Invalidator invalidator;
    private final Executor io;
    private final String nodeName;
    private final LocalInvalidations local;

    PurgeRequests(AdminClient admin, Invalidator invalidator, Executor io, String nodeName, LocalInvalidations local) {
        this.local = requireNonNull(local, "local is null");
        this.admin = requireNonNull(admin, "admin is null");
        this.invalidator = requireNonNull(invalidator, "invalidator is null");
        this.io = requireNonNull(io, "io is null");
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
    }

    public void handle(Request request, Response response, Callback callback) {
        handle(request, response, callback, null);
    }

    /**
     * Handles a PURGE of the request's target in {@code site} (a site of the table, as the door chose it from the
     * Host), or in the default site when null.
     */
    public void handle(Request request, Response response, Callback callback, @Nullable String site) {
        String client = Request.getRemoteAddr(request); // the TCP peer: nothing a client can forge
        Optional<Long> retryAfter = guard.limited(client);
        if (retryAfter.isPresent()) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfter.get()));
            Json.respond(response, 429, error("too_many_requests", "too many failed PURGE attempts from " + client
                    + "; retry after " + retryAfter.get() + " s with a valid token; nothing was purged"), callback);
            return;
        }
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.length() > MAX_AUTHORIZATION_LENGTH) {
            guard.failed(client);
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            Json.respond(response, 401, error("unauthorized", "PURGE needs 'Authorization: Bearer <token>' with scope purge; "
                    + "nothing was purged"), callback);
            return;
        }
        Optional<PurgeGuard.Refusal> known = guard.refusal(authorization);
        if (known.isPresent()) {
            guard.failed(client);
            relay(response, callback, known.get().status(), known.get().body());
            return;
        }
        HttpURI uri = request.getHttpURI();
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        String query = uri.getQuery();
        boolean soft = "1".equals(request.getHeaders().get("Soft-Purge"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("urls", List.of(query == null ? path : path + "?" + query));
        body.put("soft", soft);
        if (site != null) {
            body.put("site", site);
        }
        admin.forward("/purge", authorization, Json.write(body)).send(new BufferingResponseListener(64 * 1024) {
            @Override
            public void onComplete(org.eclipse.jetty.client.Result result) {
                if (result.isFailed()) {
                    LOG.warn("{}: PURGE {}: admin unreachable: {}", nodeName, path, result.getFailure().toString());
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                    Json.respond(response, 503, error("admin_unavailable", "the control plane could not be reached;"
                            + " nothing was purged, retry (the node's log has the details)"), callback);
                    return;
                }
                int status = result.getResponse().getStatus();
                String text = getContentAsString();
                if (status == 401 || status == 403) {
                    guard.refused(authorization, status, text);
                    guard.failed(client);
                }
                if (status / 100 != 2) {
                    relay(response, callback, status == 503 ? 503 : status, text);
                    return;
                }
                long id = idOf(text);
                Invalidation entry = new Invalidation(id, Invalidation.Kind.PURGE, soft,
                        List.of(new Invalidation.Url(null, path, query)), List.of(), java.util.Optional.empty(), site, null);
                io.execute(() -> {
                    int affected;
                    try {
                        local.applying(id); // before the removal: this edge's refills make its shield wait for the purge
                        affected = invalidator.apply(entry);
                    } catch (RuntimeException e) {
                        LOG.error("{}: PURGE {}: logged as invalidation {} but applying it here failed", nodeName, path, id, e);
                        Json.respond(response, 500, error("internal", "logged as invalidation " + id + " (every node"
                                + " applies it from the log) but applying it here at once failed; the node's log has the"
                                + " details"), callback);
                        return;
                    }
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("id", id);
                    answer.put("node", nodeName);
                    answer.put("objectsAffected", affected);
                    answer.put("status", "/api/v1/invalidations/" + id);
                    Json.respond(response, 200, answer, callback);
                });
            }
        });
    }

    private static void relay(Response response, Callback callback, int status, String adminBody) {
        Object body;
        try {
            body = JSON.readTree(adminBody);
        } catch (java.io.IOException e) {
            body = error("admin_error", adminBody.strip());
        }
        if (status == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        }
        Json.respond(response, status, body, callback);
    }

    private static long idOf(String adminBody) {
        try {
            JsonNode node = JSON.readTree(adminBody);
            return node.path("id").asLong(0);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static Map<String, String> error(String code, String message) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("error", code);
        m.put("message", message);
        return m;
    }
}
