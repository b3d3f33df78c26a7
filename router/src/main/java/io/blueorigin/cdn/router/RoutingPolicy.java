package io.blueorigin.cdn.router;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.router.EdgeCandidate.State;
import io.blueorigin.cdn.router.RouteDecision.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which edge serves a client, as a pure function of the client's coordinates, its key and the edges'
 * health view. The router executes (302, JSON, DNS); this class decides. It reads no clock and does no
 * I/O; every decision carries a reason. Thread-safe (immutable).
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>Candidates are the {@link State#HEALTHY HEALTHY} edges; only when none is healthy, the
 *       {@link State#DEGRADED DEGRADED} ones (reason {@code DEGRADED_ONLY} for a located client).
 *       {@link State#DOWN DOWN} and {@link State#DRAINING DRAINING} edges are never chosen nor listed.</li>
 *   <li>No candidate: no choice, reason {@code NONE_AVAILABLE} (the caller answers 503).</li>
 *   <li>A client without coordinates (unknown, private or malformed address) is served by the default
 *       POP's candidates (reason {@code NO_LOCATION_DEFAULT_POP}); when no default POP is configured or it
 *       has no candidate, by all candidates ({@code NO_LOCATION_ANY_POP}). Distance is then NaN.</li>
 *   <li>A located client is served from the nearest band: the candidates whose great-circle distance is at
 *       most {@code nearest + max(toleranceKm, toleranceFraction * nearest)}. Edges that much closer are
 *       not meaningfully closer on the network; treating them as equal lets weights act.</li>
 *   <li>Within the band (or the rule 3 pool), the edge with the highest weighted rendezvous score for the
 *       client key wins ({@link Rendezvous}): the choice is sticky per client, proportional to weight,
 *       and a failed POP's clients spread over its neighbours by weight instead of all landing on one.</li>
 *   <li>Alternates are the next {@value RouteDecision#MAX_ALTERNATES} candidates: the rest of the band by
 *       score, then the others by distance (for an unlocated client: the rest of the pool, then the others,
 *       by score).</li>
 * </ol>
 */
public final class RoutingPolicy {
    /** Edges within this many kilometres of the nearest are equally near (default of the absolute tolerance). */
    public static final double DEFAULT_TOLERANCE_KM = 50.0;
    /** Edges within this fraction of the nearest distance are equally near (default of the relative tolerance). */
    public static final double DEFAULT_TOLERANCE_FRACTION = 0.10;

    private final @Nullable String defaultPop;
    private final double toleranceKm;
    private final double toleranceFraction;

    /**
     * @param defaultPop the POP serving clients that cannot be located, or null for "any candidate"
     * @param toleranceKm absolute width of the nearest band, {@code >= 0}
     * @param toleranceFraction relative width of the nearest band, in {@code [0, 1]}
     */
    public RoutingPolicy(@Nullable String defaultPop, double toleranceKm, double toleranceFraction) {
        if (defaultPop != null && defaultPop.isBlank()) {
            throw new IllegalArgumentException("routing.default-pop : '" + defaultPop + "' (expected: a POP name)");
        }
        if (!(toleranceKm >= 0) || Double.isInfinite(toleranceKm)) {
            throw new IllegalArgumentException("routing.tolerance-km : " + toleranceKm + " (expected: >= 0)");
        }
        if (!(toleranceFraction >= 0 && toleranceFraction <= 1)) {
            throw new IllegalArgumentException(
                    "routing.tolerance-fraction : " + toleranceFraction + " (expected: in [0, 1])");
        }
        this.defaultPop = defaultPop;
        this.toleranceKm = toleranceKm;
        this.toleranceFraction = toleranceFraction;
    }

    /** A policy with the default tolerances. */
    public static RoutingPolicy withDefaultPop(@Nullable String defaultPop) {
        return new RoutingPolicy(defaultPop, DEFAULT_TOLERANCE_KM, DEFAULT_TOLERANCE_FRACTION);
    }

    public Optional<String> defaultPop() {
        return Optional.ofNullable(defaultPop);
    }

    /**
     * Chooses the edge for a client (rules in the class comment).
     *
     * @param client where the client is, or null when it could not be located
     * @param clientKey what keeps a client on its edge, normally its address; any string, even empty
     * @param edges the current health view; any order, any states
     */
    public RouteDecision choose(@Nullable Coordinates client, String clientKey, List<EdgeCandidate> edges) {
        requireNonNull(clientKey, "clientKey is null");
        requireNonNull(edges, "edges is null");
        List<EdgeCandidate> candidates = inState(edges, State.HEALTHY);
        boolean degradedOnly = candidates.isEmpty();
        if (degradedOnly) {
            candidates = inState(edges, State.DEGRADED);
        }
        if (candidates.isEmpty()) {
            return RouteDecision.noneAvailable();
        }
        return client == null
                ? unlocated(clientKey, candidates)
                : nearest(client, clientKey, candidates, degradedOnly ? Reason.DEGRADED_ONLY : Reason.NEAREST);
    }

    private RouteDecision nearest(Coordinates client, String clientKey, List<EdgeCandidate> candidates,
            Reason reason) {
        List<Ranked> ranked = new ArrayList<>(candidates.size());
        double nearest = Double.POSITIVE_INFINITY;
        for (EdgeCandidate edge : candidates) {
            double distance = client.distanceKm(edge.location());
            nearest = Math.min(nearest, distance);
            ranked.add(new Ranked(edge, distance, Rendezvous.score(clientKey, edge), false));
        }
        double bandLimit = nearest + Math.max(toleranceKm, toleranceFraction * nearest);
        ranked.replaceAll(r -> r.withInBand(r.distanceKm <= bandLimit));
        // in band first, by score; then the rest by distance (score, then name, only break exact ties)
        ranked.sort(Comparator.comparing((Ranked r) -> !r.inBand)
                .thenComparingDouble(r -> r.inBand ? -r.score : r.distanceKm)
                .thenComparingDouble(r -> -r.score)
                .thenComparing(r -> r.edge.name()));
        return decision(ranked, ranked.get(0).distanceKm, reason);
    }

    private RouteDecision unlocated(String clientKey, List<EdgeCandidate> candidates) {
        List<Ranked> ranked = new ArrayList<>(candidates.size());
        boolean anyInPool = false;
        for (EdgeCandidate edge : candidates) {
            boolean inPool = edge.pop().equals(defaultPop);
            anyInPool |= inPool;
            ranked.add(new Ranked(edge, Double.NaN, Rendezvous.score(clientKey, edge), inPool));
        }
        if (!anyInPool) {
            ranked.replaceAll(r -> r.withInBand(true));
        }
        ranked.sort(Comparator.comparing((Ranked r) -> !r.inBand)
                .thenComparingDouble(r -> -r.score)
                .thenComparing(r -> r.edge.name()));
        return decision(ranked, Double.NaN, anyInPool ? Reason.NO_LOCATION_DEFAULT_POP : Reason.NO_LOCATION_ANY_POP);
    }

    private static RouteDecision decision(List<Ranked> ranked, double distanceKm, Reason reason) {
        List<EdgeCandidate> alternates = new ArrayList<>(RouteDecision.MAX_ALTERNATES);
        EdgeCandidate choice = ranked.get(0).edge;
        for (int i = 1; i < ranked.size() && alternates.size() < RouteDecision.MAX_ALTERNATES; i++) {
            EdgeCandidate next = ranked.get(i).edge;
            if (!next.equals(choice) && !alternates.contains(next)) { // a registry listing an edge twice
                alternates.add(next);
            }
        }
        return new RouteDecision(choice, distanceKm, alternates, reason);
    }

    private static List<EdgeCandidate> inState(List<EdgeCandidate> edges, State state) {
        List<EdgeCandidate> out = new ArrayList<>();
        for (EdgeCandidate edge : edges) {
            if (edge.state() == state) {
                out.add(edge);
            }
        }
        return out;
    }

    /** One candidate with what ranks it; {@code inBand} is the nearest band, or the default POP's pool. */
    private record Ranked(EdgeCandidate edge, double distanceKm, double score, boolean inBand) {
        Ranked withInBand(boolean value) {
            return new Ranked(edge, distanceKm, score, value);
        }
    }
}
