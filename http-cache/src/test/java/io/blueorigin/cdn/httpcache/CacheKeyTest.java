package io.blueorigin.cdn.httpcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9111 §2 primary key, normalized per RFC 3986 §6.2.2. */
class CacheKeyTest {

    @ParameterizedTest(name = "{0}: {1} ? {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # RFC section                                     | raw path                | raw query  | pathAndQuery
        RFC 9111 §2 plain path                            | /a/b                    |            | /a/b
        RFC 3986 §6.2.3 empty path is /                   | ``                      |            | /
        RFC 3986 §6.2.2.2 unreserved tilde decoded        | /%7euser                |            | /~user
        RFC 3986 §6.2.2.2 unreserved letters decoded      | /%41%62%5a              |            | /AbZ
        RFC 3986 §6.2.2.2 unreserved digits and marks     | /%30%2D%2e%5F%7E        |            | /0-._~
        RFC 3986 §6.2.2.1 hex digits upper-cased          | /a%2fb                  |            | /a%2Fb
        RFC 3986 §2.2 encoded slash stays encoded         | /a%2Fb                  |            | /a%2Fb
        RFC 3986 §2.2 encoded reserved chars stay         | /%3f%23%5b%40           |            | /%3F%23%5B%40
        RFC 3986 §2.1 encoded space stays                 | /a%20b                  |            | /a%20b
        RFC 3986 §2.1 UTF-8 octets upper-cased            | /%e2%82%ac              |            | /%E2%82%AC
        RFC 3986 §2.4 encoded percent stays               | /100%25                 |            | /100%25
        RFC 3986 §2.1 lone percent is a literal %         | /100%                   |            | /100%25
        RFC 3986 §2.1 percent and one hex digit           | /a%4                    |            | /a%254
        RFC 3986 §2.1 percent and non-hex                 | /a%zz                   |            | /a%25zz
        RFC 3986 §5.2.4 example 1                         | /a/b/c/./../../g        |            | /a/g
        RFC 3986 §5.2.4 single dot segment                | /a/./b                  |            | /a/b
        RFC 3986 §5.2.4 leading ./                        | /./a                    |            | /a
        RFC 3986 §5.2.4 trailing /. keeps the slash       | /a/b/.                  |            | /a/b/
        RFC 3986 §5.2.4 trailing /.. keeps the slash      | /a/b/..                 |            | /a/
        RFC 3986 §5.2.4 .. above the root                 | /../a                   |            | /a
        RFC 3986 §5.2.4 only ..                           | /..                     |            | /
        RFC 3986 §5.2.4 only .                            | /.                      |            | /
        RFC 3986 §5.2.4 many .. above the root            | /a/../../../b           |            | /b
        RFC 3986 §5.2.4 ..c and .c are ordinary segments  | /a/..c/.c/c.            |            | /a/..c/.c/c.
        RFC 3986 §5.2.4 ... is an ordinary segment        | /a/.../b                |            | /a/.../b
        RFC 3986 §5.2.4 empty segment then ..             | /a//../b                |            | /a/b
        RFC 3986 §5.2.4 empty segments kept               | /a//b                   |            | /a//b
        RFC 3986 §6.2.2 encoded dots are dot segments     | /a/%2e%2E/b             |            | /b
        RFC 3986 §6.2.2 encoded single dot                | /a/%2E/b                |            | /a/b
        RFC 3986 §6.2.2 encoded slash is no separator     | /a/..%2Fb               |            | /a/..%2Fb
        RFC 9111 §2 query kept                            | /a                      | x=1&y=2    | /a?x=1&y=2
        RFC 9111 §2 empty query equals none               | /a                      | ``         | /a
        RFC 9111 §2 query order kept                      | /a                      | y=2&x=1    | /a?y=2&x=1
        RFC 3986 §6.2.2.2 query encodings normalized      | /a                      | q=%7e%2f   | /a?q=~%2F
        RFC 3986 §5.2.4 no dot segments in the query      | /a                      | p=/b/../c  | /a?p=/b/../c
        """)
    void normalizes(String section, String rawPath, String rawQuery, String expected) {
        CacheKey key = CacheKey.of("site", rawPath, rawQuery);
        assertThat(key.pathAndQuery()).as(section).isEqualTo(expected);
        assertThat(key.site()).isEqualTo("site");
    }

    @Test
    void equivalentRequestTargetsShareAKey() {
        assertThat(CacheKey.of("s", "/%7Ea/./b", "")).isEqualTo(CacheKey.of("s", "/~a/b", null));
        assertThat(CacheKey.of("s", "/a", "x=1&y=2")).isNotEqualTo(CacheKey.of("s", "/a", "y=2&x=1"));
        assertThat(CacheKey.of("s", "/a%2Fb", null)).isNotEqualTo(CacheKey.of("s", "/a/b", null));
        assertThat(CacheKey.of("s1", "/a", null)).isNotEqualTo(CacheKey.of("s2", "/a", null));
    }

    @Test
    void roundTripsThroughItsStringForm() {
        CacheKey key = CacheKey.of("www.example.com", "/a/b", "q=1");
        assertThat(key.asString()).isEqualTo("www.example.com /a/b?q=1");
        assertThat(CacheKey.parse(key.asString())).isEqualTo(key);
        assertThat(key.path()).isEqualTo("/a/b");
        assertThat(CacheKey.of("s", "/a", null).path()).isEqualTo("/a");
    }

    @Test
    void rejectsAStringThatIsNotAKey() {
        assertThatThrownBy(() -> CacheKey.parse("nospace")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nospace");
        assertThatThrownBy(() -> new CacheKey(null, "/")).isInstanceOf(NullPointerException.class);
    }
}
