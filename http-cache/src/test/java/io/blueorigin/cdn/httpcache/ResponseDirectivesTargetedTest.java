package io.blueorigin.cdn.httpcache;

import static io.blueorigin.cdn.httpcache.ResponseDirectivesTest.summary;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 9213 §2.2 targeted fields ({@code CDN-Cache-Control}): RFC 8941 Dictionaries; an invalid or empty
 * field is ignored as a whole ({@code invalid} below), a directive of the wrong type is ignored alone.
 */
class ResponseDirectivesTargetedTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                  | field value                               | parsed, or "invalid"
        RFC 9213 §2.2 integer max-age                  | `max-age=600`                             | `max-age=600`
        RFC 9213 §2.2 several directives               | `max-age=600, must-revalidate, public`    | `max-age=600, public, must-revalidate`
        RFC 9213 §2.2 s-maxage                         | `s-maxage=60`                             | `s-maxage=60`
        RFC 9213 §2.2 bare key is Boolean true         | `no-store`                                | `no-store`
        RFC 9213 §2.2 explicit ?1 is true              | `no-store=?1`                             | `no-store`
        RFC 9213 §2.2 ?0 means the directive is absent | `no-store=?0, max-age=5`                  | `max-age=5`
        RFC 9213 §2.2 parameters are ignored           | `max-age=600;foo=bar, private;x`          | `max-age=600, private`
        RFC 9213 §2.2 private with a string            | `private="set-cookie"`                    | `private`
        RFC 9213 §2.2 no-cache with a token            | `no-cache=set-cookie`                     | `no-cache`
        RFC 9213 §2.2 no-cache with an inner list      | `no-cache=("a" "b")`                      | `no-cache`
        RFC 9213 §2.2 stale extensions                 | `stale-while-revalidate=30, stale-if-error=60` | `swr=30, sie=60`
        RFC 9213 §2.2 must-understand, immutable       | `must-understand, immutable`              | `must-understand, immutable`
        RFC 9213 §2.1 string max-age: wrong type       | `max-age="600", public`                   | `public`
        RFC 9213 §2.1 decimal max-age: wrong type      | `max-age=6.5, public`                     | `public`
        RFC 9213 §2.1 boolean max-age: wrong type      | `max-age, public`                         | `public`
        RFC 9213 §2.1 boolean s-maxage: wrong type     | `s-maxage=?1, public`                     | `public`
        RFC 9213 §2.1 byte sequence: wrong type        | `max-age=:AQ==:, public`                  | `public`
        RFC 9213 §2.1 inner list max-age: wrong type   | `max-age=(1 2), public`                   | `public`
        RFC 9213 §2.1 boolean swr: wrong type          | `stale-while-revalidate, public`          | `public`
        RFC 9213 §2.1 integer no-store: wrong type     | `no-store=1, max-age=5`                   | `max-age=5`
        RFC 9213 §2.1 string must-revalidate           | `must-revalidate="x", max-age=5`          | `max-age=5`
        RFC 9111 §4.2.1 negative max-age: stale        | `max-age=-1`                              | `max-age=0`
        RFC 9111 §1.2.2 large integer is 2^31          | `max-age=999999999999999`                 | `max-age=2147483648`
        RFC 8941 §4.2.2 duplicate key: last wins       | `max-age=5, max-age=600`                  | `max-age=600`
        RFC 9213 §2.2 unknown directives ignored       | `foo=bar, max-age=5`                      | `max-age=5`
        RFC 9213 §3.1 unknown-only field is valid      | `none`                                    | ``
        RFC 9213 §2.2 empty field is invalid           | ``                                        | invalid
        RFC 9213 §2.2 blank field is invalid           | `   `                                     | invalid
        RFC 8941 §4.2.3.3 uppercase key is invalid     | `Max-Age=600`                             | invalid
        RFC 8941 §4.2.2 trailing comma is invalid      | `max-age=600,`                            | invalid
        RFC 8941 §4.2.5 unterminated string            | `private="x`                              | invalid
        RFC 8941 §4.1.2 '; x' is a parameter, dropped  | `max-age=600; must-revalidate`            | `max-age=600`
        RFC 8941 §4.2.2 space before '='               | `max-age =600`                            | invalid
        RFC 8941 §4.2.4 16-digit integer               | `max-age=1234567890123456`                | invalid
        """)
    void parsesTargetedFields(String section, String value, String expected) {
        Optional<ResponseDirectives> parsed = ResponseDirectives.parseTargeted(value);
        if (expected.equals("invalid")) {
            assertThat(parsed).as(section).isEmpty();
        } else {
            assertThat(parsed).as(section).isPresent();
            assertThat(summary(parsed.get())).as(section).isEqualTo(expected);
        }
    }
}
