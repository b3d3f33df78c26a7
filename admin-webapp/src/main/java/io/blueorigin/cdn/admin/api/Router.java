package io.blueorigin.cdn.admin.api;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Matches a request's method and path against the route table. Literal segments win over parameters at the
 * same position ({@code /invalidations/recent} before {@code /invalidations/{id}}), whatever the order of
 * the table. Immutable, thread-safe.
 */
final class Router {
    private final List<Route> routes;

    Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** The outcome of matching a request. */
    sealed interface Match permits Found, MethodNotAllowed, NotFound {}

    record Found(Route route, Map<String, String> parameters) implements Match {}

    record MethodNotAllowed(Set<String> allowed) implements Match {}

    record NotFound() implements Match {}

    Match match(String method, String path) {
        if (!path.startsWith("/")) {
            return new NotFound();
        }
        String[] segments = path.substring(1).split("/", -1);
        Optional<Map<String, String>> best = Optional.empty();
        Route bestRoute = null;
        int bestLiterals = -1;
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> parameters = bind(route.segments(), segments);
            if (parameters.isEmpty()) {
                continue;
            }
            int literals = route.segments().size() - parameters.get().size();
            if (route.method().equals(method)) {
                if (literals > bestLiterals) {
                    best = parameters;
                    bestRoute = route;
                    bestLiterals = literals;
                }
            } else {
                allowed.add(route.method());
            }
        }
        if (bestRoute != null) {
            return new Found(bestRoute, best.get());
        }
        return allowed.isEmpty() ? new NotFound() : new MethodNotAllowed(allowed);
    }

    private static Optional<Map<String, String>> bind(List<String> pattern, String[] segments) {
        if (pattern.size() != segments.length) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < segments.length; i++) {
            String p = pattern.get(i);
            if (p.startsWith("{") && p.endsWith("}")) {
                if (segments[i].isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(p.substring(1, p.length() - 1), segments[i]);
            } else if (!p.equals(segments[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }
}
