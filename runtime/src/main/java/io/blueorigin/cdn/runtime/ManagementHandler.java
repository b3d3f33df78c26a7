package io.blueorigin.cdn.runtime;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The management port's routes: {@code /healthz} (alive: 200 whenever the process answers),
 * {@code /readyz} (200 when every readiness check holds, else 503; JSON details either way), and any
 * routes a role adds (e.g. {@code /metrics}). Everything else is a 404 that lists the routes.
 */
final class ManagementHandler extends Handler.Abstract.NonBlocking {
    private final HealthRegistry health;
    private final Map<String, Handler> routes;
    private final List<String> routeNames;

    ManagementHandler(HealthRegistry health, Map<String, Handler> routes) {
        this.health = requireNonNull(health, "health is null");
        this.routes = Map.copyOf(routes);
        this.routes.values().forEach(this::addBean);
        List<String> names = new ArrayList<>(List.of("/healthz", "/readyz"));
        routes.keySet().stream().sorted().forEach(names::add);
        this.routeNames = List.copyOf(names);
    }

    /** The routes are beans of this handler, not children: they get the server from it (else Jetty warns). */
    @Override
    public void setServer(org.eclipse.jetty.server.Server server) {
        super.setServer(server);
        routes.values().forEach(route -> route.setServer(server));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        Handler route = routes.get(path);
        boolean known = route != null || path.equals("/healthz") || path.equals("/readyz");
        if (known && !HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
            return methodNotAllowed(response, callback); // every management route is read-only
        }
        if (route != null) {
            return route.handle(request, response, callback);
        }
        switch (path) {
            case "/healthz" -> Json.respond(response, HttpStatus.OK_200, health.liveness(), callback);
            case "/readyz" -> {
                HealthRegistry.Readiness readiness = health.readiness();
                Json.respond(response, readiness.ready() ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503,
                        readiness.body(), callback);
            }
            default -> Json.respond(response, HttpStatus.NOT_FOUND_404,
                    Map.of("error", "no management route " + path, "routes", routeNames), callback);
        }
        return true;
    }

    private static boolean methodNotAllowed(Response response, Callback callback) {
        response.getHeaders().put("Allow", "GET, HEAD");
        Json.respond(response, HttpStatus.METHOD_NOT_ALLOWED_405, Map.of("error", "use GET or HEAD"), callback);
        return true;
    }
}
