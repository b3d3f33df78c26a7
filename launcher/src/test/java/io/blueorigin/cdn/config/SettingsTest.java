package io.blueorigin.cdn.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.runtime.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SettingsTest {

    /** The catalogue writes these defaults as text (it depends on no role); the records they also feed agree. */
    @Test
    void defaultsWrittenInTheCatalogueAreTheRecordsDefaults() {
        assertThat(Settings.find("forwarding.strip-fields").orElseThrow().defaultFor(Role.EDGE).orElseThrow())
                .isEqualTo(String.join(",", io.blueorigin.cdn.proxy.ForwardingConfig.DEFAULT_STRIPPED));
        assertThat(Settings.find("ratelimit.rate").orElseThrow().defaultFor(Role.EDGE))
                .hasValue(String.valueOf(io.blueorigin.cdn.proxy.ratelimit.RateLimitConfig.DEFAULT_RATE));
        assertThat(Settings.find("ratelimit.burst").orElseThrow().defaultFor(Role.EDGE))
                .hasValue(String.valueOf(io.blueorigin.cdn.proxy.ratelimit.RateLimitConfig.DEFAULT_BURST));
        assertThat(Settings.find("ratelimit.max-entries").orElseThrow().defaultFor(Role.EDGE))
                .hasValue(String.valueOf(io.blueorigin.cdn.proxy.ratelimit.RateLimitConfig.DEFAULT_MAX_ENTRIES));
        assertThat(Settings.find(io.blueorigin.cdn.proxy.UrlPatterns.KEY)).isPresent();
    }

    @Test
    void everyLiteralDefaultIsAValidValueOfItsType() {
        for (Setting s : Settings.ALL) {
            for (Role role : s.roles()) {
                s.defaultFor(role).filter(d -> !d.isEmpty() || s.type() != ValueType.STRING)
                        .ifPresent(d -> assertThat(s.type().parse(d)).as(s.key() + " default for " + role).isNotNull());
            }
        }
    }

    @Test
    void theReadmeSettingsTableIsTheCatalogue() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int begin = readme.indexOf("<!-- settings:begin -->\n");
        int end = readme.indexOf("<!-- settings:end -->");
        assertThat(begin).as("README.md has a settings:begin marker").isNotNegative();
        String table = readme.substring(begin + "<!-- settings:begin -->\n".length(), end).strip();
        assertThat(table)
                .as("README.md's settings table is out of date: paste `java -jar launcher/target/blue-origin.jar settings`")
                .isEqualTo(Settings.markdownTable().strip());
    }

    @Test
    void typosGetASuggestion() {
        assertThat(Settings.closest("server.prot")).contains("server.port");
        assertThat(Settings.closest("upstream.urll")).contains("upstream.url");
        assertThat(Settings.closest("completely.different.thing")).isEmpty();
    }
}
