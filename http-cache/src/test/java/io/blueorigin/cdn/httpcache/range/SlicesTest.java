package io.blueorigin.cdn.httpcache.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@link Slices}: the slice arithmetic as tables (slice size 100 unless a row says otherwise). */
class SlicesTest {

    @ParameterizedTest(name = "{0} bytes in slices of {1}: {2} slices, sliceable {3}")
    @CsvSource(delimiter = '|', textBlock = """
        0        | 100 | 0       | false
        1        | 100 | 1       | true
        99       | 100 | 1       | true
        100      | 100 | 1       | true
        101      | 100 | 2       | true
        1048576  | 65536 | 16    | true
        10000000 | 100 | 100000  | true
        10000001 | 100 | 100001  | false
        """)
    void count(long total, long size, long count, boolean sliceable) {
        assertThat(Slices.count(total, size)).isEqualTo(count);
        assertThat(Slices.sliceable(total, size)).isEqualTo(sliceable);
    }

    @ParameterizedTest(name = "slice {0} of {1} bytes: {2}")
    @CsvSource(delimiter = '|', textBlock = """
        0 | 250 | 0-99
        1 | 250 | 100-199
        2 | 250 | 200-249
        3 | 250 | none
        0 | 100 | 0-99
        1 | 100 | none
        0 | 1   | 0-0
        -1 | 250 | none
        """)
    void bytesOfASlice(long index, long total, String bytes) {
        assertThat(Slices.bytesOf(index, 100, total).map(ByteRange::toString).orElse("none")).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0}: slices {1}-{2}")
    @CsvSource(delimiter = '|', textBlock = """
        0-0     | 0 | 0
        0-99    | 0 | 0
        99-100  | 0 | 1
        100-199 | 1 | 1
        150-420 | 1 | 4
        950-999 | 9 | 9
        """)
    void slicesCoveringARange(String range, long first, long last) {
        String[] p = range.split("-");
        Slices.Covering c = Slices.covering(new ByteRange(Long.parseLong(p[0]), Long.parseLong(p[1])), 100);
        assertThat(c).isEqualTo(new Slices.Covering(first, last));
        assertThat(c.count()).isEqualTo(last - first + 1);
    }

    @ParameterizedTest(name = "slice {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
        0  | bytes=0-99
        1  | bytes=100-199
        15 | bytes=1500-1599
        """)
    void theRangeAskedUpstreamIsUnclipped(long index, String field) {
        assertThat(Slices.requestRange(index, 100)).isEqualTo(field);
    }

    @Test
    void aSliceRequestNeverOverflows() {
        long last = Long.MAX_VALUE / 100 - 1;
        assertThat(Slices.requestRange(last, 100)).endsWith("-" + ((last + 1) * 100 - 1));
        assertThatThrownBy(() -> Slices.requestRange(last + 1, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Slices.count(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "Range ''{0}'': first slice {1}")
    @CsvSource(delimiter = '|', textBlock = """
        ''                          | 0
        bytes=0-10                  | 0
        bytes=950-                  | 9
        bytes=1000-1100             | 10
        bytes=-500                  | 0
        bytes=250-260,0-5           | 2
        items=300-400               | 0
        bytes=x                     | 0
        bytes=99999999999999999999- | 92233720368547757
        """)
    void theSliceFetchedFirst(String range, long index) {
        assertThat(Slices.firstIndex(range.isEmpty() ? List.of() : List.of(range), 100)).isEqualTo(index);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', textBlock = """
        bytes 0-99/250        | 0   | 99  | 250
        bytes 200-249/250     | 200 | 249 | 250
        BYTES 0-0/1           | 0   | 0   | 1
        bytes 0-99/*          | 0   | 99  | -1
        bytes */250           |     |     |
        bytes 100-99/250      |     |     |
        bytes 0-250/250       |     |     |
        bytes 0-99            |     |     |
        items 0-99/250        |     |     |
        bytes -1-99/250       |     |     |
        bytes 0-99/2x0        |     |     |
        ''                    |     |     |
        """)
    void contentRange(String value, Long first, Long last, Long complete) {
        Optional<Slices.ContentRange> parsed = Slices.parseContentRange(value);
        if (first == null) {
            assertThat(parsed).isEmpty();
        } else {
            assertThat(parsed).contains(new Slices.ContentRange(first, last, complete));
        }
    }

    @ParameterizedTest(name = "''{0}'' is slice {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
        bytes 0-99/250    | 0 | true
        bytes 100-199/250 | 1 | true
        bytes 200-249/250 | 2 | true
        bytes 200-239/250 | 2 | false
        bytes 0-49/50     | 0 | true
        bytes 0-99/250    | 1 | false
        bytes 0-99/*      | 0 | false
        bytes 0-199/250   | 0 | false
        """)
    void aPartialResponseIsTheSliceAskedForOnlyWhenItsBoundsAreExactlyTheSlices(String value, long index, boolean is) {
        assertThat(Slices.isSlice(Slices.parseContentRange(value).orElseThrow(), index, 100)).isEqualTo(is);
    }

    @Test
    void sliceKeysAndTagsLeadBackToThePrimaryKey() {
        String key = Slices.key("default /a.bin", 7);
        assertThat(key).isEqualTo("default /a.bin\u0000slice=7");
        assertThat(Slices.primaryKeyOf(key)).isEqualTo("default /a.bin");
        assertThat(Slices.primaryKeyOf("default /a.bin")).isEqualTo("default /a.bin");
        assertThat(Slices.tag("default /a.bin")).startsWith("\u0000").endsWith("default /a.bin");
    }
}
