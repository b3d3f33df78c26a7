package io.blueorigin.cdn.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link GeoLocator} against MaxMind's GeoIP2 City test database ({@code src/test/resources/geoip/}; the
 * records are listed in {@code /work/shared/geoip/GeoIP2-City-Test.json}).
 */
class GeoLocatorTest {
    private static GeoLocator geo;

    @BeforeAll
    static void open() throws Exception {
        geo = GeoLocator.open(resource("GeoIP2-City-Test.mmdb"));
    }

    @AfterAll
    static void close() {
        geo.close();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
        # address                     | place in the test data       | latitude  | longitude
        81.2.69.160                   | London GB                    | 51.5142   | -0.0931
        81.2.69.142                   | London GB, first of a /127   | 51.5142   | -0.0931
        ::ffff:81.2.69.160            | London GB, IPv4-mapped       | 51.5142   | -0.0931
        ::ffff:5102:45a0              | London GB, mapped in hex     | 51.5142   | -0.0931
        2.125.160.216                 | Boxford GB                   | 51.75     | -1.25
        216.160.83.56                 | Milton US                    | 47.2513   | -122.3149
        214.78.120.1                  | San Diego US                 | 32.7405   | -117.0935
        89.160.20.113                 | Linköping SE                 | 58.4167   | 15.6167
        2001:218::1                   | JP, IPv6                     | 35.68536  | 139.75309
        2001:218:0:0:0:0:0:1          | JP, IPv6 written in full     | 35.68536  | 139.75309
        2A02:D180::ABCD               | DE, IPv6 in capitals         | 51.5      | 10.5
        """)
    void locatesPublicAddresses(String address, String place, double latitude, double longitude) {
        Coordinates found = geo.locate(address).orElseThrow(() -> new AssertionError(place + " not located"));

        assertThat(found.latitude()).as(place).isCloseTo(latitude, within(1e-4));
        assertThat(found.longitude()).as(place).isCloseTo(longitude, within(1e-4));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        // malformed
        "", " ", "999.1.1.1", "256.0.0.1", "1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3", "01.2.69.160", "81.2.69.160 ",
        "abc", "localhost", "example.com", "::ffff:zz", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
        "2001:218::1%eth0", "[2001:218::1]", "81.2.69.160:80", "::ffff:81.2.69", "12345::", "８１.2.69.160",
        "1:2:3:4:5:6:7:1.2.3.4", "1.2.3.4::",
        // not public: private, loopback, link-local, unique-local, multicast, CGNAT, unspecified
        "10.0.0.1", "172.16.5.4", "192.168.1.1", "127.0.0.1", "169.254.1.1", "100.64.0.1", "0.0.0.0",
        "224.0.0.1", "255.255.255.255", "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1",
        "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::192.168.1.1",
        // public but unknown to the database, or known without a location
        "1.1.1.1", "8.8.8.8", "2606:4700::1111", "214.1.1.1", "::2.3.3.1"
    })
    void emptyForMalformedNonPublicOrUnknownAddresses(String address) {
        assertThat(geo.locate(address)).isEmpty();
    }

    @Test
    void hugeInputIsEmptyNotAnException() {
        assertThat(geo.locate("1".repeat(64 * 1024))).isEmpty();
        assertThat(geo.locate(":".repeat(64 * 1024))).isEmpty();
    }

    @Test
    void countsNoErrorsForOrdinaryMisses() {
        geo.locate("1.1.1.1");
        geo.locate("garbage");

        assertThat(geo.lookupErrors()).isZero();
        assertThat(geo.describe()).startsWith("GeoIP2-City");
    }

    @Test
    void aMissingFileNamesTheKeyAndThePath(@TempDir Path dir) {
        Path missing = dir.resolve("nope.mmdb");

        assertThatThrownBy(() -> GeoLocator.open(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("routing.geoip-db")
                .hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> GeoLocator.open(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no such readable file");
    }

    @Test
    void aFileThatIsNotAMaxMindDbIsRefused(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("city.mmdb"), "not a database");
        Path empty = Files.createFile(dir.resolve("empty.mmdb"));

        assertThatThrownBy(() -> GeoLocator.open(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("routing.geoip-db")
                .hasMessageContaining(text.toString())
                .hasMessageContaining("not a MaxMind DB file");
        assertThatThrownBy(() -> GeoLocator.open(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a MaxMind DB file");
    }

    @Test
    void aCountryDatabaseIsRefused() throws Exception {
        Path country = resource("GeoLite2-Country-Test.mmdb");

        assertThatThrownBy(() -> GeoLocator.open(country))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("routing.geoip-db")
                .hasMessageContaining(country.toString())
                .hasMessageContaining("a GeoLite2-Country database");
    }

    @Test
    void lookupsAfterCloseAreCountedErrorsNotExceptions() throws Exception {
        GeoLocator closed = GeoLocator.open(resource("GeoIP2-City-Test.mmdb"));
        closed.close();

        assertThat(closed.locate("81.2.69.160")).isEqualTo(Optional.empty());
        assertThat(closed.lookupErrors()).isEqualTo(1);
    }

    private static Path resource(String name) throws Exception {
        return Path.of(GeoLocatorTest.class.getResource("/geoip/" + name).toURI());
    }
}
