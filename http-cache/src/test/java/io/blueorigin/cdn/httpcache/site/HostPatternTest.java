package io.blueorigin.cdn.httpcache.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6125 §6.4.3 one-label wildcards: what a pattern matches and which two patterns share a host. */
class HostPatternTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
        # pattern            | host                    | matches
        www.example.com      | www.example.com         | true
        www.example.com      | example.com             | false
        www.example.com      | a.www.example.com       | false
        www.example.com      | wwwexample.com          | false
        *.img.example.com    | a.img.example.com       | true
        *.img.example.com    | xn--bcher-kva.img.example.com | true
        *.img.example.com    | img.example.com         | false
        *.img.example.com    | b.a.img.example.com     | false
        *.img.example.com    | .img.example.com        | false
        *.img.example.com    | aimg.example.com        | false
        *.img.example.com    | a.xmg.example.com       | false
        *.img.example.com    | a.img.example.co        | false
        *.img.example.com    | a.img.example.com.      | false
        *.example.com        | img.example.com         | true
        *.example.com        | a.img.example.com       | false
        """)
    void matches(String pattern, String host, boolean matches) {
        assertThat(HostPattern.parse(pattern, "hosts[0]").matches(host)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} overlaps {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
        # a                  | b                       | overlap
        a.example.com        | a.example.com           | true
        a.example.com        | b.example.com           | false
        a.example.com        | *.example.com           | true
        *.example.com        | a.example.com           | true
        *.example.com        | example.com             | false
        example.com          | *.example.com           | false
        *.example.com        | *.example.com           | true
        *.example.com        | *.a.example.com         | false
        *.a.example.com      | *.example.com           | false
        *.example.com        | b.a.example.com         | false
        *.example.com        | *.example.org           | false
        """)
    void overlaps(String a, String b, boolean overlap) {
        HostPattern pa = HostPattern.parse(a, "a");
        HostPattern pb = HostPattern.parse(b, "b");
        assertThat(pa.overlaps(pb)).isEqualTo(overlap);
        assertThat(pb.overlaps(pa)).as("symmetric").isEqualTo(overlap);
    }

    @Test
    void parsesCaseInsensitively() {
        assertThat(HostPattern.parse("WWW.Example.COM", "f")).isEqualTo(new HostPattern("www.example.com", false));
        assertThat(HostPattern.parse("*.IMG.Example.com", "f")).isEqualTo(new HostPattern("img.example.com", true));
        assertThat(HostPattern.parse("*.IMG.Example.com", "f")).hasToString("*.img.example.com");
        assertThat(HostPattern.parse("192.0.2.1", "f")).hasToString("192.0.2.1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        *.*.x.com
        *.com
        a.*.com
        *
        *.
        **.x.com
        a*.x.com
        *x.y.com
        x.com.
        .x.com
        a..com
        -a.com
        a-.com
        a_b.com
        a.com:80
        [::1]
        bücher.de
        \u212A.com
        """)
    void refuses(String text) {
        assertThatThrownBy(() -> HostPattern.parse(text, "hosts[3]"))
                .isInstanceOfSatisfying(SiteException.class, e -> assertThat(e.field()).isEqualTo("hosts[3]"));
    }

    @Test
    void lengthLimits() {
        String label63 = "a".repeat(63);
        String host253 = label63 + "." + label63 + "." + label63 + "." + "a".repeat(61);
        assertThat(host253).hasSize(253);
        assertThat(HostPattern.parse(host253, "f").domain()).isEqualTo(host253);
        assertThatThrownBy(() -> HostPattern.parse(host253 + "a", "f")).isInstanceOf(SiteException.class);
        assertThatThrownBy(() -> HostPattern.parse("a".repeat(64) + ".com", "f")).isInstanceOf(SiteException.class);
    }
}
