package io.blueorigin.cdn.shield;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.blueorigin.cdn.proxy.RolePolicy;
import io.blueorigin.cdn.proxy.UpstreamConfig;
import io.blueorigin.cdn.runtime.Role;
import java.lang.reflect.Method;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shield's decisions as a table: what the shared proxy does differently at a shield. This is where they are
 * pinned; the proxy tests that need an edge (ClientExchangeTest, CacheInspectorTagTest) live in edge-webapp's tests,
 * in the proxy package, so they run with the real policy.
 */
class ShieldPolicyTest {
    private static final RolePolicy POLICY = ShieldPolicy.INSTANCE;

    @Test
    void isForShields() {
        assertThat(POLICY.role()).isEqualTo(Role.SHIELD);
    }

    /** decision | its input, where it takes one (upstream.to-origins, or control enabled) | answer. */
    @ParameterizedTest(name = "{0}({1}) -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        routesByHost                       | -     | false
        hasShieldRing                      | false | false
        hasShieldRing                      | true  | false
        waitsForEdges                      | false | false
        waitsForEdges                      | true  | true
        namesSiteUpstream                  | -     | false
        fetchesSiteOrigins                 | -     | true
        checksSignatures                   | -     | false
        sendsOrdering                      | false | false
        sendsOrdering                      | true  | false
        sendsIfRangeOnSlices               | -     | false
        countsGatewayErrorsAgainstUpstream | -     | true
        facesClients                       | -     | false
        tag                                | -     | S
        upstreamTag                        | -     | O
        """)
    void decides(String decision, Boolean input, String answer) {
        assertThat(answer(decision, input)).isEqualTo(answer);
    }

    @Test
    void theTableCanAskEveryDecision() {
        for (Method m : RolePolicy.class.getMethods()) {
            if (!m.getName().equals("role")) {
                assertThatCode(() -> answer(m.getName(), true)).as(m.getName()).doesNotThrowAnyException();
            }
        }
    }

    private static String answer(String decision, Boolean input) {
        return String.valueOf(switch (decision) {
            case "routesByHost" -> POLICY.routesByHost();
            case "hasShieldRing" ->
                    POLICY.hasShieldRing(UpstreamConfig.of(URI.create("http://127.0.0.1:9")).withToOrigins(input));
            case "waitsForEdges" -> POLICY.waitsForEdges(input);
            case "namesSiteUpstream" -> POLICY.namesSiteUpstream();
            case "fetchesSiteOrigins" -> POLICY.fetchesSiteOrigins();
            case "checksSignatures" -> POLICY.checksSignatures();
            case "sendsOrdering" -> POLICY.sendsOrdering(input);
            case "sendsIfRangeOnSlices" -> POLICY.sendsIfRangeOnSlices();
            case "countsGatewayErrorsAgainstUpstream" -> POLICY.countsGatewayErrorsAgainstUpstream();
            case "facesClients" -> POLICY.facesClients();
            case "tag" -> POLICY.tag();
            case "upstreamTag" -> POLICY.upstreamTag();
            default -> throw new IllegalArgumentException("no such decision in the table: " + decision);
        });
    }
}
