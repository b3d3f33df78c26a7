package io.blueorigin.cdn.httpcache.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.FieldLookup;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 9110 §12.5.3 (Accept-Encoding) and §12.4.2 (qvalues) through {@link AcceptEncoding#negotiate}. Field
 * lines are separated by {@code |}; {@code <absent>} means no field; {@code refused} is
 * {@link AcceptEncoding.Result#identityRefused()}.
 */
class AcceptEncodingTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
        # case                                                 # Accept-Encoding lines                      # offered        # coding   # refused
        §12.5.3 no field: identity                             # <absent>                                   # BR,GZIP        # IDENTITY # false
        §12.5.3 empty value: no coding wanted                  # ``                                         # BR,GZIP        # IDENTITY # false
        browser: br preferred among equals                     # `gzip, deflate, br, zstd`                  # BR,GZIP        # BR       # false
        br only when br offered                                # `gzip, deflate, br`                        # GZIP           # GZIP     # false
        nothing offered: identity                              # `gzip, br`                                 # ``             # IDENTITY # false
        gzip only                                              # `gzip`                                     # BR,GZIP        # GZIP     # false
        x-gzip is gzip (§8.4.1.3)                              # `x-gzip`                                   # BR,GZIP        # GZIP     # false
        case-insensitive coding                                # `GZip, BR`                                 # BR,GZIP        # BR       # false
        case-insensitive q                                     # `br;Q=0.5, gzip;q=0.6`                     # BR,GZIP        # GZIP     # false
        highest q wins over preference                         # `br;q=0.5, gzip`                           # BR,GZIP        # GZIP     # false
        equal q: br preferred                                  # `gzip;q=0.8, br;q=0.8`                     # BR,GZIP        # BR       # false
        three decimals compared                                # `gzip;q=0.801, br;q=0.8`                   # BR,GZIP        # GZIP     # false
        q=0 excludes                                           # `br;q=0, gzip`                             # BR,GZIP        # GZIP     # false
        q=0.000 excludes                                       # `br;q=0.000, gzip;q=0.0`                   # BR,GZIP        # IDENTITY # false
        q=1.000 allowed                                        # `br;q=1.000`                               # BR,GZIP        # BR       # false
        OWS around the weight                                  # `br ; q=0.5 , gzip ;q=0.4`                 # BR,GZIP        # BR       # false
        wildcard covers codings not listed                     # `*`                                        # BR,GZIP        # BR       # false
        wildcard weight below a listed coding                  # `*;q=0.1, gzip`                            # BR,GZIP        # GZIP     # false
        wildcard q=0 with a listed coding                      # `gzip, *;q=0`                              # BR,GZIP        # GZIP     # false
        listed q=0 beats the wildcard                          # `br;q=0, *`                                # BR,GZIP        # GZIP     # false
        unlisted coding without wildcard: not acceptable       # `deflate`                                  # BR,GZIP        # IDENTITY # false
        explicit identity preferred by q                       # `gzip;q=0.5, identity`                     # BR,GZIP        # IDENTITY # false
        explicit identity equal q: compression preferred       # `gzip, identity`                           # BR,GZIP        # GZIP     # false
        identity;q=0 with gzip                                 # `identity;q=0, gzip`                       # BR,GZIP        # GZIP     # false
        identity;q=0 alone: refused, identity anyway           # `identity;q=0`                             # BR,GZIP        # IDENTITY # true
        *;q=0 refuses identity                                 # `*;q=0`                                    # BR,GZIP        # IDENTITY # true
        *;q=0 with identity listed                             # `*;q=0, identity`                          # BR,GZIP        # IDENTITY # false
        identity;q=0 and only unoffered codings                # `identity;q=0, br`                         # GZIP           # IDENTITY # true
        duplicate coding keeps its highest weight              # `gzip;q=0, gzip;q=0.5, br;q=0.4`           # BR,GZIP        # GZIP     # false
        several lines are one list                             # `gzip;q=0.5|br`                            # BR,GZIP        # BR       # false
        malformed q above 1 ignored                            # `br;q=2, gzip`                             # BR,GZIP        # GZIP     # false
        malformed q with four decimals ignored                 # `br;q=0.5555, gzip;q=0.1`                  # BR,GZIP        # GZIP     # false
        malformed q=1.5 ignored                                # `br;q=1.5, gzip;q=0.1`                     # BR,GZIP        # GZIP     # false
        malformed q exponent ignored                           # `br;q=1e-1, gzip;q=0.1`                    # BR,GZIP        # GZIP     # false
        malformed negative q ignored                           # `br;q=-1, gzip;q=0.1`                      # BR,GZIP        # GZIP     # false
        malformed empty q ignored                              # `br;q=, gzip;q=0.1`                        # BR,GZIP        # GZIP     # false
        malformed member cannot refuse identity                # `identity;q=x`                             # BR,GZIP        # IDENTITY # false
        other parameter: member ignored                        # `br;level=5, gzip;q=0.1`                   # BR,GZIP        # GZIP     # false
        junk members ignored                                   # `;;, ,=, "br", gzip`                       # BR,GZIP        # GZIP     # false
        space inside the coding: ignored                       # `b r, gzip`                                # BR,GZIP        # GZIP     # false
        """)
    void negotiates(String name, String lines, String offered, Coding coding, boolean refused) {
        List<String> values = lines.equals("<absent>") ? List.of() : Arrays.asList(lines.split("\\|", -1));
        Set<Coding> codings = offered.isEmpty() ? Set.of() : EnumSet.copyOf(Arrays.stream(offered.split(","))
                .map(Coding::valueOf).toList());
        assertThat(AcceptEncoding.negotiate(values, codings)).isEqualTo(new AcceptEncoding.Result(coding, refused));
    }

    @Test
    void membersBeyondTheLimitAreIgnored() {
        String filler = "deflate, ".repeat(AcceptEncoding.MAX_MEMBERS);
        assertThat(AcceptEncoding.negotiate(List.of("gzip, " + filler)).coding()).isEqualTo(Coding.GZIP);
        assertThat(AcceptEncoding.negotiate(List.of(filler + "gzip")).coding()).isEqualTo(Coding.IDENTITY);
    }

    @Test
    void theNormalizedViewReadsAcceptEncodingAsTheCodingOnly() {
        FieldLookup request = FieldLookup.of(List.of(new io.blueorigin.cdn.httpcache.Field("Accept-Encoding", "gzip;q=0.1, br"),
                new io.blueorigin.cdn.httpcache.Field("Accept-Language", "fr")));
        FieldLookup view = AcceptEncoding.normalized(request, Coding.BR);
        assertThat(view.values("accept-encoding")).containsExactly("br");
        assertThat(view.values("Accept-Encoding")).containsExactly("br");
        assertThat(view.values("Accept-Language")).containsExactly("fr");
        assertThat(AcceptEncoding.normalized(FieldLookup.EMPTY, Coding.IDENTITY).values("Accept-Encoding"))
                .containsExactly("identity");
    }
}
