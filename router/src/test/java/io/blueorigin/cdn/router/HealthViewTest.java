package io.blueorigin.cdn.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.router.EdgeCandidate.State;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link HealthView#parse}: admin's routing body (the contract in docs/routing.md) to the router's view. */
class HealthViewTest {
    static final String CONTRACT_EXAMPLE = """
            {"version": 42,
             "pops": [{"name": "lhr", "latitude": 51.4700, "longitude": -0.4543}],
             "nodes": [{"name": "edge-lhr", "role": "edge", "pop": "lhr",
                        "publicUrl": "http://127.0.0.1:8081", "trafficUrl": "http://127.0.0.1:8081",
                        "addresses": ["127.0.0.1"], "latitude": 51.4700, "longitude": -0.4543, "weight": 100,
                        "state": "healthy", "stateSince": "2026-12-04T03:20:01.127Z", "futureField": {"a": 1}}]}
            """;

    @Test
    void readsTheContractExample() throws Exception {
        HealthView view = HealthView.parse(CONTRACT_EXAMPLE.getBytes(StandardCharsets.UTF_8));
        assertThat(view.version()).isEqualTo(42);
        assertThat(view.edges()).singleElement().satisfies(edge -> {
            assertThat(edge.name()).isEqualTo("edge-lhr");
            assertThat(edge.pop()).isEqualTo("lhr");
            assertThat(edge.location()).isEqualTo(new Coordinates(51.47, -0.4543));
            assertThat(edge.url()).hasToString("http://127.0.0.1:8081");
            assertThat(edge.weight()).isEqualTo(100);
            assertThat(edge.state()).isEqualTo(State.HEALTHY);
        });
        assertThat(view.addressesOf("edge-lhr")).containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThat(view.skipped()).isZero();
    }

    /** One node entry → what the view keeps: {@code -} (left out silently), {@code skipped}, or name/state/weight. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            shield                       | `"role":"shield","latitude":1,"longitude":2`                          | -
            edge without location        | `"latitude":null,"longitude":null`                                    | -
            edge without location fields | `"weight":5`                                                           | -
            healthy                      | `"latitude":1,"longitude":2,"state":"healthy"`                        | e healthy 100
            degraded                     | `"latitude":1,"longitude":2,"state":"degraded"`                       | e degraded 100
            draining                     | `"latitude":1,"longitude":2,"state":"draining"`                       | e draining 100
            unknown state is down        | `"latitude":1,"longitude":2,"state":"resting"`                        | e down 100
            weight                       | `"latitude":1,"longitude":2,"state":"healthy","weight":7`             | e healthy 7
            weight 0                     | `"latitude":1,"longitude":2,"weight":0`                               | skipped
            weight 1001                  | `"latitude":1,"longitude":2,"weight":1001`                            | skipped
            latitude 91                  | `"latitude":91,"longitude":2`                                         | skipped
            latitude as text             | `"latitude":"1","longitude":2`                                        | skipped
            relative url                 | `"latitude":1,"longitude":2,"publicUrl":"/x"`                         | skipped
            ftp url                      | `"latitude":1,"longitude":2,"publicUrl":"ftp://h/"`                   | skipped
            url with query               | `"latitude":1,"longitude":2,"publicUrl":"http://h/?a"`                | skipped
            trafficUrl when no publicUrl | `"latitude":1,"longitude":2,"publicUrl":null,"state":"healthy"`       | e healthy 100
            """)
    void keepsRoutableEdges(String description, String fields, String expected) {
        String node = "{\"name\":\"e\",\"role\":\"edge\",\"pop\":\"p\",\"publicUrl\":\"http://e.test\","
                + "\"trafficUrl\":\"http://e.test\"," + fields + "}";
        node = node.replace("\"publicUrl\":\"http://e.test\",", fields.contains("publicUrl") ? "" : "\"publicUrl\":\"http://e.test\",");
        HealthView view = HealthView.parse(("{\"version\":1,\"nodes\":[" + node + "]}").getBytes(StandardCharsets.UTF_8));
        String kept = view.edges().isEmpty() ? (view.skipped() > 0 ? "skipped" : "-")
                : view.edges().get(0).name() + " " + view.edges().get(0).state().name().toLowerCase() + " "
                + view.edges().get(0).weight();
        assertThat(kept).isEqualTo(expected);
    }

    @Test
    void addressesAreStrictLiteralsWithoutDuplicates() throws Exception {
        HealthView view = HealthView.parse(("{\"version\":3,\"nodes\":[{\"name\":\"e\",\"role\":\"edge\",\"pop\":\"p\","
                + "\"publicUrl\":\"http://e.test\",\"latitude\":1,\"longitude\":2,\"state\":\"healthy\","
                + "\"addresses\":[\"192.0.2.1\",\"host.test\",\"2001:db8::1\",\"192.0.2.1\",\"01.2.3.4\",7]}]}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(view.addressesOf("e")).containsExactly(InetAddress.getByName("192.0.2.1"),
                InetAddress.getByName("2001:db8::1"));
        assertThat(view.addressesOf("other")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            not JSON             | `{"version":`           | not JSON
            an array             | `[]`                    | not a JSON object
            no version           | `{"nodes":[]}`          | version
            negative version     | `{"version":-1,"nodes":[]}` | version
            fractional version   | `{"version":1.5,"nodes":[]}` | version
            nodes not an array   | `{"version":1,"nodes":{}}`   | nodes
            """)
    void refusesBodiesThatBreakTheContract(String description, String body, String message) {
        assertThatThrownBy(() -> HealthView.parse(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
