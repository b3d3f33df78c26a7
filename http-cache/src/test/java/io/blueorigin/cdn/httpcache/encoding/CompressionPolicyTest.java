package io.blueorigin.cdn.httpcache.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.httpcache.encoding.CompressionPolicy.Reason;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which stored responses are compressed, one row per rule of {@link CompressionPolicy#eligible}. */
class CompressionPolicyTest {
    /** text/*, application/json, 1000..100000 bytes. */
    private final CompressionPolicy policy = new CompressionPolicy(EnumSet.of(Coding.BR, Coding.GZIP),
            List.of("text/*", "Application/JSON"), 1000, 100_000, 6, 5);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', nullValues = "<none>", textBlock = """
        # case                                     # status # Content-Type                        # Content-Encoding # length  # no-transform # reason
        html                                       # 200    # text/html                           # <none>           # 5000    # false        # ELIGIBLE
        parameters ignored                         # 200    # `text/html; charset=utf-8`          # <none>           # 5000    # false        # ELIGIBLE
        type case-insensitive                      # 200    # APPLICATION/json                    # <none>           # 5000    # false        # ELIGIBLE
        exact type listed                          # 200    # application/json;charset=utf-8      # <none>           # 5000    # false        # ELIGIBLE
        wildcard does not match another type       # 200    # application/javascript              # <none>           # 5000    # false        # TYPE
        wildcard needs the whole type              # 200    # textual/html                        # <none>           # 5000    # false        # TYPE
        no Content-Type                            # 200    # <none>                              # <none>           # 5000    # false        # TYPE
        malformed Content-Type                     # 200    # html                                # <none>           # 5000    # false        # TYPE
        image not listed                           # 200    # image/png                           # <none>           # 5000    # false        # TYPE
        origin compressed: passed through          # 200    # text/html                           # gzip             # 5000    # false        # ALREADY_ENCODED
        origin br: passed through                  # 200    # text/html                           # br               # 5000    # false        # ALREADY_ENCODED
        Content-Encoding identity is none          # 200    # text/html                           # identity         # 5000    # false        # ELIGIBLE
        empty Content-Encoding is none             # 200    # text/html                           # ``               # 5000    # false        # ELIGIBLE
        no-transform (RFC 9111 §5.2.2.6)           # 200    # text/html                           # <none>           # 5000    # true         # NO_TRANSFORM
        206 is cut after compressing               # 206    # text/html                           # <none>           # 5000    # false        # STATUS
        404 not compressed                         # 404    # text/html                           # <none>           # 5000    # false        # STATUS
        unknown length                             # 200    # text/html                           # <none>           # -1      # false        # UNKNOWN_LENGTH
        below min size                             # 200    # text/html                           # <none>           # 999     # false        # TOO_SMALL
        at min size                                # 200    # text/html                           # <none>           # 1000    # false        # ELIGIBLE
        at max size                                # 200    # text/html                           # <none>           # 100000  # false        # ELIGIBLE
        above max size                             # 200    # text/html                           # <none>           # 100001  # false        # TOO_LARGE
        """)
    void decides(String name, int status, String contentType, String contentEncoding, long length, boolean noTransform,
            Reason reason) {
        assertThat(policy.eligible(status, contentType, contentEncoding, length, noTransform)).isEqualTo(reason);
    }

    @Test
    void noCodingMeansOff() {
        CompressionPolicy off = CompressionPolicy.off();
        assertThat(off.enabled()).isFalse();
        assertThat(off.eligible(200, "text/html", null, 5000, false)).isEqualTo(Reason.DISABLED);
        assertThat(CompressionPolicy.defaults().eligible(200, "application/javascript", null, 5000, false))
                .isEqualTo(Reason.ELIGIBLE);
    }

    @Test
    void levelsPerCoding() {
        assertThat(policy.levelOf(Coding.GZIP)).isEqualTo(6);
        assertThat(policy.levelOf(Coding.BR)).isEqualTo(5);
    }

    @Test
    void badSettingsAreRefusedNamingTheKey() {
        Set<Coding> both = EnumSet.of(Coding.BR, Coding.GZIP);
        assertThatThrownBy(() -> new CompressionPolicy(both, List.of("html"), 0, 10, 6, 5))
                .hasMessageStartingWith("compression.types : 'html'");
        assertThatThrownBy(() -> new CompressionPolicy(both, List.of("*/*"), 0, 10, 6, 5))
                .hasMessageStartingWith("compression.types : '*/*'");
        assertThatThrownBy(() -> new CompressionPolicy(both, List.of("text/h*"), 0, 10, 6, 5))
                .hasMessageStartingWith("compression.types : 'text/h*'");
        assertThatThrownBy(() -> new CompressionPolicy(both, List.of("text/html; charset=utf-8"), 0, 10, 6, 5))
                .hasMessageStartingWith("compression.types");
        assertThatThrownBy(() -> new CompressionPolicy(both, List.of(), -1, 10, 6, 5))
                .hasMessageStartingWith("compression.min-size : -1");
        assertThatThrownBy(() -> new CompressionPolicy(both, List.of(), 100, 10, 6, 5))
                .hasMessageStartingWith("compression.max-size : 10");
        assertThatThrownBy(() -> new CompressionPolicy(both, List.of(), 0, 10, 0, 5))
                .hasMessageStartingWith("compression.gzip-level : 0");
        assertThatThrownBy(() -> new CompressionPolicy(both, List.of(), 0, 10, 6, 12))
                .hasMessageStartingWith("compression.brotli-quality : 12");
    }
}
