package io.blueorigin.cdn.router;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * One edge node as the router sees it: its name, POP, where it is, the public URL clients are sent to,
 * its share of traffic among equally near edges ({@code weight}) and its health as admin last reported it.
 *
 * <p>Invariants: name and POP are not blank, the URL is absolute, {@code weight >= 1} (an edge that should
 * take no traffic is {@link State#DRAINING}, not weight 0).
 */
public record EdgeCandidate(String name, String pop, Coordinates location, URI url, int weight, State state) {
    /** Health states, as admin's health checks and operators set them (issue 13). */
    public enum State {
        /** Ready and passing every check: routable. */
        HEALTHY,
        /** Ready but failing a check (e.g. invalidation lag): routable only when no edge is healthy. */
        DEGRADED,
        /** Failing its readiness checks: never routed to. */
        DOWN,
        /** Taken out by an operator, finishing in-flight work: never routed to. */
        DRAINING
    }

    public EdgeCandidate {
        requireNonNull(name, "name is null");
        requireNonNull(pop, "pop is null");
        requireNonNull(location, "location is null");
        requireNonNull(url, "url is null");
        requireNonNull(state, "state is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("edge name : '" + name + "' (expected: not blank)");
        }
        if (pop.isBlank()) {
            throw new IllegalArgumentException("edge " + name + " pop : '" + pop + "' (expected: not blank)");
        }
        if (!url.isAbsolute()) {
            throw new IllegalArgumentException("edge " + name + " url : " + url + " (expected: an absolute URL)");
        }
        if (weight < 1) {
            throw new IllegalArgumentException("edge " + name + " weight : " + weight + " (expected: >= 1)");
        }
    }

    /** A copy in another state (health updates replace the candidate; records are immutable). */
    public EdgeCandidate withState(State newState) {
        return new EdgeCandidate(name, pop, location, url, weight, newState);
    }
}
