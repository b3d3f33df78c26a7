package io.blueorigin.cdn.httpcache;

import static io.blueorigin.cdn.httpcache.Messages.at;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9111 §4.2.3 age calculation. Times are seconds relative to T; a blank Date is absent. */
class AgeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # RFC 9111 §4.2.3 case                                      | Age | Date | request | response | corrected_initial_age ms
        nothing known: age 0                                        | 0   |      | 0       | 0        | 0
        apparent_age = response_time - date_value                   | 0   | -10  | 0       | 0        | 10000
        apparent_age with a request before the Date                 | 0   | -10  | -12     | 0        | 12000
        response_delay = response_time - request_time               | 0   |      | -2      | 0        | 2000
        corrected_age_value = age_value + response_delay            | 30  |      | -2      | 0        | 32000
        corrected_age_value larger than apparent_age                | 30  | -10  | -2      | 0        | 32000
        apparent_age larger than corrected_age_value                | 0   | -8   | -2      | 0        | 8000
        apparent_age at the skew allowance (10 s) counts            | 0   | -10  | 0       | 0        | 10000
        clock skew: Date 11 s behind is a wrong clock, not age      | 0   | -11  | 0       | 0        | 0
        clock skew: Date an hour behind, the Age field still counts | 30  | -3600 | -2     | 0        | 32000
        clock skew: Date after response_time counts as 0            | 0   | 50   | 0       | 0        | 0
        clock skew: Date in the future, Age still counts            | 5   | 50   | -1      | 0        | 6000
        negative age_value counts as 0                              | -5  |      | 0       | 0        | 0
        response before request counts no delay                     | 0   |      | 5       | 0        | 0
        age_value capped at 2^31 seconds                            | 4294967296 |  | 0   | 0        | 2147483648000
        """)
    void correctedInitialAge(String section, long ageSeconds, Long dateOffset, long requestOffset, long responseOffset,
            long expectedMillis) {
        long date = dateOffset == null ? -1 : at(dateOffset);
        assertThat(Age.correctedInitialAge(ageSeconds, date, at(requestOffset), at(responseOffset)))
                .as(section).isEqualTo(expectedMillis);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # RFC 9111 §4.2.3 case                                  | corrected_initial_age ms | response | now  | current_age ms
        resident_time = now - response_time                     | 0                        | 0        | 10   | 10000
        current_age = corrected_initial_age + resident_time     | 5000                     | 0        | 10   | 15000
        at response_time: the initial age                       | 5000                     | 0        | 0    | 5000
        a clock that went backwards adds nothing                | 5000                     | 0        | -10  | 5000
        a clock an hour back adds nothing either                | 5000                     | 0        | -3600 | 5000
        saturates instead of overflowing                        | 9223372036854775807      | 0        | 10   | 9223372036854775807
        """)
    void currentAge(String section, long initialAge, long responseOffset, long nowOffset, long expectedMillis) {
        assertThat(Age.currentAge(initialAge, at(responseOffset), at(nowOffset))).as(section).isEqualTo(expectedMillis);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # this clock stepped back since the response arrived   | response | now  | received in the future
        received now                                           | 0        | 0    | false
        a step back within the skew allowance (10 s)           | 0        | -10  | false
        a step back beyond it                                  | 0        | -11  | true
        an hour back                                           | 0        | -3600 | true
        """)
    void receivedInTheFuture(String section, long responseOffset, long nowOffset, boolean expected) {
        assertThat(Age.receivedInTheFuture(at(responseOffset), at(nowOffset))).as(section).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # RFC 9111 §5.1                          | current_age ms       | Age header
        whole seconds, rounded down              | 1999                 | 1
        under a second is 0                      | 999                  | 0
        zero                                     | 0                    | 0
        capped at 2^31                           | 9223372036854775807  | 2147483648
        """)
    void headerSeconds(String section, long currentAgeMillis, long expected) {
        assertThat(Age.headerSeconds(currentAgeMillis)).as(section).isEqualTo(expected);
    }
}
