package io.blueorigin.cdn.httpcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The canonical request-target: one form for the key and for the upstream request (RFC 3986 §6.2.2), and
 * the targets refused because they cannot be made canonical. Rows quote what browsers and attackers send.
 */
class RequestTargetTest {

    @ParameterizedTest(name = "{0}: {1} ? {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # why                                              | raw path              | raw query        | canonical
        quote, angle brackets, backslash, brackets         | /a                    | q="<\\>[]        | /a?q=%22%3C%5C%3E%5B%5D
        a space in the query is encoded                    | /a                    | q=a b            | /a?q=a%20b
        non-ASCII query characters as UTF-8 octets         | /a                    | q=é€             | /a?q=%C3%A9%E2%82%AC
        a non-ASCII path character as UTF-8 octets         | /café                 |                  | /caf%C3%A9
        an astral character as four octets                 | /a                    | q=😀             | /a?q=%F0%9F%98%80
        a bad triplet is a literal percent                 | /a                    | q=%zz            | /a?q=%25zz
        a trailing percent is a literal percent            | /a                    | q=100%           | /a?q=100%25
        lower-case hex is upper-cased                      | /a%2fb                | q=%3d            | /a%2Fb?q=%3D
        unreserved encodings are decoded                   | /%7euser/%41          | q=%7e            | /~user/A?q=~
        '?' and '/' stay raw in the query                  | /a                    | p=/b?c           | /a?p=/b?c
        sub-delims, ':' and '@' stay raw                   | /a;v=1/b:c@d!$&'()*+, | x=;,&y=$         | /a;v=1/b:c@d!$&'()*+,?x=;,&y=$
        dot segments are resolved once, here               | /static/x/../../item/1 |                 | /item/1
        encoded dots are dot segments                      | /a/%2e%2E/b           |                  | /b
        dot segments in the query are data                 | /a                    | p=/b/../c        | /a?p=/b/../c
        .. above the root stays at the root                | /../../a              |                  | /a
        empty path is /                                    | ``                    |                  | /
        empty query is none                                | /a                    | ``               | /a
        encoded NUL in the query is data                   | /a                    | q=%00            | /a?q=%00
        ..x and .x are ordinary segments                   | /a/..x/.x;p           |                  | /a/..x/.x;p
        a parameter on an ordinary segment stays           | /a;jsessionid=1/b     |                  | /a;jsessionid=1/b
        """)
    void canonicalizes(String why, String rawPath, String rawQuery, String expected) {
        RequestTarget target = RequestTarget.parse(rawPath, rawQuery);
        assertThat(target.pathAndQuery()).as(why).isEqualTo(expected);
        // what goes upstream is a URI every parser accepts, and canonical already
        assertThat(URI.create("http://upstream" + target.pathAndQuery()).getRawPath()).isEqualTo(target.path());
        assertThat(RequestTarget.parse(target.path(), target.query())).isEqualTo(target);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # why                                        | raw path         | raw query | message contains
        Tomcat resolves '..;' as '..'                | /a/..;/b         |           | dot segment with path parameters
        and '.;x' as '.'                             | /a/.;x/b         |           | dot segment with path parameters
        encoded '..;' is the same                    | /a/%2e%2e;/b     |           | dot segment with path parameters
        an encoded NUL truncates C file names        | /a%00.html       |           | NUL
        an encoded control character in a path      | /a%0d%0aSet-Cookie:x |       | control character
        asterisk-form is not for a cache             | *                |           | absolute path
        authority-form is not for a cache            | example.com:443  |           | absolute path
        """)
    void refuses(String why, String rawPath, String rawQuery, String message) {
        assertThatThrownBy(() -> RequestTarget.parse(rawPath, rawQuery)).as(why)
                .isInstanceOf(RequestTarget.InvalidTarget.class).hasMessageContaining(message)
                .hasMessageNotContaining(rawPath); // the 400 names the problem, never echoes the input
    }

    @Test
    void charactersBrowsersSendRawAreEncoded() {
        // '|' and '`' cannot stand in the table above (its delimiter and quote)
        assertThat(RequestTarget.parse("/item/1", "q=a|b").pathAndQuery()).isEqualTo("/item/1?q=a%7Cb");
        assertThat(RequestTarget.parse("/a", "q={x}^`").pathAndQuery()).isEqualTo("/a?q=%7Bx%7D%5E%60");
        assertThat(RequestTarget.parse("/a|b", null).path()).isEqualTo("/a%7Cb");
    }

    @Test
    void refusesRawControlCharactersAnywhere() {
        assertThatThrownBy(() -> RequestTarget.parse("/a\u0000", null)).isInstanceOf(RequestTarget.InvalidTarget.class);
        assertThatThrownBy(() -> RequestTarget.parse("/a", "q=\r\nX: y")).isInstanceOf(RequestTarget.InvalidTarget.class)
                .hasMessageContaining("control character in the query");
        assertThatThrownBy(() -> RequestTarget.parse("/a", "q=\u007f")).isInstanceOf(RequestTarget.InvalidTarget.class);
    }

    @Test
    void aLoneSurrogateIsEncodedAsTheReplacementCharacter() {
        assertThat(RequestTarget.parse("/a", "q=\ud800").query()).isEqualTo("q=%EF%BF%BD");
    }

    @Test
    void aCanonicalTargetIsReturnedWithoutCopying() {
        String path = "/item/1";
        assertThat(RequestTarget.parse(path, null).path()).isSameAs(path);
    }

    @Test
    void theKeyIsTheCanonicalTarget() {
        assertThat(CacheKey.of("s", "/static/x/../../item/1", "q=a|b").pathAndQuery()).isEqualTo("/item/1?q=a%7Cb");
        assertThat(CacheKey.of("s", RequestTarget.parse("/item/1", "q=a%7cb")))
                .isEqualTo(CacheKey.of("s", "/item/1", "q=a|b"));
    }
}
