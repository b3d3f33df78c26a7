package io.blueorigin.cdn.httpcache.site;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.site.QueryPolicy.Mode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each query mode leaves of a canonical query ({@code ~} stands for null: no query). */
class QueryPolicyTest {

    @ParameterizedTest(name = "{0} {1} of {2}")
    @CsvSource(delimiter = '|', nullValues = "~", textBlock = """
        # mode       | allow   | query                    | result
        KEEP         |         | b=2&a=1                  | b=2&a=1
        KEEP         |         | ~                        | ~
        KEEP         |         | ''                       | ''
        SORTED       |         | b=2&a=1&c                | a=1&b=2&c
        SORTED       |         | b=2&a=3&b=1&a=2          | a=3&a=2&b=2&b=1
        SORTED       |         | a=2&a=1&a                | a=2&a=1&a
        SORTED       |         | a=1&ab=0&a               | a=1&a&ab=0
        SORTED       |         | B=1&a=1                  | B=1&a=1
        SORTED       |         | ~                        | ~
        DROP         |         | a=1                      | ~
        DROP         |         | ~                        | ~
        ALLOW_LIST   | w h     | h=2&x=1&w=3              | h=2&w=3
        ALLOW_LIST   | w h     | w=3&h=2&w=1              | w=3&h=2&w=1
        ALLOW_LIST   | w h     | x=1&y=2                  | ~
        ALLOW_LIST   | w h     | W=1&ww=2&w               | w
        ALLOW_LIST   | w       | w%3D=1&w=2               | w=2
        ALLOW_LIST   | w       | ~                        | ~
        """)
    void applies(Mode mode, String allow, String query, String result) {
        QueryPolicy policy = new QueryPolicy(mode, allow == null ? List.of() : Arrays.asList(allow.split(" ")));
        assertThat(policy.apply(query)).isEqualTo(result);
    }

    @Test
    void keepIsTheDefault() {
        assertThat(QueryPolicy.fromMap(null, "caching.query")).isEqualTo(QueryPolicy.KEEP);
        assertThat(QueryPolicy.fromMap(SiteTest.map(), "caching.query")).isEqualTo(QueryPolicy.KEEP);
        assertThat(QueryPolicy.KEEP.toMap()).isEqualTo(SiteTest.map("mode", "keep"));
        assertThat(QueryPolicy.fromMap(SiteTest.map("mode", "allow-list", "allow", List.of("w", "h")), "q"))
                .isEqualTo(new QueryPolicy(Mode.ALLOW_LIST, List.of("w", "h")));
    }
}
