package io.blueorigin.cdn.httpcache;

import static io.blueorigin.cdn.httpcache.Messages.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9111 §4.1 secondary keys. */
class VaryKeyTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                              | Vary lines (‖ separates lines)           | field names, or "*"
        §4.1 one field                             | `Accept-Encoding`                        | accept-encoding
        §4.1 names lower-cased and sorted          | `User-Agent, Accept-Encoding`            | accept-encoding user-agent
        §4.1 duplicates collapse                   | `accept, Accept, ACCEPT`                 | accept
        §4.1 several lines                         | `Origin‖Accept-Language`                 | accept-language origin
        RFC 9110 §5.6.1 empty members ignored      | `, Accept ,,`                            | accept
        §4.1 empty Vary is no Vary                 | ``                                       | ``
        §4.1 * alone                               | `*`                                      | *
        §4.1 * among names                         | `Accept, *`                              | *
        §4.1 * on a second line                    | `Accept‖*`                               | *
        §4.1 * with spaces                         | ` * `                                    | *
        """)
    void readsFieldNames(String section, String lines, String expected) {
        Optional<List<String>> names = VaryKey.fieldNames(Arrays.asList(lines.split("‖", -1)));
        if ("*".equals(expected)) {
            assertThat(names).as(section).isEmpty();
        } else {
            List<String> want = expected == null || expected.isEmpty() ? List.of() : List.of(expected.split(" "));
            assertThat(names).as(section).contains(want);
        }
    }

    @Test
    void noVaryLinesMeansNoNames() {
        assertThat(VaryKey.fieldNames(List.of())).contains(List.of());
        assertThat(VaryKey.of(List.of(), fields("Accept: x"))).isEqualTo(VaryKey.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                      | varies on                  | request A                                   | request B                                    | same key
        §4.1 same value                                    | accept-language            | `Accept-Language: en`                       | `Accept-Language: en`                        | true
        §4.1 different value                               | accept-language            | `Accept-Language: en`                       | `Accept-Language: fr`                        | false
        §4.1 absent differs from empty                     | x-foo                      | ``                                          | `X-Foo: `                                    | false
        §4.1 absent equals absent                          | x-foo                      | `Other: 1`                                  | ``                                           | true
        §4.1 field name case-insensitive                   | x-foo                      | `X-Foo: a`                                  | `x-foo: a`                                   | true
        §4.1 surrounding whitespace removed                | x-foo                      | `X-Foo: a`                                  | `X-Foo:    a   `                             | true
        §4.1 list whitespace normalized                    | x-foo                      | `X-Foo: a,b`                                | `X-Foo: a ,  b`                              | true
        §4.1 inner whitespace collapsed                    | x-foo                      | `X-Foo: a  b`                               | `X-Foo: a b`                                 | true
        §4.1 parameter whitespace removed                  | accept                     | `Accept: text/html;q=0.9`                   | `Accept: text/html ; q=0.9`                  | true
        §4.1 combined lines equal one line                 | x-foo                      | `X-Foo: a | X-Foo: b`                       | `X-Foo: a, b`                                | true
        §4.1 list order matters                            | x-foo                      | `X-Foo: a, b`                               | `X-Foo: b, a`                                | false
        §4.1 values case-sensitive by default              | x-foo                      | `X-Foo: A`                                  | `X-Foo: a`                                   | false
        §4.1 Accept-Language case-insensitive              | accept-language            | `Accept-Language: en-US`                    | `Accept-Language: en-us`                     | true
        §4.1 Accept case-insensitive                       | accept                     | `Accept: Text/HTML`                         | `Accept: text/html`                          | true
        §4.1 Accept-Charset case-insensitive               | accept-charset             | `Accept-Charset: UTF-8`                     | `Accept-Charset: utf-8`                      | true
        §4.1 Accept-Encoding reduced to the chosen coding  | accept-encoding            | `Accept-Encoding: gzip, deflate, br`        | `Accept-Encoding: br`                        | true
        §4.1 Accept-Encoding gzip vs br differ             | accept-encoding            | `Accept-Encoding: gzip`                     | `Accept-Encoding: br`                        | false
        §4.1 unrelated fields do not matter                | accept-language            | `Accept-Language: en | Cookie: a`           | `Cookie: b | Accept-Language: en`            | true
        §4.1 every nominated field counts                  | accept-language x-foo      | `Accept-Language: en | X-Foo: 1`            | `Accept-Language: en | X-Foo: 2`             | false
        §4.1 header order does not matter                  | accept-language x-foo      | `X-Foo: 1 | Accept-Language: en`            | `Accept-Language: en | X-Foo: 1`             | true
        §4.1 tabs are whitespace                           | x-foo                      | `X-Foo: a\tb`                               | `X-Foo: a b`                                 | true
        §4.1 comma inside quotes does not split            | x-foo                      | `X-Foo: "a,b"`                              | `X-Foo: "a, b"`                              | false
        """)
    void normalizesRequestValues(String section, String varyOn, String a, String b, boolean same) {
        List<String> names = List.of(varyOn.split(" "));
        String keyA = VaryKey.of(names, fields(a));
        String keyB = VaryKey.of(names, fields(b));
        if (same) {
            assertThat(keyA).as(section).isEqualTo(keyB);
        } else {
            assertThat(keyA).as(section).isNotEqualTo(keyB);
        }
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                     | Accept-Encoding lines (‖)     | coding
        RFC 9110 §12.5.3 all equal: br preferred          | `gzip, deflate, br`           | br
        RFC 9110 §12.5.3 higher q wins                    | `gzip;q=1, br;q=0.5`          | gzip
        RFC 9110 §12.5.3 equal q: br                      | `gzip;q=0.8, br;q=0.8`        | br
        RFC 9110 §12.5.3 br only                          | `br`                          | br
        RFC 9110 §12.5.3 gzip only                        | `gzip`                        | gzip
        RFC 9110 §12.5.3 x-gzip is gzip                   | `x-gzip`                      | gzip
        RFC 9110 §12.5.3 codings case-insensitive         | `GZIP`                        | gzip
        RFC 9110 §12.5.3 * covers br and gzip             | `*`                           | br
        RFC 9110 §12.5.3 br refused, * gives gzip         | `br;q=0, *`                   | gzip
        RFC 9110 §12.5.3 listed coding beats *            | `gzip;q=0.1, *;q=0.9`         | br
        RFC 9110 §12.5.3 *;q=0 refuses everything unlisted| `*;q=0`                       | identity
        RFC 9110 §12.5.3 all refused                      | `br;q=0, gzip;q=0`            | identity
        RFC 9110 §12.5.3 identity only                    | `identity`                    | identity
        RFC 9110 §12.5.3 unknown codings only             | `deflate, zstd`               | identity
        RFC 9110 §12.5.3 empty value: identity            | ``                            | identity
        RFC 9110 §12.4.2 q=0.000 refuses                  | `br;q=0.000, gzip`            | gzip
        RFC 9110 §12.4.2 Q is case-insensitive            | `br;Q=0, gzip`                | gzip
        RFC 9110 §12.4.2 OWS around ;                     | `br ; q=0.5 , gzip ; q=0.6`   | gzip
        RFC 9110 §12.4.2 garbage q refuses                | `br;q=high, gzip`             | gzip
        RFC 9110 §12.4.2 q above 1 refuses                | `br;q=2, gzip`                | gzip
        RFC 9110 §12.4.2 negative q refuses               | `br;q=-1, gzip`               | gzip
        RFC 9110 §12.4.2 NaN q refuses                    | `br;q=NaN, gzip`              | gzip
        RFC 9110 §12.4.2 other parameters ignored         | `br;level=1, gzip;q=0.5`      | br
        RFC 9110 §12.5.3 duplicate coding: best q counts  | `br;q=0, br;q=1, gzip;q=0.9`  | br
        RFC 9110 §12.4.2 member of only ';' ignored       | `;, gzip`                     | gzip
        RFC 9110 §12.4.2 only ';'                         | `;`                           | identity
        RFC 9110 §5.3 several lines                       | `gzip;q=0.9‖br;q=0.1`         | gzip
        """)
    void reducesAcceptEncoding(String section, String lines, String expected) {
        assertThat(VaryKey.normalizeAcceptEncoding(Arrays.asList(lines.split("‖", -1)))).as(section).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: [{1}] -> [{2}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                      | value                          | normalized
        §4.1 members trimmed and re-joined                 | ` a ,b,, c `                   | `a, b, c`
        §4.1 whitespace runs collapse                      | `a \t  b`                      | `a b`
        §4.1 whitespace around ; removed                   | `text/html \t; q=0.9`          | `text/html;q=0.9`
        §4.1 whitespace between two ; removed              | `a ; ; b`                      | `a;;b`
        §4.1 member of only ;                              | ` ; `                          | `;`
        RFC 9110 §5.6.4 escaped quote keeps the string open| `"a\\",b", c`                | `"a\\",b", c`
        RFC 9110 §5.6.4 unterminated quote runs to the end | `a, "b, c`                     | `a, "b, c`
        RFC 9110 §5.6.1 only separators                    | ` , ,\t, `                     | ``
        """)
    void normalizesOneValue(String section, String value, String expected) {
        assertThat(VaryKey.normalize("x-foo", List.of(value))).as(section).isEqualTo(expected == null ? "" : expected);
    }

    @Test
    void onlySpaceAndTabAreWhitespace() {
        // RFC 9110 §5.6.3 OWS; other control characters are kept, so a normalized value normalizes to itself
        // (the regex \\s also collapsed VT, FF, CR and LF, and "\u000Ba" became " a", then "a")
        for (String c : List.of("\u000B", "\f", "\r", "\n", "\u0000")) {
            String value = c + "a" + c + ";" + c + "b";
            assertThat(VaryKey.normalize("x-foo", List.of(value))).as("U+%04X", (int) c.charAt(0)).isEqualTo(value);
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void normalizesAMebibyteOfWhitespaceInLinearTime() {
        // Hardening item 7: the old normalizer ran replaceAll("\\s*;\\s*") and replaceAll("\\s+") per member, which
        // backtracks quadratically over a run of whitespace not followed by ';' (8,000 spaces: 130-270 ms; 64 KiB:
        // 8.6 s; this value: about 40 minutes). One linear scan does it in milliseconds.
        String spaces = "en" + " ".repeat(1 << 20) + "fr";
        String tabs = "en" + "\t ".repeat(1 << 19) + "fr";
        FieldLookup request = Messages.lines("Accept-Language: " + spaces, "X-Foo: " + tabs);
        assertThat(VaryKey.of(List.of("accept-language", "x-foo"), request))
                .isEqualTo("accept-language=en fr\u001fx-foo=en fr\u001f");
    }

    @Test
    void aKeyLongerThanTheLimitIsTooLongAndMatchesNothing() {
        // deviation (documented in VaryKey): past MAX_LENGTH the key is not built, stored or matched
        String name = "x-foo";
        int room = VaryKey.MAX_LENGTH - (name.length() + 2); // "x-foo=" + value + separator
        String longest = VaryKey.of(List.of(name), Messages.lines("X-Foo: " + "a".repeat(room)));
        assertThat(longest).hasSize(VaryKey.MAX_LENGTH).isNotEqualTo(VaryKey.TOO_LONG);
        assertThat(VaryKey.of(List.of(name), Messages.lines("X-Foo: " + "a".repeat(room + 1)))).isEqualTo(VaryKey.TOO_LONG);
        // a list spread over several lines and many names counts as a whole
        assertThat(VaryKey.of(List.of(name), Messages.lines("X-Foo: " + "a".repeat(room / 2), "X-Foo: " + "b".repeat(room / 2))))
                .isEqualTo(VaryKey.TOO_LONG);
        List<String> manyNames = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            manyNames.add(String.format("x-%04d", i));
        }
        assertThat(VaryKey.of(manyNames, FieldLookup.EMPTY)).isEqualTo(VaryKey.TOO_LONG);
        // what collapses under the limit is an ordinary key
        assertThat(VaryKey.of(List.of(name), Messages.lines("X-Foo: a" + " ".repeat(2 * VaryKey.MAX_LENGTH) + "b")))
                .isEqualTo("x-foo=a b\u001f");
    }

    @Test
    void tooLongNeverEqualsARealKey() {
        // real keys are empty or end with the separator; TOO_LONG does neither
        assertThat(VaryKey.TOO_LONG).isNotEmpty().doesNotEndWith("\u001f");
        assertThat(VaryKey.of(List.of(VaryKey.TOO_LONG), FieldLookup.EMPTY)).isNotEqualTo(VaryKey.TOO_LONG);
    }
}
