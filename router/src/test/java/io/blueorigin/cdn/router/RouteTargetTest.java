package io.blueorigin.cdn.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which {@code /route/...} targets may follow an edge's URL unchanged ({@link RouterHandler#originFormSafe}). */
class RouteTargetTest {
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            /                          | true
            /a/b.js?v=1&x=%20y         | true
            /%0d%0aSet-Cookie:x        | true
            a/b                        | false
            //evil.test/x              | false
            `/a b`                     | false
            `/a\tb`                    | false
            /a#frag                    | false
            /a\\b                      | false
            /caf\u00e9                 | false
            """)
    void acceptsVisibleAsciiOriginForm(String target, boolean expected) {
        assertThat(RouterHandler.originFormSafe(target.replace("\\t", "\t").replace("\\u00e9", "\u00e9")))
                .isEqualTo(expected);
    }
}
