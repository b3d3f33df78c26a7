package io.blueorigin.cdn.router;

import io.blueorigin.cdn.router.EdgeCandidate.State;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The test fleet: ten edges in nine POPs at their airports' coordinates, and a small language to change it
 * per table row: {@code lhr-1=DOWN} sets a state, {@code all=DRAINING} sets every state (later tokens
 * still apply), {@code ams-1*3} sets a weight, {@code none} empties the fleet.
 */
final class Fleet {
    static final List<EdgeCandidate> ALL = List.of(
            edge("lhr-1", "lhr", 51.4700, -0.4543),
            edge("lhr-2", "lhr", 51.4700, -0.4543),
            edge("ams-1", "ams", 52.3105, 4.7683),
            edge("cdg-1", "cdg", 49.0097, 2.5479),
            edge("fra-1", "fra", 50.0379, 8.5622),
            edge("arn-1", "arn", 59.6498, 17.9238),
            edge("nyc-1", "nyc", 40.6413, -73.7781),
            edge("sea-1", "sea", 47.4502, -122.3088),
            edge("lax-1", "lax", 33.9416, -118.4085),
            edge("nrt-1", "nrt", 35.7720, 140.3929));

    private Fleet() {
    }

    static EdgeCandidate edge(String name, String pop, double latitude, double longitude) {
        return new EdgeCandidate(name, pop, new Coordinates(latitude, longitude),
                URI.create("http://" + name + ".cdn.test"), 1, State.HEALTHY);
    }

    static List<EdgeCandidate> with(String changes) {
        List<EdgeCandidate> fleet = new ArrayList<>(ALL);
        for (String token : changes.trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            if (token.equals("none")) {
                fleet.clear();
            } else if (token.contains("=")) {
                String name = token.substring(0, token.indexOf('='));
                State state = State.valueOf(token.substring(token.indexOf('=') + 1).toUpperCase(Locale.ROOT));
                fleet.replaceAll(e -> name.equals("all") || e.name().equals(name) ? e.withState(state) : e);
            } else if (token.contains("*")) {
                String name = token.substring(0, token.indexOf('*'));
                int weight = Integer.parseInt(token.substring(token.indexOf('*') + 1));
                fleet.replaceAll(e -> e.name().equals(name)
                        ? new EdgeCandidate(e.name(), e.pop(), e.location(), e.url(), weight, e.state()) : e);
            } else {
                throw new IllegalArgumentException("fleet change : " + token);
            }
        }
        return fleet;
    }
}
