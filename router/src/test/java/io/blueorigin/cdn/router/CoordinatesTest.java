package io.blueorigin.cdn.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CoordinatesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        # case                         | lat1    | lon1     | lat2     | lon2      | km
        Paris to London                | 48.8566 | 2.3522   | 51.5074  | -0.1278   | 343.56
        same point                     | 51.47   | -0.45    | 51.47    | -0.45     | 0
        across the antimeridian        | 0       | 179.5    | 0        | -179.5    | 111.195
        pole to pole                   | 90      | 0        | -90      | 0         | 20015.11
        antipodes                      | 10      | 20       | -10      | -160      | 20015.11
        London to JFK                  | 51.4700 | -0.4543  | 40.6413  | -73.7781  | 5540.02
        """)
    void haversineDistance(String name, double lat1, double lon1, double lat2, double lon2, double km) {
        Coordinates a = new Coordinates(lat1, lon1);
        Coordinates b = new Coordinates(lat2, lon2);

        assertThat(a.distanceKm(b)).as(name).isCloseTo(km, within(0.01));
        assertThat(b.distanceKm(a)).as(name + ", reversed").isCloseTo(km, within(0.01));
    }

    @Test
    void rejectsOutOfRangeAndNaN() {
        assertThatThrownBy(() -> new Coordinates(90.1, 0)).hasMessageContaining("latitude in [-90, 90]");
        assertThatThrownBy(() -> new Coordinates(0, -180.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Coordinates(Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Coordinates(0, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Coordinates(-90, 180)).isEqualTo(new Coordinates(-90, 180));
    }
}
