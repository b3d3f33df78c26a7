package io.blueorigin.cdn.admin.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad settings are refused with the setting's name. */
class HealthCheckConfigTest {
    /** interval ms | timeout ms | rise | fall | max lag ms | flap window ms | setting named (empty: accepted). */
    @ParameterizedTest(name = "row {0}")
    @CsvSource(delimiter = '|', textBlock = """
         1 |   500 |  400 |   2 |   2 | 30000 | 60000 |
         2 |   100 |   50 |   1 |   1 |  1000 |     0 |
         3 |    99 |   50 |   2 |   2 | 30000 | 60000 | health.interval
         4 | 60001 |  400 |   2 |   2 | 30000 | 60000 | health.interval
         5 |   500 |  500 |   2 |   2 | 30000 | 60000 | health.timeout
         6 |   500 |   49 |   2 |   2 | 30000 | 60000 | health.timeout
         7 |   500 |  400 |   0 |   2 | 30000 | 60000 | health.rise
         8 |   500 |  400 | 101 |   2 | 30000 | 60000 | health.rise
         9 |   500 |  400 |   2 |   0 | 30000 | 60000 | health.fall
        10 |   500 |  400 |   2 |   2 |   999 | 60000 | health.max-invalidation-lag
        11 |   500 |  400 |   2 |   2 | 30000 |    -1 | health.flap-window
        """)
    void validates(int row, long interval, long timeout, int rise, int fall, long maxLag, long flapWindow, String named) {
        if (named == null) {
            HealthCheckConfig config = new HealthCheckConfig(Duration.ofMillis(interval), Duration.ofMillis(timeout), rise,
                    fall, Duration.ofMillis(maxLag), Duration.ofMillis(flapWindow));
            assertThat(config.rise()).isEqualTo(rise);
        } else {
            assertThatThrownBy(() -> new HealthCheckConfig(Duration.ofMillis(interval), Duration.ofMillis(timeout), rise,
                    fall, Duration.ofMillis(maxLag), Duration.ofMillis(flapWindow)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(named + " :");
        }
    }
}
