package io.blueorigin.cdn.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which form field an API refusal is about (the console puts the message next to it). */
class ApiExceptionTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        "'urls[2]: not a URL'                    | urls",
        "'pattern: not a valid RE2 expression'   | pattern",
        "'ttlSeconds: required'                  | ttlSeconds",
        "'origins.url: bad'                      | origins",
        "'no site www (GET /api/v1/sites)'       | none",
        "'entry 7 is a purge, not a ban'         | none",
        "':odd'                                  | none",
    })
    void theFieldIsTheNameTheMessageStartsWith(String message, String field) {
        assertThat(ApiException.badRequest(message).fieldName().orElse(null)).isEqualTo(field);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"site | site: no site 'x'", "origins[0].url | origins[0].url: bad"})
    void aNamedFieldWins(String field, String message) {
        assertThat(ApiException.badField(field, message).fieldName()).hasValue(field.replaceAll("[\\[.].*$", ""));
    }
}
