package io.blueorigin.cdn.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.router.EdgeCandidate.State;
import io.blueorigin.cdn.router.RouteDecision.Reason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link RoutingPolicy} rules (numbered as in its class comment) as a table: client address → the real
 * GeoIP2 City test database → the policy over the {@link Fleet} with the row's changes → edge and reason.
 * The default POP is nyc. Where two edges are equally near, the row accepts either (which one is the
 * rendezvous hash's, checked by {@link RoutingPolicyProperties}).
 */
class RoutingPolicyTest {
    private static final RoutingPolicy POLICY = RoutingPolicy.withDefaultPop("nyc");
    private static GeoLocator geo;

    @BeforeAll
    static void openDatabase() throws Exception {
        geo = GeoLocator.open(Path.of(RoutingPolicyTest.class.getResource("/geoip/GeoIP2-City-Test.mmdb").toURI()));
    }

    @AfterAll
    static void closeDatabase() {
        geo.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # rule and case                                         | client address        | fleet changes                                   | edge (any of)  | reason
        4 London: its own POP, 25 km                            | 81.2.69.160           | ``                                              | lhr-1 lhr-2    | NEAREST
        4 London over IPv4-mapped IPv6                          | ::ffff:81.2.69.160    | ``                                              | lhr-1 lhr-2    | NEAREST
        1 one lhr edge down: the other                          | 81.2.69.160           | lhr-1=DOWN                                      | lhr-2          | NEAREST
        1 lhr down and drained: cdg 336 km, ams 345 km tie      | 81.2.69.160           | lhr-1=DOWN lhr-2=DRAINING                       | cdg-1 ams-1    | NEAREST
        1 lhr gone, cdg down: ams                               | 81.2.69.160           | lhr-1=DRAINING lhr-2=DRAINING cdg-1=DOWN        | ams-1          | NEAREST
        1 a healthy far edge beats a degraded near one          | 81.2.69.160           | lhr-1=DEGRADED lhr-2=DEGRADED                   | cdg-1 ams-1    | NEAREST
        1 degraded only: nearest degraded                       | 81.2.69.160           | all=DOWN fra-1=DEGRADED ams-1=DEGRADED          | ams-1          | DEGRADED_ONLY
        1 degraded only, drained ones still out                 | 81.2.69.160           | all=DRAINING nyc-1=DEGRADED                     | nyc-1          | DEGRADED_ONLY
        2 everything down or drained                            | 81.2.69.160           | all=DOWN lhr-1=DRAINING                         | -              | NONE_AVAILABLE
        2 empty list                                            | 81.2.69.160           | none                                            | -              | NONE_AVAILABLE
        4 weight does not beat distance                         | 81.2.69.160           | ams-1*100 cdg-1*100                             | lhr-1 lhr-2    | NEAREST
        4 Boxford GB: lhr at 63 km                              | 2.125.160.216         | ``                                              | lhr-1 lhr-2    | NEAREST
        4 Milton WA: sea                                        | 216.160.83.56         | ``                                              | sea-1          | NEAREST
        4 San Diego: lax                                        | 214.78.120.1          | ``                                              | lax-1          | NEAREST
        4 US centroid: lax 1899 km; nyc 2090 km is past 10 %    | 149.101.100.1         | ``                                              | lax-1          | NEAREST
        4 US centroid, lax down: nyc                            | 149.101.100.1         | lax-1=DOWN                                      | nyc-1          | NEAREST
        4 Linköping SE: arn                                     | 89.160.20.113         | ``                                              | arn-1          | NEAREST
        4 Germany over IPv6: fra                                | 2a02:d180::1          | ``                                              | fra-1          | NEAREST
        4 Japan over IPv6: nrt                                  | 2001:218::1           | ``                                              | nrt-1          | NEAREST
        3 private address: default POP                          | 10.0.0.1              | ``                                              | nyc-1          | NO_LOCATION_DEFAULT_POP
        3 unique-local IPv6: default POP                        | fc00::1               | ``                                              | nyc-1          | NO_LOCATION_DEFAULT_POP
        3 malformed address: default POP                        | 999.1.1.1             | ``                                              | nyc-1          | NO_LOCATION_DEFAULT_POP
        3 known network without location: default POP          | 214.1.1.1             | ``                                              | nyc-1          | NO_LOCATION_DEFAULT_POP
        3 not in the database: default POP                      | 1.1.1.1               | ``                                              | nyc-1          | NO_LOCATION_DEFAULT_POP
        3 default POP degraded only: still it                   | 10.0.0.1              | all=DEGRADED                                    | nyc-1          | NO_LOCATION_DEFAULT_POP
        3 default POP down: any edge                            | 10.0.0.1              | nyc-1=DOWN                                      | *              | NO_LOCATION_ANY_POP
        3 default POP drained, one edge left                    | 10.0.0.1              | all=DRAINING sea-1=HEALTHY                      | sea-1          | NO_LOCATION_ANY_POP
        2 unlocated and nothing available                       | 10.0.0.1              | all=DOWN                                        | -              | NONE_AVAILABLE
        """)
    void routes(String rule, String address, String changes, String expected, Reason reason) {
        List<EdgeCandidate> fleet = Fleet.with(changes);
        RouteDecision decision = POLICY.choose(geo.locate(address).orElse(null), address, fleet);

        assertThat(decision.reason()).as(rule).isEqualTo(reason);
        if (expected.equals("-")) {
            assertThat(decision.choice()).as(rule).isNull();
        } else if (expected.equals("*")) {
            assertThat(decision.choice()).as(rule).isIn(fleet);
            assertThat(decision.choice().state()).as(rule).isEqualTo(State.HEALTHY);
        } else {
            assertThat(decision.choice()).as(rule).isNotNull();
            assertThat(List.of(expected.split(" "))).as(rule).contains(decision.choice().name());
        }
    }

    @Test
    void decisionCarriesDistanceAndAlternatesBandFirstThenByDistance() {
        Coordinates london = new Coordinates(51.5142, -0.0931);

        RouteDecision decision = POLICY.choose(london, "81.2.69.160", Fleet.ALL);

        assertThat(decision.distanceKm()).isEqualTo(london.distanceKm(Fleet.ALL.get(0).location()));
        assertThat(decision.distanceKm()).isBetween(24.0, 26.0);
        String other = decision.choice().name().equals("lhr-1") ? "lhr-2" : "lhr-1";
        assertThat(decision.alternates()).extracting(EdgeCandidate::name).containsExactly(other, "cdg-1", "ams-1");
    }

    @Test
    void unlocatedClientsHaveNoDistance() {
        RouteDecision decision = POLICY.choose(null, "10.0.0.1", Fleet.ALL);

        assertThat(decision.distanceKm()).isNaN();
        assertThat(decision.alternates()).hasSize(RouteDecision.MAX_ALTERNATES).doesNotContain(decision.choice());
    }

    @Test
    void withoutDefaultPopUnlocatedClientsGoAnywhere() {
        RouteDecision decision = RoutingPolicy.withDefaultPop(null).choose(null, "10.0.0.1", Fleet.ALL);

        assertThat(decision.reason()).isEqualTo(Reason.NO_LOCATION_ANY_POP);
        assertThat(decision.choice()).isIn(Fleet.ALL);
    }

    @Test
    void aClientKeepsItsChoiceWhateverTheListOrder() {
        Coordinates london = new Coordinates(51.5142, -0.0931);
        List<EdgeCandidate> lhrGone = Fleet.with("lhr-1=DOWN lhr-2=DOWN");
        Random random = new Random(13);
        for (int client = 0; client < 200; client++) {
            String key = "81.2.69." + client;
            RouteDecision first = POLICY.choose(london, key, lhrGone);
            List<EdgeCandidate> shuffled = new ArrayList<>(lhrGone);
            Collections.shuffle(shuffled, random);

            assertThat(POLICY.choose(london, key, shuffled)).as(key).isEqualTo(first);
        }
    }

    @Test
    void aFailedPopsClientsSpreadOverItsEqualNeighbours() {
        Coordinates london = new Coordinates(51.5142, -0.0931);
        List<EdgeCandidate> lhrGone = Fleet.with("lhr-1=DOWN lhr-2=DRAINING");
        int toCdg = 0;
        int clients = 10_000;
        for (int client = 0; client < clients; client++) {
            String chosen = POLICY.choose(london, "client-" + client, lhrGone).choice().name();
            assertThat(chosen).isIn("cdg-1", "ams-1");
            toCdg += chosen.equals("cdg-1") ? 1 : 0;
        }
        // equal weights: about half each; no single neighbour takes all
        assertThat(toCdg).isBetween(clients * 35 / 100, clients * 65 / 100);
    }

    @Test
    void listedTwiceIsNotItsOwnAlternate() {
        EdgeCandidate lhr = Fleet.ALL.get(0);

        RouteDecision decision = POLICY.choose(null, "k", List.of(lhr, lhr));

        assertThat(decision.choice()).isEqualTo(lhr);
        assertThat(decision.alternates()).isEmpty();
    }

    @Test
    void rejectsBadSettingsWithTheKey() {
        assertThatThrownBy(() -> new RoutingPolicy(" ", 50, 0.1)).hasMessageContaining("routing.default-pop");
        assertThatThrownBy(() -> new RoutingPolicy("nyc", -1, 0.1))
                .hasMessage("routing.tolerance-km : -1.0 (expected: >= 0)");
        assertThatThrownBy(() -> new RoutingPolicy("nyc", Double.NaN, 0.1)).hasMessageContaining("routing.tolerance-km");
        assertThatThrownBy(() -> new RoutingPolicy("nyc", 50, 1.5))
                .hasMessage("routing.tolerance-fraction : 1.5 (expected: in [0, 1])");
    }
}
