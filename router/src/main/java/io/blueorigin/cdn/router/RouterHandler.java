package io.blueorigin.cdn.router;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Counter;
import io.blueorigin.cdn.router.Router.Routed;
import io.blueorigin.cdn.runtime.IpLiterals;
import io.blueorigin.cdn.runtime.Json;
import io.blueorigin.cdn.runtime.metrics.NodeMetrics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.jspecify.annotations.Nullable;

/**
 * The router's traffic port.
 *
 * <ul>
 *   <li>{@code GET|HEAD /route/<path>?<query>}: 302 to the chosen edge's public URL followed by the path and
 *       query exactly as received (still percent-encoded), {@code Cache-Control: no-store} (the choice depends
 *       on the client and on health, so no cache may keep it); 503 with {@code Retry-After: 5} when no edge is
 *       available.</li>
 *   <li>{@code GET|HEAD /api/v1/route[?ip=<literal>]}: the decision as JSON for {@code ip}, or for the client
 *       itself; a malformed {@code ip} is a 400 naming it.</li>
 * </ul>
 * Every other path is 404, every other method 405. The client address is the socket peer, or the one a trusted
 * proxy forwarded ({@link ClientAddress}). Bad input is a 4xx, never a 5xx.
 */
final class RouterHandler extends Handler.Abstract.NonBlocking {
    static final String ROUTE_PREFIX = "/route";
    static final String ROUTE_API = "/api/v1/route";
    /** The longest {@code ip} value echoed back in an error (the value is attacker-chosen). */
    private static final int ECHO_LIMIT = 64;

    private final Router router;
    private final List<Cidr> trustedProxies;
    private final Counter redirects;
    private final Counter unavailable;
    private final Counter badRequests;

