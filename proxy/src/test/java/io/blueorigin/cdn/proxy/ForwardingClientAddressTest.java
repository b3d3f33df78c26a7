package io.blueorigin.cdn.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Forwarding#clientAddress}: the peer, unless it is a trusted proxy; then the right-most untrusted
 * {@code X-Forwarded-For} entry. Trusted here: 10.0.0.0/8 (load balancers) and fd00::/8.
 */
class ForwardingClientAddressTest {
    private final Forwarding forwarding = new Forwarding(ForwardingConfig.defaults().withTrustedProxies(List.of("10.0.0.0/8", "fd00::/8")));
    private final Forwarding trustsNobody = new Forwarding(ForwardingConfig.defaults());

    @ParameterizedTest(name = "peer {0}, X-Forwarded-For [{1}] -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            # an untrusted peer is the client, whatever it claims
            203.0.113.9 | NULL                              | 203.0.113.9
            203.0.113.9 | 198.51.100.1                      | 203.0.113.9
            203.0.113.9 | 10.0.0.1                          | 203.0.113.9
            # a trusted peer without X-Forwarded-For is itself the client
            10.0.0.1    | NULL                              | 10.0.0.1
            10.0.0.1    | ''                                | 10.0.0.1
            # a trusted peer speaks for its client
            10.0.0.1    | 198.51.100.1                      | 198.51.100.1
            # what the client wrote itself (left of the address the proxy saw) is not believed
            10.0.0.1    | 1.1.1.1, 2.2.2.2, 198.51.100.1     | 198.51.100.1
            # trusted hops are skipped, right to left
            10.0.0.1    | 1.1.1.1, 198.51.100.1, 10.0.0.2    | 198.51.100.1
            # every entry trusted: the left-most
            10.0.0.1    | 10.0.0.3, 10.0.0.2                | 10.0.0.3
            # ports are dropped; IPv6 is canonical; IPv4-mapped IPv6 is IPv4
            10.0.0.1    | 198.51.100.1:4711                 | 198.51.100.1
            10.0.0.1    | '[2001:db8::1]:4711'              | 2001:db8:0:0:0:0:0:1
            10.0.0.1    | 2001:DB8:0::1                     | 2001:db8:0:0:0:0:0:1
            10.0.0.1    | ::ffff:198.51.100.1               | 198.51.100.1
            fd00::1     | 2001:db8::1, fd00::2              | 2001:db8:0:0:0:0:0:1
            # empty entries are skipped
            10.0.0.1    | '198.51.100.1, , '                | 198.51.100.1
            # no address (a name, 'unknown', garbage, an octet over 255): the nearest trusted hop
            10.0.0.1    | unknown                           | 10.0.0.1
            10.0.0.1    | 198.51.100.1, evil.example        | 10.0.0.1
            10.0.0.1    | 198.51.100.1, 10.0.0.2, localhost | 10.0.0.1
            10.0.0.1    | 198.51.100.1, unknown, 10.0.0.2   | 10.0.0.2
            10.0.0.1    | 256.1.1.1                         | 10.0.0.1
            10.0.0.1    | 1234                              | 10.0.0.1
            10.0.0.1    | '[::1'                            | 10.0.0.1
            10.0.0.1    | ::g                               | 10.0.0.1
            """)
    void theClientIsTheAddressTheNearestTrustedHopSaw(String peer, String xForwardedFor, String client) {
        assertThat(forwarding.clientAddress(peer, xForwardedFor)).isEqualTo(client);
    }

    @ParameterizedTest(name = "peer {0}, X-Forwarded-For [{1}]")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.1  | 198.51.100.1
            127.0.0.1 | 198.51.100.1, 10.0.0.2
            """)
    void withNoTrustedProxyThePeerIsTheClient(String peer, String xForwardedFor) {
        assertThat(trustsNobody.clientAddress(peer, xForwardedFor)).isEqualTo(peer);
    }
}
