package io.blueorigin.cdn.proxy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a node registers: the advertised host in its URLs, and the values refused with the setting named. */
class PlacementTest {

    @ParameterizedTest(name = "{0} advertised as {1}")
    @CsvSource(delimiter = '|', textBlock = """
        http://127.0.0.1:8082          | shield-iad-1.example.net | http://shield-iad-1.example.net:8082
        http://127.0.0.1:18082         | 10.0.0.5                 | http://10.0.0.5:18082
        http://0.0.0.0:8080            | [2001:db8::5]            | http://[2001:db8::5]:8080
        http://127.0.0.1:8082          | ''                       | http://127.0.0.1:8082
        """)
    void theAdvertisedHostReplacesTheBindAddressAndKeepsThePort(String bound, String host, String registered) {
        Placement placement = host.isEmpty() ? Placement.none() : Placement.none().withAdvertisedHost(host);
        assertThat(placement.advertise(URI.create(bound))).isEqualTo(URI.create(registered));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
        node.advertised-host | http://shield
        node.advertised-host | shield:8082
        node.advertised-host | -shield
        node.advertised-host | 2001:db8::5
        node.latitude        | 91
        node.weight          | 0
        node.addresses       | cdn.example.com
        """)
    void badValuesNameTheirSetting(String setting, String value) {
        assertThatThrownBy(() -> place(setting, value)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(setting + " : ");
    }

    private static Placement place(String setting, String value) {
        return switch (setting) {
            case "node.advertised-host" -> Placement.none().withAdvertisedHost(value);
            case "node.latitude" -> new Placement(Double.valueOf(value), 0.0, 100, Optional.empty(), List.of(), Optional.empty());
            case "node.weight" -> new Placement(null, null, Integer.parseInt(value), Optional.empty(), List.of(), Optional.empty());
            default -> new Placement(null, null, 100, Optional.empty(), List.of(value), Optional.empty());
        };
    }
}