    RouterHandler(Router router, List<Cidr> trustedProxies, NodeMetrics metrics) {
        this.router = requireNonNull(router, "router is null");
        this.trustedProxies = List.copyOf(trustedProxies);
        this.redirects = metrics.counter("cdn_router_redirects_total", "302 redirects to an edge");
        this.unavailable = metrics.counter("cdn_router_unavailable_total",
                "Requests answered 503 because no edge was available");
        this.badRequests = metrics.counter("cdn_router_bad_requests_total",
                "Requests refused with 400 (malformed ip parameter or request target)");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath(); // raw: still percent-encoded, as received
        boolean route = path.equals(ROUTE_PREFIX) || path.startsWith(ROUTE_PREFIX + "/");
        boolean api = path.equals(ROUTE_API);
        if (!route && !api) {
            plain(response, HttpStatus.NOT_FOUND_404, "no such resource: the router serves /route/<path> and "
                    + ROUTE_API + "?ip=<address>", callback);
            return true;
        }
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            plain(response, HttpStatus.METHOD_NOT_ALLOWED_405, method + " is not allowed here (use GET or HEAD)",
                    callback);
            return true;
        }
        if (route) {
            redirect(request, response, path.substring(ROUTE_PREFIX.length()), callback);
        } else {
            explain(request, response, callback);
        }
        return true;
    }

    private void redirect(Request request, Response response, String rest, Callback callback) {
        String query = request.getHttpURI().getQuery();
        String target = (rest.isEmpty() ? "/" : rest) + (query == null ? "" : "?" + query);
        if (!originFormSafe(target)) {
            badRequests.inc();
            plain(response, HttpStatus.BAD_REQUEST_400, "the request target must be origin-form (/route/<path>?<query>)"
                    + " of visible ASCII characters", callback);
            return;
        }
        Routed routed = router.route(client(request));
        Optional<EdgeCandidate> edge = routed.decision().chosen();
        if (edge.isEmpty()) {
            unavailable.inc();
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
            plain(response, HttpStatus.SERVICE_UNAVAILABLE_503, routed.view() == null
                    ? "no edge available: the router has no routing view from admin yet; retry shortly"
                    : "no edge available: every edge is down or draining; retry shortly", callback);
            return;
        }
        redirects.inc();
        response.setStatus(HttpStatus.FOUND_302);
        response.getHeaders().put(HttpHeader.LOCATION, base(edge.get()) + target);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        callback.succeeded();
    }

    /** The edge's URL without a trailing slash, so the target's own slash joins them. */
    private static String base(EdgeCandidate edge) {
        String url = edge.url().toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * Whether {@code target} can follow a URL's authority unchanged: starts with one '/', and holds only
     * visible ASCII (no space, CR, LF, other controls, non-ASCII, nor '#' or '\', which clients treat apart).
     */
    static boolean originFormSafe(String target) {
        if (!target.startsWith("/") || target.startsWith("//")) {
            return false;
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '#' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private void explain(Request request, Response response, Callback callback) {
        Fields parameters;
        try {
            parameters = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            badRequests.inc();
            error(response, "the query string is not valid percent-encoded UTF-8", callback);
            return;
        }
        List<String> ips = parameters.getValues("ip");
        InetAddress address;
        if (ips == null || ips.isEmpty()) {
            address = client(request);
        } else if (ips.size() > 1) {
            badRequests.inc();
            error(response, "ip : given " + ips.size() + " times (expected: once)", callback);
            return;
        } else {
            Optional<InetAddress> parsed = IpLiterals.parse(ips.get(0));
            if (parsed.isEmpty()) {
                badRequests.inc();
                error(response, "ip : '" + echo(ips.get(0)) + "' (expected: an IPv4 or IPv6 address literal such as"
                        + " 81.2.69.160 or 2001:db8::1)", callback);
                return;
            }
            address = parsed.get();
        }
        Json.respond(response, HttpStatus.OK_200, body(router.route(address)), callback);
    }

    private Map<String, Object> body(Routed routed) {
        RouteDecision decision = routed.decision();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ip", routed.client().getHostAddress());
        body.put("located", routed.location() != null);
        Coordinates location = routed.location();
        body.put("client", location == null ? null : Map.of("latitude", location.latitude(),
                "longitude", location.longitude()));
        body.put("choice", decision.chosen().map(e -> edge(e, decision.distanceKm(), routed.location())).orElse(null));
        body.put("reason", decision.reason().name());
        body.put("defaultPop", router.defaultPop());
        List<Object> alternates = new ArrayList<>();
        for (EdgeCandidate alternate : decision.alternates()) {
            alternates.add(edge(alternate, Double.NaN, routed.location()));
        }
        body.put("alternates", alternates);
        body.put("viewVersion", routed.viewVersion());
        return body;
    }

    private static Map<String, Object> edge(EdgeCandidate edge, double distanceKm, @Nullable Coordinates client) {
        double distance = !Double.isNaN(distanceKm) ? distanceKm
                : client == null ? Double.NaN : client.distanceKm(edge.location());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", edge.name());
        out.put("pop", edge.pop());
        out.put("url", edge.url().toString());
        out.put("distanceKm", Double.isNaN(distance) ? null : Math.round(distance * 10) / 10.0);
        out.put("state", edge.state().name().toLowerCase(java.util.Locale.ROOT));
        return out;
    }

    private InetAddress client(Request request) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        InetAddress peer = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress() : InetAddress.getLoopbackAddress();
        return ClientAddress.resolve(peer, request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR),
                request.getHeaders().getValuesList(HttpHeader.FORWARDED), trustedProxies);
    }

    private static String echo(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && i < ECHO_LIMIT; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return value.length() > ECHO_LIMIT ? out + "..." : out.toString();
    }

    private static void error(Response response, String message, Callback callback) {
        Json.respond(response, HttpStatus.BAD_REQUEST_400, Map.of("error", message), callback);
    }

    private static void plain(Response response, int status, String message, Callback callback) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, message + "\n", callback);
    }
}
