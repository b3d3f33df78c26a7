package io.blueorigin.cdn.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.router.EdgeCandidate.State;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.jspecify.annotations.Nullable;

/**
 * {@link RoutingPolicy} invariants over random fleets (0–12 edges anywhere, any state and weight) and
 * clients (located anywhere, or not): what may be chosen, that the choice is in the nearest band, and
 * that equal neighbours share clients by weight (counted over 10,000 client keys).
 */
class RoutingPolicyProperties {
    private static final RoutingPolicy POLICY = new RoutingPolicy("p1", 50, 0.10);

    @Property
    void downAndDrainingEdgesAreNeverChosenNorListed(@ForAll("fleets") List<EdgeCandidate> edges,
            @ForAll("clients") @Nullable Coordinates client, @ForAll String key) {
        RouteDecision decision = POLICY.choose(client, key, edges);

        List<EdgeCandidate> offered = new ArrayList<>(decision.alternates());
        decision.chosen().ifPresent(offered::add);
        assertThat(offered).allSatisfy(e -> assertThat(e.state()).isIn(State.HEALTHY, State.DEGRADED));
        boolean anyHealthy = edges.stream().anyMatch(e -> e.state() == State.HEALTHY);
        if (anyHealthy) {
            assertThat(offered).allSatisfy(e -> assertThat(e.state()).isEqualTo(State.HEALTHY));
        }
        boolean anyRoutable = anyHealthy || edges.stream().anyMatch(e -> e.state() == State.DEGRADED);
        assertThat(decision.choice() != null).isEqualTo(anyRoutable);
    }

    @Property
    void theChoiceIsInTheNearestBand(@ForAll("fleets") List<EdgeCandidate> edges,
            @ForAll("locations") Coordinates client, @ForAll String key) {
        RouteDecision decision = POLICY.choose(client, key, edges);

        decision.chosen().ifPresent(choice -> {
            double nearest = edges.stream().filter(e -> e.state() == choice.state())
                    .mapToDouble(e -> client.distanceKm(e.location())).min().orElseThrow();
            assertThat(decision.distanceKm()).isEqualTo(client.distanceKm(choice.location()));
            assertThat(decision.distanceKm()).isLessThanOrEqualTo(nearest + Math.max(50, 0.10 * nearest));
        });
    }

    @Property(tries = 20)
    void equalNeighboursShareClientsByWeight(@ForAll @IntRange(min = 1, max = 5) int w1,
            @ForAll @IntRange(min = 1, max = 5) int w2, @ForAll("locations") Coordinates pop) {
        double share = shareOfFirst(w1, w2, pop);

        double expected = (double) w1 / (w1 + w2);
        assertThat(share).isBetween(expected - 0.10, expected + 0.10);
    }

    @Example
    void weightOneToThreeGetsAboutAQuarter() {
        assertThat(shareOfFirst(1, 3, new Coordinates(51.47, -0.45))).isBetween(0.15, 0.35);
    }

    @Property(tries = 50)
    void onlyTheClientsOfARemovedEdgeMove(@ForAll("locations") Coordinates pop, @ForAll String salt) {
        List<EdgeCandidate> three = List.of(edge("a", pop, 1), edge("b", pop, 2), edge("c", pop, 1));
        List<EdgeCandidate> two = three.subList(0, 2);
        for (int client = 0; client < 300; client++) {
            String key = salt + client;
            EdgeCandidate before = POLICY.choose(pop, key, three).choice();
            if (!before.name().equals("c")) {
                assertThat(POLICY.choose(pop, key, two).choice()).as(key).isEqualTo(before);
            }
        }
    }

    private static double shareOfFirst(int w1, int w2, Coordinates pop) {
        List<EdgeCandidate> pair = List.of(edge("first", pop, w1), edge("second", pop, w2));
        int first = 0;
        int clients = 10_000;
        for (int client = 0; client < clients; client++) {
            String key = "198.51." + (client >> 8) + "." + (client & 0xff);
            first += POLICY.choose(pop, key, pair).choice().name().equals("first") ? 1 : 0;
        }
        return (double) first / clients;
    }

    private static EdgeCandidate edge(String name, Coordinates location, int weight) {
        return new EdgeCandidate(name, "p-" + name, location, URI.create("http://" + name + ".test"), weight,
                State.HEALTHY);
    }

    @Provide
    Arbitrary<Coordinates> locations() {
        return Combinators.combine(Arbitraries.doubles().between(-90, 90), Arbitraries.doubles().between(-180, 180))
                .as(Coordinates::new);
    }

    @Provide
    Arbitrary<@Nullable Coordinates> clients() {
        return locations().injectNull(0.2);
    }

    @Provide
    Arbitrary<List<EdgeCandidate>> fleets() {
        Arbitrary<EdgeCandidate> edge = Combinators.combine(
                Arbitraries.integers().between(1, 4), locations(), Arbitraries.integers().between(1, 5),
                Arbitraries.of(State.class), Arbitraries.integers().between(0, 1_000_000))
                .as((pop, location, weight, state, id) -> new EdgeCandidate("e" + id, "p" + pop, location,
                        URI.create("http://e" + id + ".test"), weight, state));
        // edges of one POP share its place in real fleets; random places per edge are a harder case
        return edge.list().ofMaxSize(12);
    }
}
