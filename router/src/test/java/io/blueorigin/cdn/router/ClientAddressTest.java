package io.blueorigin.cdn.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.runtime.IpLiterals;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ClientAddress#resolve} as a table: peer, trusted ranges, the forwarding fields ({@code ;} separates
 * several field lines), and the client the router locates. Spoofed fields from an untrusted peer are ignored.
 */
class ClientAddressTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "-", textBlock = """
            # case                                    | peer        | trusted                   | X-Forwarded-For                  | Forwarded                                        | client
            no headers: the peer                      | 81.2.69.160 | 127.0.0.0/8               | -                                | -                                                | 81.2.69.160
            untrusted peer: XFF ignored               | 127.0.0.1   | -                         | 81.2.69.160                      | -                                                | 127.0.0.1
            untrusted peer: Forwarded ignored         | 127.0.0.1   | 10.0.0.0/8                | -                                | for=81.2.69.160                                  | 127.0.0.1
            trusted peer: XFF client                  | 127.0.0.1   | 127.0.0.0/8               | 81.2.69.160                      | -                                                | 81.2.69.160
            rightmost untrusted hop wins              | 127.0.0.1   | 127.0.0.0/8               | 1.2.3.4, 81.2.69.160             | -                                                | 81.2.69.160
            trusted hops are skipped                  | 127.0.0.1   | 127.0.0.0/8,10.0.0.0/8    | 1.2.3.4, 81.2.69.160, 10.1.1.1   | -                                                | 81.2.69.160
            several field lines in order              | 127.0.0.1   | 127.0.0.0/8,10.0.0.0/8    | 1.2.3.4; 81.2.69.160, 10.1.1.1   | -                                                | 81.2.69.160
            all hops trusted: the leftmost            | 127.0.0.1   | 127.0.0.0/8,10.0.0.0/8    | 10.0.0.1, 10.0.0.2               | -                                                | 10.0.0.1
            malformed hop ends the walk               | 127.0.0.1   | 127.0.0.0/8,10.0.0.0/8    | 81.2.69.160, garbage, 10.0.0.2   | -                                                | 10.0.0.2
            malformed only hop: the peer              | 127.0.0.1   | 127.0.0.0/8               | not-an-ip                        | -                                                | 127.0.0.1
            host name is not resolved                 | 127.0.0.1   | 127.0.0.0/8               | localhost                        | -                                                | 127.0.0.1
            IPv6 hop                                  | 127.0.0.1   | 127.0.0.0/8               | 2001:db8::1                      | -                                                | 2001:db8::1
            Forwarded for=                            | 127.0.0.1   | 127.0.0.0/8               | -                                | for=81.2.69.160;proto=http                       | 81.2.69.160
            Forwarded quoted IPv6 with port           | 127.0.0.1   | 127.0.0.0/8               | -                                | `for="[2001:db8::17]:4711"`                      | 2001:db8::17
            Forwarded IPv4 with port, case            | 127.0.0.1   | 127.0.0.0/8               | -                                | `For="81.2.69.160:8080"`                         | 81.2.69.160
            Forwarded several elements                | 127.0.0.1   | 127.0.0.0/8               | -                                | for=1.2.3.4, for=81.2.69.160;by=127.0.0.1        | 81.2.69.160
            Forwarded unknown ends the walk           | 127.0.0.1   | 127.0.0.0/8               | -                                | for=81.2.69.160, for=unknown                     | 127.0.0.1
            XFF wins over Forwarded                   | 127.0.0.1   | 127.0.0.0/8               | 1.2.3.4                          | for=81.2.69.160                                  | 1.2.3.4
            IPv6 trusted range                        | ::1         | ::1/128                   | 81.2.69.160                      | -                                                | 81.2.69.160
            IPv4 range does not trust IPv6 peer       | ::1         | 0.0.0.0/0                 | 81.2.69.160                      | -                                                | ::1
            """)
    void resolvesTheClient(String description, String peer, String trusted, String xff, String forwarded,
            String client) throws Exception {
        List<Cidr> ranges = trusted == null ? List.of() : RouterConfig.trustedProxies(Arrays.asList(trusted.split(",")));
        InetAddress resolved = ClientAddress.resolve(InetAddress.getByName(peer), lines(xff), lines(forwarded), ranges);
        assertThat(resolved).isEqualTo(InetAddress.getByName(client));
    }

    private static List<String> lines(String value) {
        return value == null ? List.of() : Arrays.stream(value.split(";(?=\\s)")).map(String::trim).toList();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            81.2.69.160                 | 81.2.69.160
            2001:db8:1:2:3:4:5:6        | 2001:db8:1:2::/64
            2001:db8:1:2:ffff::1        | 2001:db8:1:2::/64
            ::ffff:81.2.69.160          | 81.2.69.160
            """)
    void keysIpv6ClientsByTheirSlash64(String address, String key) {
        assertThat(ClientAddress.key(IpLiterals.parse(address).orElseThrow())).isEqualTo(key);
    }
}
