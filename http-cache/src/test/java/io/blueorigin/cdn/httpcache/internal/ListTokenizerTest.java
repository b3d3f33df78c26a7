package io.blueorigin.cdn.httpcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9110 §5.6.1 lists and §5.6.4 quoted strings. Expected members are joined with {@code ‖}. */
class ListTokenizerTest {

    @ParameterizedTest(name = "{0}: [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                          | field value                 | members
        §5.6.1 one member                      | `a`                         | `a`
        §5.6.1 members split at commas         | `a,b`                       | `a‖b`
        §5.6.1 OWS around members trimmed      | ` a ,	b `                 | `a‖b`
        §5.6.1.2 empty members dropped         | `a, , b`                    | `a‖b`
        §5.6.1.2 only commas                   | `, ,,`                      | ``
        §5.6.1.2 empty value                   | ``                          | ``
        §5.6.1.2 leading and trailing commas   | `,a,`                       | `a`
        §5.6.4 quoted comma does not split     | `a="x, y", b`               | `a="x, y"‖b`
        §5.6.4 escaped quote stays quoted      | `a="x\\", y", b`            | `a="x\\", y"‖b`
        §5.6.4 escaped backslash ends escape   | `a="x\\\\", b`              | `a="x\\\\"‖b`
        §5.6.4 unterminated quote runs to end  | `a, "b, c`                  | `a‖"b, c`
        §5.6.4 unterminated after escape       | `"x\\`                      | `"x\\`
        §5.6.4 quotes inside a token           | `x"a,b"y, z`                | `x"a,b"y‖z`
        """)
    void splitsMembers(String section, String value, String expected) {
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split("‖"));
        assertThat(ListTokenizer.members(value)).as(section).isEqualTo(want);
    }

    @Test
    void joinsTheMembersOfEveryLine() {
        // RFC 9110 §5.3: several field lines are one comma-separated list
        assertThat(ListTokenizer.members(List.of("a, b", "", "c"))).containsExactly("a", "b", "c");
        assertThat(ListTokenizer.members(List.of())).isEmpty();
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        §5.6.4 token returned as is           | `abc`          | `abc`
        §5.6.4 quoted string unquoted         | `"abc"`        | `abc`
        §5.6.4 quoted-pair                    | `"a\\"b"`      | `a"b`
        §5.6.4 escaped backslash              | `"a\\\\b"`     | `a\\b`
        §5.6.4 empty quoted string            | `""`           | ``
        §5.6.4 unterminated runs to the end   | `"abc`         | `abc`
        §5.6.4 text after the closing quote   | `"a"b`         | `a`
        §5.6.4 trailing lone backslash kept   | `"a\\`         | `a\\`
        §5.6.4 empty input                    | ``             | ``
        """)
    void unquotes(String section, String value, String expected) {
        assertThat(ListTokenizer.unquote(value)).as(section).isEqualTo(expected);
    }
}
