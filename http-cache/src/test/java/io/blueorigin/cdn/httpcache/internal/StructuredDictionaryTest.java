package io.blueorigin.cdn.httpcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8941 §4.2.2 Dictionaries, as far as targeted cache-control fields need them. */
class StructuredDictionaryTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                               | field value                          | members, type:value
        §4.2.2 empty dictionary                     | ``                                   | ``
        §4.2.2 only spaces                          | `   `                                | ``
        §4.2.2 bare key is Boolean true             | `no-store`                           | `no-store=Boolean:true`
        §4.2.2 key=?0 is Boolean false              | `a=?0`                               | `a=Boolean:false`
        §4.2.2 key=?1 is Boolean true               | `a=?1`                               | `a=Boolean:true`
        §4.2.3.1 integer                            | `max-age=60`                         | `max-age=Long:60`
        §4.2.4 negative integer                     | `a=-5`                               | `a=Long:-5`
        §4.2.4 15-digit integer                     | `a=999999999999999`                  | `a=Long:999999999999999`
        §4.2.4 decimal                              | `a=1.5`                              | `a=Double:1.5`
        §4.2.4 decimal, 12 integer and 3 fraction   | `a=123456789012.123`                 | `a=Double:1.23456789012123E11`
        §4.2.5 string                               | `a="x y"`                            | `a=String:x y`
        §4.2.5 string with escapes                  | `a="q\\"b\\\\"`                      | `a=String:q"b\\`
        §4.2.6 token                                | `a=foo/bar:baz`                      | `a=String:foo/bar:baz`
        §4.2.7 byte sequence                        | `a=:aGk=:`                           | `a=byte[]:2`
        §4.2.1.2 inner list kept as true            | `a=(1 "x" tok);p=1`                  | `a=Boolean:true`
        §4.2.1.2 empty inner list                   | `a=()`                               | `a=Boolean:true`
        §4.1.2 parameters dropped                   | `a=1;p=2;q, b;r="s"`                 | `a=Long:1‖b=Boolean:true`
        §4.2.2 members in order, OWS after commas   | `b=1,	a=2 ,  c`                   | `b=Long:1‖a=Long:2‖c=Boolean:true`
        §4.2.2 later duplicate overwrites           | `a=1, a=2`                           | `a=Long:2`
        §4.2.3.3 keys may use * _ - . digits        | `*a_b-c.9=1`                         | `*a_b-c.9=Long:1`
        """)
    void parsesValidDictionaries(String section, String value, String expected) {
        Optional<Map<String, Object>> parsed = StructuredDictionary.parse(value);
        assertThat(parsed).as(section).isPresent();
        StringBuilder got = new StringBuilder();
        parsed.get().forEach((k, v) -> {
            if (got.length() > 0) {
                got.append('‖');
            }
            got.append(k).append('=').append(v.getClass().getSimpleName()).append(':')
                    .append(v instanceof byte[] bytes ? String.valueOf(bytes.length) : String.valueOf(v));
        });
        assertThat(got.toString()).as(section).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        §4.2.3.3 uppercase key                      | `MAX-AGE=60`
        §4.2.3.3 key starting with a digit          | `1a=1`
        §4.2.3.3 key starting with a dash           | `-a=1`
        §4.2.2 trailing comma                       | `a=1,`
        §4.2.2 leading comma                        | `,a=1`
        §4.2.2 two commas                           | `a=1,,b=2`
        §4.2.2 missing comma                        | `a=1 b=2`
        §4.2.2 semicolon as separator               | `a=1; b=2;`
        §4.2.2 empty value                          | `a=`
        §4.2.2 tab before the first key             | `	a=1`
        §4.2.4 17-digit decimal                     | `a=1234567890123.456`
        §4.2.4 13 integer digits in a decimal       | `a=1234567890123.4`
        §4.2.4 four fraction digits                 | `a=1.2345`
        §4.2.4 16-digit integer                     | `a=1234567890123456`
        §4.2.4 decimal ending in a dot              | `a=1.`
        §4.2.4 sign without digits                  | `a=-`
        §4.2.4 sign then a dot                      | `a=-.5`
        §4.2.4 two dots                             | `a=1.2.3`
        §4.2.5 unterminated string                  | `a="abc`
        §4.2.5 bad escape                           | `a="\\n"`
        §4.2.5 non-ASCII in a string                | `a="é"`
        §4.2.5 control character in a string        | `a="a	b"`
        §4.2.6 token starting with a digit is int   | `a=1x`
        §4.2.7 unterminated byte sequence           | `a=:aGk=`
        §4.2.7 bad base64                           | `a=:*&:`
        §4.2.8 boolean other than ?0/?1             | `a=?2`
        §4.2.8 boolean without digit                | `a=?`
        §4.1.2 parameter with uppercase key         | `a;P=1`
        §4.1.2 parameter without key                | `a;=1`
        §4.2.1.2 unterminated inner list            | `a=(1 2`
        §4.2.1.2 inner list items without space     | `a=(1"x")`
        §4.2.2 space before a parameter             | `a=1 ;p`
        §4.2.2 non-ASCII key                        | `ä=1`
        """)
    void rejectsInvalidDictionaries(String section, String value) {
        assertThat(StructuredDictionary.parse(value)).as(section).isEmpty();
    }

    @Test
    void neverThrowsOnNastyInput() {
        // RFC 8941 §4.2: a parse failure is an empty result, never an exception
        assertThat(StructuredDictionary.parse("a=" + "(".repeat(10_000))).isEmpty();
        assertThat(StructuredDictionary.parse("a=\"" + "\\".repeat(10_001))).isEmpty();
        assertThat(StructuredDictionary.parse("a=:" + "=".repeat(9) + ":")).isEmpty();
    }
}
