package io.blueorigin.cdn.admin.api;

import io.blueorigin.cdn.admin.db.Coordinates;
import io.blueorigin.cdn.admin.db.Node;
import io.blueorigin.cdn.admin.db.Pop;
import io.blueorigin.cdn.runtime.IpLiterals;
import io.blueorigin.cdn.runtime.Role;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code GET /api/v1/routing} (docs/control-plane.md "Routing view"), the contract routers and
 * edges read: {@code {"version", "pops": [...], "nodes": [...]}}, fields in this order. Pure.
 *
 * <p>Per node: {@code state} is the effective state; {@code latitude}/{@code longitude} its own, else its
 * POP's, else null; {@code publicUrl} defaults to {@code trafficUrl}; {@code addresses} are the registered
 * ones, else the public URL's host when that is an IP literal, else empty.
 */
final class RoutingView {
    private RoutingView() {}

    static Map<String, Object> of(long version, List<Pop> pops, List<Node> nodes) {
        Map<String, Coordinates> places = pops.stream().collect(Collectors.toMap(Pop::name, Pop::coordinates));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", version);
        json.put("pops", pops.stream().map(Views::pop).toList());
        json.put("nodes", nodes.stream().filter(n -> n.role() == Role.EDGE || n.role() == Role.SHIELD)
                .map(node -> node(node, places)).toList());
        return json;
    }

    private static Map<String, @Nullable Object> node(Node node, Map<String, Coordinates> places) {
        Optional<Coordinates> at = node.placement().coordinates().or(() -> Optional.ofNullable(places.get(node.pop())));
        String publicUrl = node.placement().publicUrl().orElse(node.trafficUrl());
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("name", node.name());
        json.put("role", node.role().label());
        json.put("pop", node.pop());
        json.put("publicUrl", publicUrl);
        json.put("trafficUrl", node.trafficUrl());
        json.put("addresses", node.placement().addresses().isEmpty() ? literalHost(publicUrl).map(List::of).orElse(List.of())
                : node.placement().addresses());
        json.put("latitude", at.map(Coordinates::latitude).orElse(null));
        json.put("longitude", at.map(Coordinates::longitude).orElse(null));
        json.put("weight", node.placement().weight());
        json.put("state", node.state().label());
        json.put("stateSince", Views.time(node.stateSince()));
        return json;
    }

    /** The host of {@code url} when it is an IP literal (brackets of IPv6 removed). */
    static Optional<String> literalHost(String url) {
        String host;
        try {
            host = new URI(url).getHost();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (host == null) {
            return Optional.empty();
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return IpLiterals.isLiteral(host) ? Optional.of(host) : Optional.empty();
    }
}
