package io.blueorigin.cdn.admin.api;

import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.db.ApiToken;
import java.util.Map;
import java.util.Optional;

/**
 * Who may call which route (403 otherwise), with a message that says why and what to do. Pure.
 *
 * <ul>
 *   <li>A route needing {@code read}, {@code purge} or {@code admin} takes a token holding that scope or a
 *       higher one; never a node token.
 *   <li>A node agent route (scope {@code node}: register, heartbeat, acks, the long-poll) takes a node token
 *       only, and only for the node it is bound to: the {@code {name}} of the path here, the registration's
 *       {@code name} in {@link #checkActingAs}. A purge or admin token is refused (nodes used purge tokens
 *       before node tokens existed; the message says how to upgrade).
 *   <li>A route marked {@link Route#nodesToo()} (the site table, the routing view) also takes any node token.
 * </ul>
 */
final class Access {
    /** How an operator gets a node its token. */
    static final String HOW_TO_GET_A_NODE_TOKEN = "create one per node with POST /api/v1/tokens {\"name\": \"edge-nyc\","
            + " \"scopes\": [\"node\"], \"node\": \"edge-nyc\"} and give it to that node as control.token"
            + " (CDN_CONTROL_TOKEN)";

    private Access() {}

    /** Why {@code caller} may not call {@code route} with these path parameters, if it may not. */
    static Optional<String> refusal(Route route, ApiToken caller, Map<String, String> parameters) {
        String endpoint = route.method() + " " + route.pattern();
        if (route.scope() == Scope.NODE) {
            if (!caller.isNodeToken()) {
                return Optional.of(endpoint + " is for node agents and needs the node's own token (scope node, bound to"
                        + " its name); token '" + caller.name() + "' has " + labels(caller) + ": " + HOW_TO_GET_A_NODE_TOKEN);
            }
            String name = parameters.get("name");
            return name == null ? Optional.empty() : actingAs(caller, name);
        }
        if (caller.isNodeToken() && route.nodesToo()) {
            return Optional.empty();
        }
        if (caller.isNodeToken()) {
            return Optional.of("token '" + caller.name() + "' is the node token of '" + caller.node().orElseThrow()
                    + "': it may only call the node agent endpoints (register, heartbeat, acks, long-poll, GET /api/v1/sites, GET /api/v1/routing), not "
                    + endpoint);
        }
        if (!caller.allows(route.scope())) {
            return Optional.of(endpoint + " needs a token with scope " + route.scope().label() + " (or higher); token '"
                    + caller.name() + "' has " + labels(caller));
        }
        return Optional.empty();
    }

    /** 403 unless {@code caller} is the node token of {@code name}. */
    static void checkActingAs(ApiToken caller, String name) throws ApiException {
        Optional<String> refusal = actingAs(caller, name);
        if (refusal.isPresent()) {
            throw ApiException.forbidden(refusal.get());
        }
    }

    private static Optional<String> actingAs(ApiToken caller, String name) {
        if (caller.node().isPresent() && caller.node().get().equals(name)) {
            return Optional.empty();
        }
        return Optional.of("token '" + caller.name() + "' is bound to node '" + caller.node().orElse("(none)")
                + "' and cannot act as node " + Text.quote(name));
    }

    private static String labels(ApiToken caller) {
        return caller.scopes().stream().map(Scope::label).toList().toString();
    }
}
