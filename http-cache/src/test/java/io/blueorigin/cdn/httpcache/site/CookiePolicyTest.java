package io.blueorigin.cdn.httpcache.site;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.site.CookiePolicy.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What stripping leaves of a {@code Cookie} field ({@code ~}: nothing, the field is removed). */
class CookiePolicyTest {
    private final CookiePolicy strip = new CookiePolicy(Mode.STRIP, List.of("_ga", "_gid", "sid"));

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "~", quoteCharacter = '`', textBlock = """
        # cookie field                       | result
        `a=1; _ga=GA1.2; b=2`                | `a=1; b=2`
        `_ga=1`                              | ~
        `_ga=1; _gid=2; sid=x`               | ~
        `a=1`                                | `a=1`
        `_GA=1; _ga=2`                       | `_GA=1`
        `_gax=1; x_ga=2; _ga=3`              | `_gax=1; x_ga=2`
        `  _ga = 1 ;a=1;;  ; b=2  `          | `a=1; b=2`
        `a=1;b=2`                            | `a=1; b=2`
        `;;`                                 | ~
        ``                                   | ~
        `_ga`                                | ~
        `a=x=y; _ga=1=2`                     | `a=x=y`
        `a="q; r"`                           | `a="q; r"`
        """)
    void strips(String field, String result) {
        assertThat(strip.apply(field)).isEqualTo(result);
    }

    @Test
    void passLeavesTheFieldUnchanged() {
        for (String field : new String[] {"a=1; _ga=2", "  x ;; y=  ", "", "_ga=1"}) {
            assertThat(CookiePolicy.PASS.apply(field)).isSameAs(field);
        }
    }

    @Test
    void passIsTheDefault() {
        assertThat(CookiePolicy.fromMap(null, "caching.cookies")).isEqualTo(CookiePolicy.PASS);
        assertThat(CookiePolicy.fromMap(SiteTest.map(), "caching.cookies")).isEqualTo(CookiePolicy.PASS);
        assertThat(CookiePolicy.fromMap(strip.toMap(), "caching.cookies")).isEqualTo(strip);
    }
}
