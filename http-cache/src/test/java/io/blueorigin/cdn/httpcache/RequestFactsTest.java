package io.blueorigin.cdn.httpcache;

import static io.blueorigin.cdn.httpcache.Messages.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9110 §9 methods as the cache sees them, and the field lookups it reads them through. */
class RequestFactsTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
        # RFC 9110 section                      | method  | GET or HEAD | safe
        §9.3.1 GET                              | GET     | true        | true
        §9.3.2 HEAD                             | HEAD    | true        | true
        §9.3.7 OPTIONS                          | OPTIONS | false       | true
        §9.3.8 TRACE                            | TRACE   | false       | true
        §9.3.3 POST                             | POST    | false       | false
        §9.3.4 PUT                              | PUT     | false       | false
        §9.3.5 DELETE                           | DELETE  | false       | false
        §9.3.6 CONNECT                          | CONNECT | false       | false
        §9.2.1 unknown methods are unsafe       | PURGE   | false       | false
        §9.1 methods are case-sensitive         | get     | false       | false
        """)
    void classifiesMethods(String section, String method, boolean getOrHead, boolean safe) {
        RequestFacts r = RequestFacts.of(method, FieldLookup.EMPTY);
        assertThat(r.isGetOrHead()).as(section).isEqualTo(getOrHead);
        assertThat(r.isSafe()).as(section).isEqualTo(safe);
    }

    @Test
    void parsesItsDirectivesAndSeesAuthorization() {
        RequestFacts r = RequestFacts.of("GET", fields("authorization: Bearer x | Cache-Control: no-store"));
        assertThat(r.hasAuthorization()).isTrue();
        assertThat(r.directives().noStore()).isTrue();
        assertThat(RequestFacts.of("GET", FieldLookup.EMPTY).hasAuthorization()).isFalse();
    }

    @Test
    void looksFieldsUpCaseInsensitivelyInOrder() {
        // RFC 9110 §5.1 names are case-insensitive; §5.3 line order is significant
        List<Field> lines = List.of(new Field("X-A", "1"), new Field("Y", "2"), new Field("x-a", "3"));
        for (FieldLookup lookup : List.of(new FieldList(lines), FieldLookup.of(lines))) {
            assertThat(lookup.values("x-A")).containsExactly("1", "3");
            assertThat(lookup.first("X-a")).isEqualTo("1");
            assertThat(lookup.first("Z")).isNull();
            assertThat(lookup.has("y")).isTrue();
            assertThat(lookup.values("Z")).isEmpty();
        }
        assertThat(FieldLookup.EMPTY.has("X-A")).isFalse();
    }
}
