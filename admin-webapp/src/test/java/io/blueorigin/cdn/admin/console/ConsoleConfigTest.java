package io.blueorigin.cdn.admin.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** console.session-idle and console.session-lifetime: bounds, each refusal naming its key. */
class ConsoleConfigTest {
    @ParameterizedTest(name = "idle {0}s, lifetime {1}s -> {2}")
    @CsvSource(delimiter = '|', value = {
        "1800    | 43200   | ok",
        "60      | 60      | ok",
        "59      | 43200   | console.session-idle",
        "7200    | 3600    | console.session-idle",
        "1800    | 2592000 | ok",
        "1800    | 2592001 | console.session-lifetime",
    })
    void sessionsAreBounded(long idle, long lifetime, String outcome) {
        if (outcome.equals("ok")) {
            assertThat(new ConsoleConfig(Duration.ofSeconds(idle), Duration.ofSeconds(lifetime)).sessionIdle())
                    .isEqualTo(Duration.ofSeconds(idle));
        } else {
            assertThatThrownBy(() -> new ConsoleConfig(Duration.ofSeconds(idle), Duration.ofSeconds(lifetime)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(outcome + " : ");
        }
        assertThat(ConsoleConfig.DEFAULTS.sessionIdle()).isEqualTo(Duration.ofMinutes(30));
    }
}
