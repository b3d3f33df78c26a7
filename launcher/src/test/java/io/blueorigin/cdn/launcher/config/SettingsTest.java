package io.blueorigin.cdn.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.runtime.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SettingsTest {

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
