package io.blueorigin.cdn.admin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.admin.db.PurgeUrl;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PurgeUrlsTest {

    /** url | site | path | query ("-" for none). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/item/1                              | -               | /item/1    | -",
        "/a?b=1&c=2                           | -               | /a         | b=1&c=2",
        "/a?                                  | -               | /a         | ''",
        "/                                    | -               | /          | -",
        "https://www.Example.com/a?b=1        | www.example.com | /a         | b=1",
        "HTTP://cdn.example.com:8080/x/y      | cdn.example.com | /x/y       | -",
        "https://example.com                  | example.com     | /          | -",
        "https://example.com?q                | example.com     | /          | q",
        "http://[::1]:8080/p                  | [::1]           | /p         | -",
    })
    void parsesPathsAndAbsoluteUrls(String url, String site, String path, String query) throws ApiException {
        PurgeUrl parsed = PurgeUrls.parse("urls[0]", url);
        assertThat(parsed.url()).isEqualTo(url);
        assertThat(parsed.site()).isEqualTo(site.equals("-") ? Optional.empty() : Optional.of(site));
        assertThat(parsed.path()).isEqualTo(path);
        assertThat(parsed.query()).isEqualTo(query.equals("-") ? Optional.empty() : Optional.of(query));
    }

    /** url | what the message says. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "item/1                     | is neither a path starting with '/' nor an http:// or https:// URL",
        "ftp://example.com/a        | is neither a path",
        "/a#top                     | has a fragment",
        "https://user@example.com/a | has user information",
        "https:///a                 | the URL has no host",
        "https://exa mple.com/a     | malformed host",
        "https://ex\u00e4mple.com/  | is not ASCII; use its punycode",
        "https://example.com:0/a    | malformed port",
        "https://example.com:99999/ | malformed port",
        "https://example.com:x/     | malformed port",
        "http://[zz]/               | malformed IPv6 host",
    })
    void rejectsMalformedUrlsNamingTheField(String url, String message) {
        assertThatThrownBy(() -> PurgeUrls.parse("urls[3]", url))
                .isInstanceOf(ApiException.class)
                .hasMessageStartingWith("urls[3]: ")
                .hasMessageContaining(message);
    }

    @Test
    void keepsSqlLookingAndNonAsciiPathsAsTheyAre() throws ApiException {
        String sql = "/item/1'; DROP TABLE invalidations;-- ?q=1' OR '1'='1";
        PurgeUrl parsed = PurgeUrls.parse("urls[0]", sql);
        assertThat(parsed.path()).isEqualTo("/item/1'; DROP TABLE invalidations;-- ");
        assertThat(parsed.query()).contains("q=1' OR '1'='1");
        assertThat(PurgeUrls.parse("urls[0]", "/caf\u00e9/\ud83d\ude00").path()).isEqualTo("/caf\u00e9/\ud83d\ude00");
    }

    @Test
    void rejectsEmptyControlCharactersAndMoreThan8KiB() {
        assertThatThrownBy(() -> PurgeUrls.parse("urls[0]", "")).hasMessageContaining("empty");
        assertThatThrownBy(() -> PurgeUrls.parse("urls[0]", "/a\nb")).hasMessage("urls[0]: control character U+000A at position 2");
        assertThatThrownBy(() -> PurgeUrls.parse("urls[0]", "/a\u0000")).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> PurgeUrls.parse("urls[0]", "/a\ud800")).hasMessageContaining("unpaired surrogate");
        String max = "/" + "a".repeat(PurgeUrls.MAX_BYTES - 1);
        assertThatCode(() -> PurgeUrls.parse("urls[0]", max)).doesNotThrowAnyException();
        assertThatThrownBy(() -> PurgeUrls.parse("urls[0]", max + "a")).hasMessage("urls[0]: longer than 8 KiB (8193 bytes)");
        // counted in UTF-8 bytes: 4096 two-byte characters are 8 KiB and one more byte is too many
        assertThatThrownBy(() -> PurgeUrls.parse("urls[0]", "/" + "\u00e9".repeat(4096))).hasMessageContaining("8193 bytes");
    }
}
