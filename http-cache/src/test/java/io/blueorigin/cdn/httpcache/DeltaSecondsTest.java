package io.blueorigin.cdn.httpcache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9111 §1.2.2 delta-seconds. */
class DeltaSecondsTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC 9111 §1.2.2                             | value                    | parsed
        decimal                                       | `60`                     | 60
        zero                                          | `0`                      | 0
        leading zeros                                 | `007`                    | 7
        2^31 - 1                                      | `2147483647`             | 2147483647
        2^31                                          | `2147483648`             | 2147483648
        too large: the greatest it can represent      | `2147483649`             | 2147483648
        far too large                                 | `99999999999999999999999` | 2147483648
        too large with a bad tail is invalid          | `99999999999x`           | -1
        negative                                      | `-1`                     | -1
        plus sign                                     | `+1`                     | -1
        decimal point                                 | `1.0`                    | -1
        whitespace is the caller's to trim            | ` 1`                     | -1
        empty                                         | ``                       | -1
        letters                                       | `ten`                    | -1
        non-ASCII digits                              | `١٢`                     | -1
        """)
    void parses(String section, String value, long expected) {
        assertThat(DeltaSeconds.parse(value)).as(section).isEqualTo(expected);
    }

    @Test
    void noArgumentIsInvalid() {
        assertThat(DeltaSeconds.parse(null)).isEqualTo(-1);
    }
}
