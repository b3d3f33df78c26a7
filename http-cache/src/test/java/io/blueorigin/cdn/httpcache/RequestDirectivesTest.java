package io.blueorigin.cdn.httpcache;

import static io.blueorigin.cdn.httpcache.Messages.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9111 §5.2.1 request directives and §5.4 Pragma. The summary lists only what is set. */
class RequestDirectivesTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                    | request fields                                        | parsed
        §5.2.1 no directives                             | ``                                                    | ``
        §5.2.1.1 max-age                                 | `Cache-Control: max-age=60`                           | `max-age=60`
        §5.2.1.1 max-age=0                               | `Cache-Control: max-age=0`                            | `max-age=0`
        §5.2 quoted argument accepted                    | `Cache-Control: max-age="60"`                         | `max-age=60`
        §5.2 directive names case-insensitive            | `Cache-Control: MAX-AGE=60, No-Cache`                 | `max-age=60, no-cache`
        §5.2 OWS around '=' tolerated                    | `Cache-Control: max-age = 60`                         | `max-age=60`
        §4.2.1 duplicate max-age: first wins             | `Cache-Control: max-age=60, max-age=10`               | `max-age=60`
        §4.2.1 duplicate over two lines: first wins      | `Cache-Control: max-age=60 | Cache-Control: max-age=10` | `max-age=60`
        §5.2.1 invalid max-age counts as absent          | `Cache-Control: max-age=abc`                          | ``
        §5.2.1 negative max-age counts as absent         | `Cache-Control: max-age=-1`                           | ``
        §5.2.1 max-age without a value is absent         | `Cache-Control: max-age`                              | ``
        §5.2.1 invalid then valid: the valid one counts  | `Cache-Control: max-age=x, max-age=5`                 | `max-age=5`
        §1.2.2 huge max-age saturates at 2^31            | `Cache-Control: max-age=99999999999999999999`          | `max-age=2147483648`
        §5.2.1.2 max-stale with a value                  | `Cache-Control: max-stale=30`                         | `max-stale=30`
        §5.2.1.2 max-stale without a value: any          | `Cache-Control: max-stale`                            | `max-stale=any`
        §5.2.1.2 max-stale with an invalid value absent  | `Cache-Control: max-stale=soon`                       | ``
        §5.2.1.2 max-stale empty value is absent         | `Cache-Control: max-stale=`                           | ``
        §5.2.1.3 min-fresh                               | `Cache-Control: min-fresh=20`                         | `min-fresh=20`
        §5.2.1.3 min-fresh invalid                       | `Cache-Control: min-fresh=1.5`                        | ``
        §5.2.1.4 no-cache                                | `Cache-Control: no-cache`                             | `no-cache`
        §5.2.1.4 no-cache with an argument still counts  | `Cache-Control: no-cache="x"`                         | `no-cache`
        §5.2.1.5 no-store                                | `Cache-Control: no-store`                             | `no-store`
        §5.2.1.7 only-if-cached                          | `Cache-Control: only-if-cached`                       | `only-if-cached`
        §5.2.3 unknown directives ignored                | `Cache-Control: foo, bar=1, max-age=5`                | `max-age=5`
        §5.2.3 unknown directive with quoted comma       | `Cache-Control: foo="a, no-store", max-age=5`         | `max-age=5`
        §5.6.1 empty list members ignored                | `Cache-Control: , ,max-age=5,,`                       | `max-age=5`
        §5.2 field name case-insensitive                 | `cache-control: no-store`                             | `no-store`
        §5.2.1 everything at once                        | `Cache-Control: max-age=1, max-stale=2, min-fresh=3, no-cache, no-store, only-if-cached` | `max-age=1, max-stale=2, min-fresh=3, no-cache, no-store, only-if-cached`
        §5.4 Pragma: no-cache without Cache-Control      | `Pragma: no-cache`                                    | `no-cache`
        §5.4 Pragma is case-insensitive here             | `Pragma: NO-CACHE`                                    | `no-cache`
        §5.4 Pragma member among others                  | `Pragma: foo, no-cache`                               | `no-cache`
        §5.4 Pragma on a second line                     | `Pragma: foo | Pragma: no-cache`                      | `no-cache`
        §5.4 other Pragma values ignored                 | `Pragma: foo=no-cache`                                | ``
        §5.4 Pragma ignored when Cache-Control present   | `Pragma: no-cache | Cache-Control: max-stale=5`       | `max-stale=5`
        §5.4 Pragma ignored even for an empty CC         | `Cache-Control: | Pragma: no-cache`                   | ``
        """)
    void parses(String section, String request, String expected) {
        assertThat(summary(RequestDirectives.parse(fields(request)))).as(section).isEqualTo(expected);
    }

    @Test
    void noDirectivesIsTheSharedNoneValue() {
        assertThat(RequestDirectives.parse(FieldLookup.EMPTY)).isSameAs(RequestDirectives.NONE);
        assertThat(RequestDirectives.NONE.hasMaxAge()).isFalse();
        assertThat(RequestDirectives.parse(fields("Cache-Control: max-age=0")).hasMaxAge()).isTrue();
    }

    @Test
    void maxStaleWithoutValueIsLongMaxValue() {
        // §5.2.1.2: "the client is willing to accept a stale response of any age"
        assertThat(RequestDirectives.parse(fields("Cache-Control: max-stale")).maxStaleSeconds()).isEqualTo(Long.MAX_VALUE);
    }

    static String summary(RequestDirectives d) {
        List<String> out = new ArrayList<>();
        if (d.maxAgeSeconds() >= 0) {
            out.add("max-age=" + d.maxAgeSeconds());
        }
        if (d.maxStaleSeconds() >= 0) {
            out.add("max-stale=" + (d.maxStaleSeconds() == Long.MAX_VALUE ? "any" : d.maxStaleSeconds()));
        }
        if (d.minFreshSeconds() >= 0) {
            out.add("min-fresh=" + d.minFreshSeconds());
        }
        if (d.noCache()) {
            out.add("no-cache");
        }
        if (d.noStore()) {
            out.add("no-store");
        }
        if (d.onlyIfCached()) {
            out.add("only-if-cached");
        }
        return String.join(", ", out);
    }
}
