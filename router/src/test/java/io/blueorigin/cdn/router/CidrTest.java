package io.blueorigin.cdn.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Cidr} parsing (strict) and membership, and the {@code routing.trusted-proxies} error. */
class CidrTest {
    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.0/8      | 127.0.0.1        | true
            127.0.0.0/8      | 128.0.0.1        | false
            10.0.0.0/9       | 10.127.255.255   | true
            10.0.0.0/9       | 10.128.0.0       | false
            192.0.2.7        | 192.0.2.7        | true
            192.0.2.7        | 192.0.2.8        | false
            0.0.0.0/0        | 81.2.69.160      | true
            0.0.0.0/0        | 2001:db8::1      | false
            2001:db8::/32    | 2001:db8:ffff::1 | true
            2001:db8::/32    | 2001:db9::1      | false
            ::1              | ::1              | true
            ::/0             | 127.0.0.1        | false
            """)
    void contains(String range, String address, boolean expected) throws Exception {
        assertThat(Cidr.parse(range).contains(InetAddress.getByName(address))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ``                | an IP address literal
            localhost         | an IP address literal
            10.0.0.0/         | a prefix length 0..32
            10.0.0.0/33       | a prefix length 0..32
            10.0.0.0/08       | a prefix length 0..32
            10.0.0.0/-1       | a prefix length 0..32
            10.0.0.0/8/8      | a prefix length 0..32
            ::/129            | a prefix length 0..128
            10.1.0.0/8        | did you mean 10.0.0.0/8?
            010.0.0.0/8       | an IP address literal
            [::1]/128         | an IP address literal
            """)
    void refusesWhatIsNotStrictCidr(String text, String expected) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected);
    }

    @org.junit.jupiter.api.Test
    void trustedProxiesErrorNamesTheKey() {
        assertThatThrownBy(() -> RouterConfig.trustedProxies(List.of("127.0.0.0/8", "10.0.0.1/8")))
                .hasMessageStartingWith("routing.trusted-proxies : '10.0.0.1/8'");
        assertThat(RouterConfig.trustedProxies(List.of(" 127.0.0.0/8 ")).get(0)).hasToString("127.0.0.0/8");
    }
}
