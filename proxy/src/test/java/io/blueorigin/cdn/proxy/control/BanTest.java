package io.blueorigin.cdn.proxy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BanTest {
    private static final long APPLIED = 10_000;

    @Test
    void aPrefixBanMatchesThePathAndQueryStartOnlyForObjectsFromBeforeIt() {
        Ban ban = new Ban(1, "prefix", "/static/", APPLIED, Long.MAX_VALUE);
        assertThat(ban.bans("default /static/app.js", APPLIED)).isTrue();
        assertThat(ban.bans("default /static/app.js?v=2", APPLIED - 1)).isTrue();
        assertThat(ban.bans("default /static/app.js", APPLIED + 1)).as("fetched after the ban").isFalse();
        assertThat(ban.bans("default /item/static/", 0)).isFalse();
        assertThat(ban.bans("default /stat", 0)).isFalse();
    }

    @Test
    void aHostBanMatchesTheSiteExactlyIgnoringCase() {
        Ban ban = new Ban(2, "HOST", "www.example.com", APPLIED, Long.MAX_VALUE);
        assertThat(ban.matches("www.example.com /a")).isTrue();
        assertThat(ban.matches("WWW.example.com /a")).isTrue();
        assertThat(ban.matches("example.com /a")).isFalse();
        assertThat(ban.matches("www.example.com.evil /a")).isFalse();
    }

    @Test
    void aRegexBanSearchesThePathAndQueryInLinearTime() {
        Ban ban = new Ban(3, "regex", "\\.(css|js)(\\?|$)", APPLIED, Long.MAX_VALUE);
        assertThat(ban.matches("default /a/b.css")).isTrue();
        assertThat(ban.matches("default /a/b.js?v=1")).isTrue();
        assertThat(ban.matches("default /a/b.json")).isFalse();
        assertThat(ban.matches("default /default /x.css")).as("the site is not part of the subject").isTrue();

        // catastrophic for a backtracking engine on this input; RE2/J answers at once
        Ban pathological = new Ban(4, "regex", "^/(a+)+$", APPLIED, Long.MAX_VALUE);
        assertThat(pathological.matches("default /" + "a".repeat(50_000) + "!")).isFalse();
        assertThat(pathological.matches("default /" + "a".repeat(50_000))).isTrue();
    }

    @Test
    void badBansAreRefusedNamingTheBan() {
        assertThatThrownBy(() -> new Ban(5, "regex", "(unclosed", APPLIED, 0)).hasMessageContaining("ban 5: invalid regex");
        assertThatThrownBy(() -> new Ban(6, "glob", "*", APPLIED, 0)).hasMessageContaining("ban 6: unknown kind 'glob'");
    }
}
