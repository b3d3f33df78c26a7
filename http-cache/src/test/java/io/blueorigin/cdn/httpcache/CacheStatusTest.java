package io.blueorigin.cdn.httpcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CacheDecision.Fwd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9211 Cache-Status members. */
class CacheStatusTest {

    @Test
    void formatsAHit() {
        // §2.1 hit, §2.4 ttl
        assertThat(CacheStatus.of("edge-nyc").hit().ttl(27)).hasToString("edge-nyc; hit; ttl=27");
    }

    @Test
    void formatsAForwardedAndStoredResponse() {
        // §2.2 fwd, §2.3 fwd-status, §2.5 stored, §2.6 collapsed
        assertThat(CacheStatus.of("shield-iad").fwd(Fwd.URI_MISS).fwdStatus(200).stored().collapsed())
                .hasToString("shield-iad; fwd=uri-miss; fwd-status=200; stored; collapsed");
    }

    @Test
    void staleTtlIsNegative() {
        // §2.4: "A cache can indicate a response is stale by including a negative ttl"
        assertThat(CacheStatus.of("e").hit().ttl(-5)).hasToString("e; hit; ttl=-5");
    }

    @Test
    void fwdNoneWritesNothing() {
        assertThat(CacheStatus.of("e").fwd(Fwd.NONE)).hasToString("e");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC 9211 §2.2 fwd                 | fwd        | token
        no stored response for the URI      | URI_MISS   | uri-miss
        stored, but not this variant        | VARY_MISS  | vary-miss
        stored and stale                    | STALE      | stale
        request directives                  | REQUEST    | request
        method                              | METHOD     | method
        configured bypass                   | BYPASS     | bypass
        """)
    void writesEveryFwdToken(String section, Fwd fwd, String token) {
        assertThat(CacheStatus.of("c").fwd(fwd)).as(section).hasToString("c; fwd=" + token);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC 9211 §2.8 detail (sf-token or sf-string)   | detail               | written
        RFC 8941 §3.3.4 token written as is              | `no-store`           | `no-store`
        RFC 8941 §3.3.4 token may hold : and /           | `a:b/c`              | `a:b/c`
        RFC 8941 §3.3.4 token may start with *           | `*x`                 | `*x`
        RFC 8941 §3.3.3 space: quoted string             | `client no-cache`    | `"client no-cache"`
        RFC 8941 §3.3.3 leading digit: quoted            | `1x`                 | `"1x"`
        RFC 8941 §3.3.3 empty: quoted                    | ``                   | `""`
        RFC 8941 §3.3.3 quote escaped                    | `say "hi"`           | `"say \\"hi\\""`
        RFC 8941 §3.3.3 backslash escaped                | `a\\b`               | `"a\\\\b"`
        RFC 8941 §3.3.3 comma quoted                     | `fresh, not modified` | `"fresh, not modified"`
        RFC 8941 §3.3.3 non-ASCII replaced               | `café`               | `"caf?"`
        RFC 8941 §3.3.3 control character replaced       | `a\tb`               | `"a?b"`
        """)
    void writesDetailAsTokenOrString(String section, String detail, String written) {
        String d = detail.replace("\\t", "\t");
        assertThat(CacheStatus.of("c").detail(d)).as(section).hasToString("c; detail=" + written);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC 9211 §2                                | upstream value             | result
        first cache: only this member                |                            | `edge; hit`
        blank upstream value: only this member       | `  `                       | `edge; hit`
        appended after the upstream members          | `shield; fwd=uri-miss`     | `shield; fwd=uri-miss, edge; hit`
        appended after several upstream members     | `origin-cache; hit, shield` | `origin-cache; hit, shield, edge; hit`
        """)
    void appendsToTheUpstreamValue(String section, String upstream, String expected) {
        assertThat(CacheStatus.of("edge").hit().appendTo(upstream)).as(section).isEqualTo(expected);
    }
}
