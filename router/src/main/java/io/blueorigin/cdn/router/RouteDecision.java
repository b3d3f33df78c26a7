package io.blueorigin.cdn.router;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link RoutingPolicy#choose} decided: the edge to send the client to, how far it is from the client,
 * the next best edges (for a JSON answer or a client-side retry) and why.
 *
 * <p>Invariants: {@code choice} is null exactly when the reason is {@link Reason#NONE_AVAILABLE} (the caller
 * answers 503); {@code distanceKm} is the client-to-choice great-circle distance when the client was
 * located and NaN otherwise; {@code alternates} holds at most {@link #MAX_ALTERNATES} edges, best first,
 * never the choice itself.
 */
public record RouteDecision(@Nullable EdgeCandidate choice, double distanceKm, List<EdgeCandidate> alternates,
        Reason reason) {
    /** How many next-best edges a decision lists. */
    public static final int MAX_ALTERNATES = 3;

    /** Why this edge (or none). The choice's own {@link EdgeCandidate#state()} says if it is degraded. */
    public enum Reason {
        /** The client was located; the choice is a healthy edge in the nearest band. */
        NEAREST,
        /** The client was located but no edge is healthy; the choice is a degraded edge in the nearest band. */
        DEGRADED_ONLY,
        /** The client could not be located; the choice is an edge of the configured default POP. */
        NO_LOCATION_DEFAULT_POP,
        /** The client could not be located and the default POP is unset or has no routable edge. */
        NO_LOCATION_ANY_POP,
        /** No edge is healthy or degraded: there is nothing to route to. */
        NONE_AVAILABLE
    }

    public RouteDecision {
        requireNonNull(alternates, "alternates is null");
        requireNonNull(reason, "reason is null");
        alternates = List.copyOf(alternates);
        if ((choice == null) != (reason == Reason.NONE_AVAILABLE)) {
            throw new IllegalArgumentException("choice " + choice + " with reason " + reason
                    + " (expected: no choice exactly when NONE_AVAILABLE)");
        }
        if (alternates.size() > MAX_ALTERNATES || (choice != null && alternates.contains(choice))) {
            throw new IllegalArgumentException("alternates : " + alternates
                    + " (expected: at most " + MAX_ALTERNATES + ", without the choice)");
        }
    }

    /** The decision when nothing can be routed to. */
    public static RouteDecision noneAvailable() {
        return new RouteDecision(null, Double.NaN, List.of(), Reason.NONE_AVAILABLE);
    }

    /** The choice, empty when none is available. */
    public Optional<EdgeCandidate> chosen() {
        return Optional.ofNullable(choice);
    }
}
