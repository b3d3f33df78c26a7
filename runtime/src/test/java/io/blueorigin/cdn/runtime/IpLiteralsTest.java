package io.blueorigin.cdn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link IpLiterals}: what is an address literal (and which address it is) and what is refused. The
 * expected column is {@link InetAddress#getHostAddress()} of the result, {@code -} for refused.
 */
class IpLiteralsTest {
    @ParameterizedTest(name = "{0}: `{1}`")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # case                                | text                                            | parsed
        IPv4                                  | 81.2.69.160                                     | 81.2.69.160
        IPv4 zeros                            | 0.0.0.0                                         | 0.0.0.0
        IPv4 top                              | 255.255.255.255                                 | 255.255.255.255
        IPv4 octet over 255                   | 256.1.1.1                                       | -
        IPv4 999                              | 999.1.1.1                                       | -
        IPv4 leading zero (octal elsewhere)   | 010.1.1.1                                       | -
        IPv4 three parts                      | 1.2.3                                           | -
        IPv4 five parts                       | 1.2.3.4.5                                       | -
        IPv4 empty part                       | 1..3.4                                          | -
        IPv4 trailing dot                     | 1.2.3.4.                                        | -
        IPv4 with a port                      | 1.2.3.4:80                                      | -
        IPv4 with a space                     | `1.2.3.4 `                                      | -
        IPv4 non-ASCII digits                 | ١.2.3.4                                         | -
        IPv4 sign                             | +1.2.3.4                                        | -
        host name                             | localhost                                       | -
        empty                                 | ``                                              | -
        IPv6 compressed                       | 2001:db8::1                                     | 2001:db8:0:0:0:0:0:1
        IPv6 full                             | 2001:db8:0:0:0:0:0:1                            | 2001:db8:0:0:0:0:0:1
        IPv6 capitals                         | 2001:DB8::A                                     | 2001:db8:0:0:0:0:0:a
        IPv6 unspecified                      | ::                                              | 0:0:0:0:0:0:0:0
        IPv6 loopback                         | ::1                                             | 0:0:0:0:0:0:0:1
        IPv6 gap at the end                   | fe80::                                          | fe80:0:0:0:0:0:0:0
        IPv6 gap for one group                | 1:2:3:4:5:6::8                                  | 1:2:3:4:5:6:0:8
        IPv6 longest literal                  | ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255   | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
        IPv6 dotted tail                      | 64:ff9b::1.2.3.4                                | 64:ff9b:0:0:0:0:102:304
        IPv4-mapped becomes IPv4              | ::ffff:81.2.69.160                              | 81.2.69.160
        IPv4-mapped in hex becomes IPv4       | ::ffff:5102:45a0                                | 81.2.69.160
        IPv6 bad hex                          | ::ffff:zz                                       | -
        IPv6 five hex digits                  | 12345::                                         | -
        IPv6 two gaps                         | 1::2::3                                         | -
        IPv6 triple colon                     | :::                                             | -
        IPv6 nine groups                      | 1:2:3:4:5:6:7:8:9                               | -
        IPv6 seven groups without a gap       | 1:2:3:4:5:6:7                                   | -
        IPv6 eight groups and a gap           | 1:2:3:4::5:6:7:8                                | -
        IPv6 leading single colon             | :1:2:3:4:5:6:7                                  | -
        IPv6 trailing single colon            | 1:2:3:4:5:6:7:                                  | -
        IPv6 dotted tail not last             | 1.2.3.4::                                       | -
        IPv6 dotted tail too many groups      | 1:2:3:4:5:6:7:1.2.3.4                           | -
        IPv6 bad dotted tail                  | ::ffff:81.2.69                                  | -
        IPv6 zone id                          | fe80::1%eth0                                    | -
        IPv6 brackets                         | [::1]                                           | -
        longer than any literal               | 0000:0000:0000:0000:0000:0000:255.255.255.2550  | -
        """)
    void parses(String name, String text, String parsed) {
        String actual = IpLiterals.parse(text).map(InetAddress::getHostAddress).orElse("-");

        assertThat(actual).as(name).isEqualTo(parsed);
    }
}
