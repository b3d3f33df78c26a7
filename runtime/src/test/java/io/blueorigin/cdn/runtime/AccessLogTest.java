package io.blueorigin.cdn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The escaping that keeps an access log line one line of parseable fields. What a client cannot get past
 * Jetty's parser (a raw CR or LF, other control characters) is covered here; AccessLogIT covers the rest
 * over real connections.
 */
class AccessLogTest {

    private static String quoted(@Nullable String value) {
        StringBuilder out = new StringBuilder();
        AccessLog.quoted(out, value);
        return out.toString();
    }

    private static String token(@Nullable String value) {
        StringBuilder out = new StringBuilder();
        AccessLog.token(out, value);
        return out.toString();
    }

    @Test
    void plainPrintableAsciiIsWrittenAsIs() {
        assertThat(quoted("Mozilla/5.0 (X11; Linux x86_64) curl/8.5.0 ~!@#$%^&*()_+{}|:<>?")).isEqualTo(
                "Mozilla/5.0 (X11; Linux x86_64) curl/8.5.0 ~!@#$%^&*()_+{}|:<>?");
        assertThat(token("9f3c0a1b2c3d4e5f")).isEqualTo("9f3c0a1b2c3d4e5f");
    }

    @Test
    void absentOrEmptyIsADash() {
        assertThat(quoted(null)).isEqualTo("-");
        assertThat(quoted("")).isEqualTo("-");
        assertThat(token(null)).isEqualTo("-");
        assertThat(token("")).isEqualTo("-");
    }

    @Test
    void quoteAndBackslashGetABackslashAsInApache() {
        assertThat(quoted("a\"b\\c")).isEqualTo("a\\\"b\\\\c");
    }

    @Test
    void lineBreaksAndWhitespaceControlsGetTheirCStyleNames() {
        assertThat(quoted("a\nb\rc\td\be\u000bf")).isEqualTo("a\\nb\\rc\\td\\be\\vf");
    }

    @Test
    void otherControlsDelAndNonAsciiAreHexBytes() {
        assertThat(quoted("\u0000\u0001\u001b\u000c\u007f")).isEqualTo("\\x00\\x01\\x1b\\x0c\\x7f");
        // Jetty decodes field bytes as ISO-8859-1: one char per byte received
        assertThat(quoted("caf\u00c3\u00a9 \u00ff")).isEqualTo("caf\\xc3\\xa9 \\xff");
        // above U+00FF only a handler can put it there: its UTF-8 bytes
        assertThat(quoted("\u20ac \ud83d\ude00")).isEqualTo("\\xe2\\x82\\xac \\xf0\\x9f\\x98\\x80");
    }

    @Test
    void anUnquotedFieldKeepsNoSpaceOrQuote() {
        assertThat(token("a b\"c")).isEqualTo("a\\x20b\\\"c");
        assertThat(quoted("a b")).isEqualTo("a b");
    }

    @Test
    void escapedOutputIsAlwaysOneLineOfPrintableAscii() {
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x300; c++) {
            every.append(c);
        }
        for (String escaped : new String[] {quoted(every.toString()), token(every.toString())}) {
            assertThat(escaped.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
            assertThat(escaped.replace("\\\\", "").replace("\\\"", "")).doesNotContain("\"");
        }
        assertThat(token(every.toString())).doesNotContain(" ");
    }
}
