package io.blueorigin.cdn.httpcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9110 §8.8.3 entity tags: syntax, comparison and the lists of §13.1.1/§13.1.2. */
class EntityTagTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                          | value        | opaque, or "invalid" | weak
        §8.8.3 strong tag                      | `"xyzzy"`    | xyzzy                | false
        §8.8.3 weak tag                        | `W/"xyzzy"`  | xyzzy                | true
        §8.8.3 empty opaque tag                | `""`         | ``                   | false
        §8.8.3 empty weak tag                  | `W/""`       | ``                   | true
        §8.8.3 surrounding OWS ignored         | ` "a" `      | a                    | false
        §8.8.3 %x21 allowed                    | `"!"`        | !                    | false
        §8.8.3 obs-text allowed                | `"é"`        | é                    | false
        §8.8.3 unquoted                        | `xyzzy`      | invalid              | false
        §8.8.3 weak prefix is case-sensitive   | `w/"a"`      | invalid              | false
        §8.8.3 missing closing quote           | `"abc`       | invalid              | false
        §8.8.3 lone quote                      | `"`          | invalid              | false
        §8.8.3 inner quote                     | `"a"b"`      | invalid              | false
        §8.8.3 space inside                    | `"a b"`      | invalid              | false
        §8.8.3 DEL inside                      | `"a\u007fb"` | invalid              | false
        §8.8.3 two tags are not one            | `"a", "b"`   | invalid              | false
        §8.8.3 W/ alone                        | `W/`         | invalid              | false
        §8.8.3 empty                           | ``           | invalid              | false
        """)
    void parses(String section, String value, String opaque, boolean weak) {
        String v = value.replace("\\u007f", "\u007f");
        if (opaque.equals("invalid")) {
            assertThat(EntityTag.parse(v)).as(section).isEmpty();
        } else {
            assertThat(EntityTag.parse(v)).as(section).contains(new EntityTag(opaque, weak));
        }
    }

    /** The example table of RFC 9110 §8.8.3.2, plus the identity rows. */
    @ParameterizedTest(name = "{0}: {1} vs {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                        | ETag 1     | ETag 2     | strong | weak
        §8.8.3.2 row 1                       | `W/"1"`    | `W/"1"`    | false  | true
        §8.8.3.2 row 2                       | `W/"1"`    | `W/"2"`    | false  | false
        §8.8.3.2 row 3                       | `W/"1"`    | `"1"`      | false  | true
        §8.8.3.2 row 4                       | `"1"`      | `"1"`      | true   | true
        §8.8.3.2 strong tags that differ     | `"1"`      | `"2"`      | false  | false
        §8.8.3.2 row 3 reversed              | `"1"`      | `W/"1"`    | false  | true
        §8.8.3.2 opaque-tags case-sensitive  | `"a"`      | `"A"`      | false  | false
        """)
    void compares(String section, String a, String b, boolean strong, boolean weak) {
        EntityTag one = EntityTag.parse(a).orElseThrow();
        EntityTag two = EntityTag.parse(b).orElseThrow();
        assertThat(one.strongMatches(two)).as(section + " strong").isEqualTo(strong);
        assertThat(two.strongMatches(one)).as(section + " strong, symmetric").isEqualTo(strong);
        assertThat(one.weakMatches(two)).as(section + " weak").isEqualTo(weak);
        assertThat(two.weakMatches(one)).as(section + " weak, symmetric").isEqualTo(weak);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                | If-None-Match / If-Match value   | members
        §13.1.2 one tag                              | `"a"`                            | `"a"`
        §13.1.2 list of tags                         | `"a", W/"b",  "c"`               | `"a" W/"b" "c"`
        §13.1.2 no spaces                            | `"a","b"`                        | `"a" "b"`
        §13.1.2 star                                 | `*`                              | `*`
        §13.1.2 star among tags, as sent             | `"a", *`                         | `"a" *`
        §5.6.1 empty members                         | `, "a" ,, "b",`                  | `"a" "b"`
        §13.1.2 comma inside a tag is part of it     | `"a,b", "c"`                     | `"a,b" "c"`
        §8.8.3 unquoted garbage skipped              | `foo, "a", bar baz, "b"`         | `"a" "b"`
        §8.8.3 W/ without quotes skipped             | `W/a, "b"`                       | `"b"`
        §8.8.3 unterminated tag ends the value       | `"a", "b`                        | `"a"`
        §8.8.3 invalid characters inside skipped     | `"a b", "c"`                     | `"c"`
        §13.1.2 empty value                          | ``                               | ``
        """)
    void parsesLists(String section, String value, String expected) {
        String got = EntityTag.parseList(List.of(value)).stream()
                .map(t -> t == EntityTag.ANY ? "*" : t.toString())
                .collect(Collectors.joining(" "));
        assertThat(got).as(section).isEqualTo(expected);
    }

    @Test
    void listsSpanFieldLines() {
        // RFC 9110 §5.3: several lines are one list
        assertThat(EntityTag.parseList(List.of("\"a\"", "W/\"b\""))).containsExactly(
                new EntityTag("a", false), new EntityTag("b", true));
        assertThat(EntityTag.parseList(List.of("*")).get(0)).isSameAs(EntityTag.ANY);
    }

    @Test
    void quotedStarIsATagNotAny() {
        // §13.1.2: only the bare * means "any"; "*" is an ordinary opaque-tag
        assertThat(EntityTag.parseList(List.of("\"*\"")).get(0)).isNotSameAs(EntityTag.ANY).isEqualTo(new EntityTag("*", false));
    }

    @Test
    void printsTheFieldValueForm() {
        assertThat(new EntityTag("a", false)).hasToString("\"a\"");
        assertThat(new EntityTag("a", true)).hasToString("W/\"a\"");
    }
}
