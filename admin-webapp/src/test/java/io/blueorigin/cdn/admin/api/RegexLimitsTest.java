package io.blueorigin.cdn.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegexLimitsTest {

    /** regex => largest product of nested counted repetitions. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = "=>", value = {
        "abc                         => 1",
        "(a+)+$                      => 1",
        "a{5}                        => 5",
        "a{2,7}                      => 7",
        "a{3,}                       => 3",
        "(a{5}){7}                   => 35",
        "(?:a{5}b){7}                => 35",
        "((a{10}){10}){10}           => 1000",
        "a{10}b{10}c{10}             => 10",
        "(a{10}|b{20}){3}            => 60",
        "[{]{1000}                   => 1000",
        "[a(]{5}(b)                  => 5",
        "\\({1000}                   => 1000",
        "\\Q(a{1000}\\E{2}            => 2",
        "\\p{Greek}{4}                => 4",
        "a{x}                        => 1",
        "a{                          => 1",
        "(((                         => 1",
        ")))a{3}                     => 3",
    })
    void multipliesNestedCountsOnly(String regex, long product) {
        assertThat(RegexLimits.nestedRepeatProduct(regex)).isEqualTo(product);
    }
}
