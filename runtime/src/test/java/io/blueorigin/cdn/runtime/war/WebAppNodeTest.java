package io.blueorigin.cdn.runtime.war;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.runtime.StartupException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a WAR finds its configuration, and the one line it stops with when it cannot. */
class WebAppNodeTest {
    @Test
    void theInitParameterWinsOverTheSystemProperty(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.yaml"), "node: {pop: a}\n");
        Path b = Files.writeString(dir.resolve("b.yaml"), "node: {pop: b}\n");
        assertThat(WebAppNode.configFile("edge.war", a.toString(), b.toString())).isEqualTo(a);
        assertThat(WebAppNode.configFile("edge.war", " ", b.toString())).isEqualTo(b);
        assertThat(WebAppNode.configFile("edge.war", null, " " + b + " ")).isEqualTo(b);
    }

    @Test
    void noConfigurationNamesBothWaysToGiveIt() {
        assertThatThrownBy(() -> WebAppNode.configFile("shield.war", null, null)).isInstanceOf(StartupException.class)
                .hasMessage("shield.war: no configuration file: set the context init-parameter blue-origin.config "
                        + "(ops/jetty-base/webapps/shield.xml) or the system property -Dblue-origin.config to the "
                        + "node's YAML file (ops/examples/)");
        assertThatThrownBy(() -> WebAppNode.configFile("shield.war", "", "")).isInstanceOf(StartupException.class)
                .hasMessageStartingWith("shield.war: no configuration file");
    }

    @Test
    void aFileThatIsNotThereIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> WebAppNode.configFile("admin.war", dir.resolve("missing.yaml").toString(), null))
                .isInstanceOf(StartupException.class)
                .hasMessage("admin.war: blue-origin.config names " + dir.resolve("missing.yaml")
                        + ", which is not a readable file");
        assertThatThrownBy(() -> WebAppNode.configFile("admin.war", dir.toString(), null))
                .hasMessageContaining("which is not a readable file");
    }

    @Test
    void anotherJettyVersionIsRefused() {
        WebAppNode.checkJettyVersion("edge.war", "12.1.12", "12.1.12");
        WebAppNode.checkJettyVersion("edge.war", null, "12.1.12"); // no metadata: nothing to compare
        assertThatThrownBy(() -> WebAppNode.checkJettyVersion("edge.war", "12.1.12", "12.0.30"))
                .isInstanceOf(StartupException.class)
                .hasMessage("edge.war: built for Jetty 12.1.12, deployed in Jetty 12.0.30 (deploy it in a Jetty 12.1.12 "
                        + "distribution, or run the launcher's jar)");
    }
}
