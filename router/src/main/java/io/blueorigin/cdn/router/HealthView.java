package io.blueorigin.cdn.router;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blueorigin.cdn.router.EdgeCandidate.State;
import io.blueorigin.cdn.runtime.IpLiterals;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The router's view of admin's routing data ({@code GET /api/v1/routing}): the routing version and the edges
 * that can be routed to, with the addresses DNS answers give for each. Immutable; the follower replaces the
 * whole view at once, so a decision never sees half of an update.
 *
 * <p>From admin's body (the contract in docs/routing.md) only nodes of role {@code edge} with coordinates are
 * kept: a shield is never a client's target, and an edge without a location can only be routed by a router
 * that knows nowhere (not this one). A node entry that breaks the contract (no name, a relative URL, weight
 * out of 1..1000) is skipped and counted in {@link #skipped()}, so one bad registration does not stop the
 * router from following every later change. An unknown state counts as {@code down}: never routed to.
 *
 * <p>Invariants: {@code version >= 0}; {@code addresses} has a (possibly empty) list for every edge's name.
 *
 * @param body the body as admin sent it (the view file stores exactly this, so a restart parses it again)
 */
public record HealthView(long version, List<EdgeCandidate> edges, Map<String, List<InetAddress>> addresses,
        int skipped, byte[] body) {
    /** A view holds at most this many node entries; a larger body is refused (the read buffer is bounded too). */
    public static final int MAX_NODES = 10_000;
    /** Addresses kept per edge; an answer with many no longer fits 512 bytes and is truncated (TC) over UDP. */
    public static final int MAX_ADDRESSES = 32;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public HealthView {
        requireNonNull(edges, "edges is null");
        requireNonNull(addresses, "addresses is null");
        requireNonNull(body, "body is null");
        if (version < 0) {
            throw new IllegalArgumentException("version : " + version + " (expected: >= 0)");
        }
        edges = List.copyOf(edges);
        addresses = Map.copyOf(addresses);
    }

    /** The DNS addresses of an edge (empty for an unknown name). */
    public List<InetAddress> addressesOf(String edgeName) {
        return addresses.getOrDefault(edgeName, List.of());
    }

    /**
     * Parses admin's routing body.
     *
     * @throws IllegalArgumentException when the body is not JSON, has no non-negative {@code version}, or its
     *     {@code nodes} is not an array (of at most {@link #MAX_NODES}); single bad nodes are skipped instead
     */
    public static HealthView parse(byte[] body) {
        requireNonNull(body, "body is null");
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("routing body is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("routing body is not a JSON object");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.canConvertToExactIntegral() || !version.canConvertToLong()
                || version.asLong() < 0) {
            throw new IllegalArgumentException("routing body : version " + version + " (expected: an integer >= 0)");
        }
        JsonNode nodes = root.path("nodes");
        if (!nodes.isArray() || nodes.size() > MAX_NODES) {
            throw new IllegalArgumentException("routing body : nodes (expected: an array of at most " + MAX_NODES
                    + " entries)");
        }
        List<EdgeCandidate> edges = new ArrayList<>();
        Map<String, List<InetAddress>> addresses = new LinkedHashMap<>();
        int skipped = 0;
        for (JsonNode node : nodes) {
            if (!"edge".equals(node.path("role").asText()) || node.path("latitude").isNull()
                    || node.path("latitude").isMissingNode()) {
                continue; // a shield, or an edge without a location (the contract's "unroutable"): not errors
            }
            Optional<EdgeCandidate> edge = edge(node);
            if (edge.isEmpty() || addresses.containsKey(edge.get().name())) {
                skipped++;
                continue;
            }
            edges.add(edge.get());
            addresses.put(edge.get().name(), addresses(node.path("addresses")));
        }
        return new HealthView(version.asLong(), edges, addresses, skipped, body.clone());
    }

    private static Optional<EdgeCandidate> edge(JsonNode node) {
        JsonNode latitude = node.path("latitude");
        JsonNode longitude = node.path("longitude");
        if (!latitude.isNumber() || !longitude.isNumber()
                || !Coordinates.valid(latitude.asDouble(), longitude.asDouble())) {
            return Optional.empty();
        }
        String name = node.path("name").asText("");
        String pop = node.path("pop").asText("");
        int weight = node.path("weight").isIntegralNumber() ? node.path("weight").asInt() : 100;
        Optional<URI> url = url(node.path("publicUrl").asText(node.path("trafficUrl").asText("")));
        if (name.isBlank() || pop.isBlank() || weight < 1 || weight > 1000 || url.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new EdgeCandidate(name, pop, new Coordinates(latitude.asDouble(), longitude.asDouble()),
                url.get(), weight, state(node.path("state").asText(""))));
    }

    private static Optional<URI> url(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean ok = (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
            return ok ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static State state(String text) {
        return switch (text) {
            case "healthy" -> State.HEALTHY;
            case "degraded" -> State.DEGRADED;
            case "draining" -> State.DRAINING;
            default -> State.DOWN; // "down", and any state this router does not know: never route to it
        };
    }

    private static List<InetAddress> addresses(JsonNode list) {
        List<InetAddress> out = new ArrayList<>();
        if (list.isArray()) {
            for (JsonNode entry : list) {
                if (out.size() < MAX_ADDRESSES) {
                    IpLiterals.parse(entry.asText("")).ifPresent(a -> {
                        if (!out.contains(a)) {
                            out.add(a);
                        }
                    });
                }
            }
        }
        return List.copyOf(out);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HealthView v && v.version == version && v.edges.equals(edges)
                && v.addresses.equals(addresses) && v.skipped == skipped;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) * 31 + edges.hashCode();
    }

    @Override
    public String toString() {
        return "HealthView[version=" + version + ", edges=" + edges + ", skipped=" + skipped + "]";
    }
}
