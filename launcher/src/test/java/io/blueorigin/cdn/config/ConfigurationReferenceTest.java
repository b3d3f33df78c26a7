package io.blueorigin.cdn.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is what the generator writes from the catalogue, and covers every key. */
class ConfigurationReferenceTest {

    @Test
    void docsConfigurationIsTheGeneratedReference() throws IOException {
        String file = Files.readString(Path.of("..", "docs", "configuration.md"));
        assertThat(file)
                .as("docs/configuration.md is out of date: run scripts/update-readme-settings.sh (after mvn -DskipTests "
                        + "package, so the jar has the current catalogue)")
                .isEqualTo(ConfigurationReference.markdown());
    }

    @Test
    void everyKeyIsInASectionWithAnIntroduction() {
        assertThat(Settings.ALL).allSatisfy(s -> assertThat(SettingDetails.section(s.key()))
                .as("%s: add a Section for its prefix to SettingDetails.SECTIONS", s.key()).isPresent());
        assertThat(SettingDetails.SECTIONS).allSatisfy(s -> assertThat(s.intro()).as(s.prefix()).isNotBlank());
    }

    @Test
    void everyKeyHasOneRowWithItsBoundsEnvironmentVariableAndReload() {
        String reference = ConfigurationReference.markdown();
        for (Setting s : Settings.ALL) {
            String row = reference.lines().filter(l -> l.startsWith("| `" + s.key() + "`")).findFirst().orElseThrow(() ->
                    new AssertionError(s.key() + " has no row"));
            assertThat(reference.lines().filter(l -> l.startsWith("| `" + s.key() + "`"))).as(s.key()).hasSize(1);
            assertThat(row).as(s.key()).contains("| " + SettingDetails.reload(s.key()) + " |");
            SettingDetails.bounds(s.key()).ifPresent(b -> assertThat(row).as(s.key()).contains(b));
        }
        assertThat(reference).contains("| `control.token` (env `CDN_CONTROL_TOKEN`) |")
                .contains("| `db.password` (env `CDN_DB_PASSWORD`) |")
                .contains("| `routing.token` (env `CDN_ROUTING_TOKEN`) |");
        assertThat(reference).as("a node re-reads no file: every key says restart").doesNotContain("| live |");
    }
}
