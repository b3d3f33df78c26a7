package io.blueorigin.cdn.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.admin.Scope;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How console paths match route patterns (segment by segment, {x} takes one non-empty segment). */
class ConsoleRouteTest {
    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        "/                          | /                        | ''",
        "/bans                      | /bans                    | ''",
        "/bans/{id}/lift            | /bans/7/lift             | id=7",
        "/bans/{id}/lift            | /bans//lift              | none",
        "/bans/{id}/lift            | /bans/7/lift/            | none",
        "/bans/{id}/lift            | /bans/7                  | none",
        "/invalidations/{id}        | /invalidations           | none",
        "/reports/{file}            | /reports/a.sql.csv       | file=a.sql.csv",
        "/nodes/{name}/drain        | /nodes/edge-nyc/drain    | name=edge-nyc",
    })
    void patternsMatchSegmentBySegment(String pattern, String path, String expected) {
        Optional<Map<String, String>> match = ConsoleRoute.get(pattern, Scope.READ, e -> { }).match(path);
        if (expected == null) {
            assertThat(match).isEmpty();
        } else if (expected.isEmpty()) {
            assertThat(match).hasValue(Map.of());
        } else {
            String[] kv = expected.split("=", 2);
            assertThat(match).hasValue(Map.of(kv[0], kv[1]));
        }
    }
}
