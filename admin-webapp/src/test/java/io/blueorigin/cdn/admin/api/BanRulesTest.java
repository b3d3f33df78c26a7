package io.blueorigin.cdn.admin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.admin.db.BanKind;
import io.blueorigin.cdn.admin.db.BanRule;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BanRulesTest {

    @Test
    void acceptsEachKind() throws ApiException {
        assertThat(BanRules.check("prefix", "/static/", 86_400))
                .isEqualTo(new BanRule(BanKind.PREFIX, "/static/", Duration.ofDays(1)));
        assertThat(BanRules.check("host", "WWW.Example.com", 1))
                .isEqualTo(new BanRule(BanKind.HOST, "www.example.com", Duration.ofSeconds(1)));
        assertThat(BanRules.check("regex", "^/item/[0-9]+$", 2_592_000).pattern()).isEqualTo("^/item/[0-9]+$");
    }

    /** Catastrophic for backtracking engines, linear for RE2/J: a valid ban. */
    @ParameterizedTest
    @ValueSource(strings = {"(a+)+$", "(a|aa)*b", "(x+x+)+y", "(.*a){20}", "((a{30}){30})", "\\Q(\\E{1000}"})
    void acceptsPathologicalBacktrackingPatterns(String regex) throws ApiException {
        assertThat(BanRules.check("regex", regex, 60).pattern()).isEqualTo(regex);
    }

    @Test
    void reportsARegexSyntaxErrorWithItsPosition() {
        assertThatThrownBy(() -> BanRules.check("regex", "/item/(a", 60))
                .isInstanceOf(ApiException.class)
                .hasMessage("pattern: invalid regular expression at position 0 (`/item/(a`): missing closing )"
                        + " (RE2 syntax, https://github.com/google/re2/wiki/Syntax)");
        assertThatThrownBy(() -> BanRules.check("regex", "/a\\q", 60))
                .hasMessageStartingWith("pattern: invalid regular expression at position 2 (`\\q`): invalid escape sequence");
        assertThatThrownBy(() -> BanRules.check("regex", "a**", 60)).hasMessageContaining("invalid nested repetition");
        // backreferences and lookarounds would need backtracking: RE2 has none
        assertThatThrownBy(() -> BanRules.check("regex", "(a)\\1", 60)).hasMessageContaining("invalid regular expression");
        assertThatThrownBy(() -> BanRules.check("regex", "a(?=b)", 60)).hasMessageContaining("invalid regular expression");
    }

    @Test
    void refusesRepetitionsThatWouldExhaustMemoryBeforeCompilingThem() {
        // compiling this with RE2/J takes more than a 256 MiB heap: the guard must refuse it first
        assertThatThrownBy(() -> BanRules.check("regex", "((a{1000}){1000}){1000}", 60))
                .hasMessageStartingWith("pattern: nested counted repetitions multiply to 1000000000 (at most 1000)");
        assertThatThrownBy(() -> BanRules.check("regex", "(a{1000}){2}", 60))
                .hasMessageContaining("multiply to 2000");
        assertThatThrownBy(() -> BanRules.check("regex", "a{1000}".repeat(21), 60))
                .hasMessageContaining("compiles to 21002 instructions (at most 20000)");
    }

    @Test
    void rejectsBadKindsPatternsAndTtls() {
        assertThatThrownBy(() -> BanRules.check("glob", "/a", 60)).hasMessage("kind: 'glob' (expected: prefix, host or regex)");
        assertThatThrownBy(() -> BanRules.check("prefix", "static/", 60)).hasMessageStartingWith("pattern: a prefix ban matches paths");
        assertThatThrownBy(() -> BanRules.check("host", "www.example.com/a", 60)).hasMessageContaining("is not a site name");
        assertThatThrownBy(() -> BanRules.check("prefix", "", 60)).hasMessage("pattern: 0 characters (expected 1-1024)");
        assertThatThrownBy(() -> BanRules.check("prefix", "/" + "a".repeat(1024), 60))
                .hasMessage("pattern: 1025 characters (expected 1-1024)");
        assertThatThrownBy(() -> BanRules.check("prefix", "/a\tb", 60)).hasMessageContaining("control character U+0009");
        assertThatThrownBy(() -> BanRules.check("prefix", "/a", 0)).hasMessage("ttlSeconds: 0 (expected 1..2592000, 30 days)");
        assertThatThrownBy(() -> BanRules.check("prefix", "/a", 2_592_001)).hasMessageStartingWith("ttlSeconds: 2592001");
    }
}
