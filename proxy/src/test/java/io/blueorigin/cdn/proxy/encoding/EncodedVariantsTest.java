package io.blueorigin.cdn.proxy.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.Field;
import io.blueorigin.cdn.httpcache.encoding.Coding;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncodedVariantsTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
        ``                                  # Accept-Encoding
        `Accept-Language`                   # `Accept-Language, Accept-Encoding`
        `Accept-Language|Cookie`            # `Accept-Language, Cookie, Accept-Encoding`
        `accept-encoding`                   # accept-encoding
        ` Origin , ACCEPT-ENCODING `        # `Origin, ACCEPT-ENCODING`
        `*`                                 # *
        """)
    void addsAcceptEncodingToVary(String lines, String expected) {
        List<String> vary = lines.isEmpty() ? List.of() : Arrays.asList(lines.split("\\|"));
        assertThat(EncodedVariants.varyOnAcceptEncoding(vary)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', nullValues = "<null>", textBlock = """
        ``                 # IDENTITY
        identity           # IDENTITY
        gzip               # GZIP
        `X-Gzip`           # GZIP
        br                 # BR
        `identity, br`     # BR
        `gzip, br`         # <null>
        deflate            # <null>
        """)
    void readsTheStoredContentCoding(String contentEncoding, Coding expected) {
        List<Field> fields = contentEncoding.isEmpty() ? List.of() : List.of(new Field("Content-Encoding", contentEncoding));
        CachedResponse r = new CachedResponse(200, fields, 0, 0, 0, 0, 0, 0, false, false, false, Optional.empty(), -1, -1,
                List.of(), "", List.of(), 10);
        assertThat(EncodedVariants.codingOf(r)).isEqualTo(expected);
    }
}
