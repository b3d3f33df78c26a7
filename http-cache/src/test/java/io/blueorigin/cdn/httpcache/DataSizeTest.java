package io.blueorigin.cdn.httpcache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataSizeTest {

    @ParameterizedTest
    @CsvSource({
        "4096, 4096",
        "0, 0",
        "1k, 1024",
        "1KB, 1024",
        "1KiB, 1024",
        "512MB, 536870912",
        "512 mb, 536870912",
        "1g, 1073741824",
        "2GiB, 2147483648",
        "1TB, 1099511627776",
        "10B, 10",
    })
    void parsesSizesInPowersOf1024(String text, long bytes) {
        assertThat(DataSize.parse(text)).contains(DataSize.ofBytes(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MB", "-1MB", "1.5GB", "12 parsecs", "99999999999999999999", "9999999999TB", "1XB"})
    void rejectsWhatIsNotASize(String text) {
        assertThat(DataSize.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"536870912, 512MB", "1073741824, 1GB", "1572864, 1536KB", "1000, 1000B", "0, 0B"})
    void printsTheLargestExactUnit(long bytes, String text) {
        assertThat(DataSize.ofBytes(bytes)).hasToString(text);
        assertThat(DataSize.parse(text)).contains(DataSize.ofBytes(bytes));
    }
}
