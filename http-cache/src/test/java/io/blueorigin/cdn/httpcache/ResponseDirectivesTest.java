package io.blueorigin.cdn.httpcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9111 §5.2.2 response directives and RFC 5861, read from {@code Cache-Control}. */
class ResponseDirectivesTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                   | Cache-Control lines (‖ separates lines)    | parsed
        §5.2.2.1 max-age                                | `max-age=60`                               | `max-age=60`
        §5.2 quoted argument accepted                   | `max-age="60"`                             | `max-age=60`
        §5.2 names case-insensitive                     | `Max-Age=60, PUBLIC`                       | `max-age=60, public`
        §4.2.1 same max-age twice is that value         | `max-age=60, max-age=60`                   | `max-age=60`
        §4.2.1 conflicting max-age: stale               | `max-age=60, max-age=10`                   | `max-age=0`
        §4.2.1 conflicting max-age across lines: stale  | `max-age=60‖max-age=10`                    | `max-age=0`
        §4.2.1 zero then positive: stale                | `max-age=0, max-age=60`                    | `max-age=0`
        §4.2.1 invalid max-age: stale                   | `max-age=abc`                              | `max-age=0`
        §4.2.1 negative max-age: stale                  | `max-age=-5`                               | `max-age=0`
        §4.2.1 decimal max-age: stale                   | `max-age=1.5`                              | `max-age=0`
        §4.2.1 max-age without argument: stale          | `max-age`                                  | `max-age=0`
        §4.2.1 empty argument: stale                    | `max-age=`                                 | `max-age=0`
        §4.2.1 valid then invalid: stale                | `max-age=60, max-age=x`                    | `max-age=0`
        §1.2.2 huge max-age is 2^31                     | `max-age=99999999999999999999`             | `max-age=2147483648`
        §1.2.2 2^31 exactly                             | `max-age=2147483648`                       | `max-age=2147483648`
        §1.2.2 2^31 - 1 kept                            | `max-age=2147483647`                       | `max-age=2147483647`
        §5.2.2.10 s-maxage                              | `s-maxage=120`                             | `s-maxage=120`
        §4.2.1 conflicting s-maxage: stale              | `s-maxage=1, s-maxage=2`                   | `s-maxage=0`
        §4.2.1 invalid s-maxage: stale                  | `s-maxage=never`                           | `s-maxage=0`
        §5.2.2.4 no-cache                               | `no-cache`                                 | `no-cache`
        §5.2.2.4 qualified no-cache is unqualified      | `no-cache="Set-Cookie, X-Foo"`             | `no-cache`
        §5.2.2.7 private                                | `private`                                  | `private`
        §5.2.2.7 qualified private is unqualified       | `private="Set-Cookie"`                     | `private`
        §5.2.2.5 no-store                               | `no-store`                                 | `no-store`
        §5.2.2.9 public                                 | `public`                                   | `public`
        §5.2.2.2 must-revalidate                        | `must-revalidate`                          | `must-revalidate`
        §5.2.2.8 proxy-revalidate                       | `proxy-revalidate`                         | `proxy-revalidate`
        §5.2.2.3 must-understand                        | `must-understand, no-store`                | `no-store, must-understand`
        RFC 8246 immutable                              | `immutable`                                | `immutable`
        RFC 5861 §3 stale-while-revalidate              | `stale-while-revalidate=30`                | `swr=30`
        RFC 5861 §4 stale-if-error                      | `stale-if-error=600`                       | `sie=600`
        RFC 5861 invalid extension is absent            | `stale-while-revalidate=x, stale-if-error` | ``
        RFC 5861 first valid extension wins             | `stale-if-error=x, stale-if-error=5, stale-if-error=9` | `sie=5`
        §5.2.3 unknown directives ignored               | `foo, bar="baz, no-store", max-age=5`      | `max-age=5`
        §5.2.2.6 no-transform ignored                   | `no-transform`                             | ``
        §5.6.1 empty members ignored                    | `,, max-age=5 ,`                           | `max-age=5`
        §5.2 empty field value                          | ``                                         | ``
        §5.2.2 everything                               | `max-age=1, s-maxage=2, no-cache, no-store, private, public, must-revalidate, proxy-revalidate, must-understand, immutable, stale-while-revalidate=3, stale-if-error=4` | `max-age=1, s-maxage=2, no-cache, no-store, private, public, must-revalidate, proxy-revalidate, must-understand, immutable, swr=3, sie=4`
        """)
    void parsesCacheControl(String section, String lines, String expected) {
        assertThat(summary(ResponseDirectives.parse(List.of(lines.split("‖", -1))))).as(section).isEqualTo(expected);
    }

    @Test
    void noLinesIsTheSharedNoneValue() {
        assertThat(ResponseDirectives.parse(List.of())).isSameAs(ResponseDirectives.NONE);
        assertThat(ResponseDirectives.parse(List.of(""))).isEqualTo(ResponseDirectives.NONE);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        §4.2.1 nothing                        | ``                      | false | true
        §4.2.1 max-age                        | `max-age=1`             | true  | true
        §4.2.1 s-maxage                       | `s-maxage=1`            | true  | false
        §4.2.1 invalid max-age is explicit 0  | `max-age=x`             | true  | true
        §5.2.2.2 must-revalidate              | `must-revalidate`       | false | false
        §5.2.2.8 proxy-revalidate             | `proxy-revalidate`      | false | false
        §5.2.2.4 no-cache                     | `no-cache`              | false | false
        §4.2.4 public allows stale            | `public, max-age=5`     | true  | true
        """)
    void explicitLifetimeAndStaleness(String section, String cacheControl, boolean explicit, boolean allowsStale) {
        ResponseDirectives d = ResponseDirectives.parse(List.of(cacheControl));
        assertThat(d.hasExplicitLifetime()).as(section).isEqualTo(explicit);
        assertThat(d.allowsStale()).as(section).isEqualTo(allowsStale);
    }

    static String summary(ResponseDirectives d) {
        List<String> out = new ArrayList<>();
        if (d.maxAgeSeconds() >= 0) {
            out.add("max-age=" + d.maxAgeSeconds());
        }
        if (d.sMaxAgeSeconds() >= 0) {
            out.add("s-maxage=" + d.sMaxAgeSeconds());
        }
        flag(out, d.noCache(), "no-cache");
        flag(out, d.noStore(), "no-store");
        flag(out, d.isPrivate(), "private");
        flag(out, d.isPublic(), "public");
        flag(out, d.mustRevalidate(), "must-revalidate");
        flag(out, d.proxyRevalidate(), "proxy-revalidate");
        flag(out, d.mustUnderstand(), "must-understand");
        flag(out, d.immutable(), "immutable");
        if (d.staleWhileRevalidateSeconds() >= 0) {
            out.add("swr=" + d.staleWhileRevalidateSeconds());
        }
        if (d.staleIfErrorSeconds() >= 0) {
            out.add("sie=" + d.staleIfErrorSeconds());
        }
        return String.join(", ", out);
    }

    private static void flag(List<String> out, boolean set, String name) {
        if (set) {
            out.add(name);
        }
    }
}
