package io.blueorigin.cdn.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.runtime.IpLiterals;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link NonPublicRanges}: each range's first and last address are in, their public neighbours out. */
class NonPublicRangesTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
        # address                                  | range                            | non-public
        0.0.0.0                                    | this network                     | true
        0.255.255.255                              | this network, last               | true
        1.0.0.0                                    | public                           | false
        9.255.255.255                              | public, before 10/8              | false
        10.0.0.1                                   | RFC 1918                         | true
        10.255.255.255                             | RFC 1918, last                   | true
        11.0.0.0                                   | public, after 10/8               | false
        100.63.255.255                             | public, before CGNAT             | false
        100.64.0.1                                 | CGNAT (RFC 6598)                 | true
        100.127.255.255                            | CGNAT, last                      | true
        100.128.0.0                                | public, after CGNAT              | false
        127.0.0.1                                  | loopback                         | true
        169.254.1.1                                | link-local                       | true
        172.15.255.255                             | public, before 172.16/12         | false
        172.16.0.0                                 | RFC 1918                         | true
        172.31.255.255                             | RFC 1918, last                   | true
        172.32.0.0                                 | public, after 172.16/12          | false
        192.168.1.1                                | RFC 1918                         | true
        192.169.0.0                                | public                           | false
        223.255.255.255                            | public, before multicast         | false
        224.0.0.1                                  | multicast                        | true
        239.255.255.255                            | multicast, last                  | true
        240.0.0.1                                  | reserved                         | true
        255.255.255.255                            | broadcast                        | true
        81.2.69.160                                | public                           | false
        ::                                         | unspecified                      | true
        ::1                                        | loopback                         | true
        ::2                                        | IPv4-compatible 0.0.0.2          | true
        ::10.0.0.1                                 | IPv4-compatible private          | true
        ::81.2.69.160                              | IPv4-compatible public           | false
        ::ffff:192.168.1.1                         | IPv4-mapped private              | true
        fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff    | public, before fc00::/7          | false
        fc00::1                                    | unique-local                     | true
        fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff    | unique-local, last               | true
        fe00::1                                    | reserved, after fc00::/7        | false
        fe80::1                                    | link-local                       | true
        febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff    | link-local, last                 | true
        fec0::1                                    | site-local (deprecated)          | true
        ff02::1                                    | multicast                        | true
        2001:218::1                                | public                           | false
        """)
    void classifies(String address, String range, boolean nonPublic) {
        assertThat(NonPublicRanges.contains(IpLiterals.parse(address).orElseThrow())).as(range).isEqualTo(nonPublic);
    }
}
