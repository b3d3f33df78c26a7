package io.blueorigin.cdn.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import io.blueorigin.cdn.runtime.TlsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code tls.*} keys: HTTPS only with {@code tls.port}, exactly one kind of key files, errors naming the key. */
class TlsSettingsTest {
    @TempDir
    Path dir;

    private ConfigValues edge(String yaml, Map<String, String> environment) throws IOException {
        Path file = Files.writeString(dir.resolve("edge.yaml"), "upstream.url: http://127.0.0.1:9001\n" + yaml);
        return ConfigValues.load(Role.EDGE, Optional.of(file), Map.of(), Map.of(), environment);
    }

    @Test
    void noTlsPortMeansPlainHttpOnly() throws IOException {
        ServerConfig server = NodeConfigs.server(edge("", Map.of()));
        assertThat(server.tls()).isEmpty();
        assertThat(server.h2c()).isFalse();
    }

    @Test
    void aKeystoreWithItsPasswordFromTheEnvironment() throws IOException {
        ServerConfig server = NodeConfigs.server(edge("""
                tls:
                  port: 8443
                  keystore: /etc/blue-origin/edge.p12
                  keystore-password: in-the-file
                  hsts: max-age=31536000; includeSubDomains
                  h2c: true
                """, Map.of("CDN_TLS_KEYSTORE_PASSWORD", "from-env")));
        TlsConfig tls = server.tls().orElseThrow();
        assertThat(tls.port()).isEqualTo(8443);
        assertThat(tls.keys()).isEqualTo(new TlsConfig.KeyStoreFile(Path.of("/etc/blue-origin/edge.p12"), "from-env"));
        assertThat(tls.keys().toString()).doesNotContain("from-env");
        assertThat(tls.hsts()).contains("max-age=31536000; includeSubDomains");
        assertThat(tls.scanInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(tls.allowExpired()).isFalse();
        assertThat(server.h2c()).isTrue();
    }

    @Test
    void pemFilesAndHstsOffByDefault() throws IOException {
        TlsConfig tls = NodeConfigs.server(edge("""
                tls:
                  port: 8443
                  certificate: /etc/tls/fullchain.pem
                  private-key: /etc/tls/privkey.pem
                """, Map.of())).tls().orElseThrow();
        assertThat(tls.keys()).isEqualTo(new TlsConfig.PemFiles(Path.of("/etc/tls/fullchain.pem"), Path.of("/etc/tls/privkey.pem")));
        assertThat(tls.hsts()).isEmpty();
    }

    /** yaml (with \n) | the message after the file name. */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "tls: {port: 8443}                                                       | tls.keystore is required with tls.port",
        "tls: {port: 8443, certificate: /c.pem}                                  | tls.private-key is required with tls.port",
        "tls: {port: 8443, private-key: /k.pem}                                  | tls.certificate is required with tls.port",
        "tls: {port: 8443, keystore: /e.p12, certificate: /c.pem}                | tls.keystore : set together with tls.certificate",
        "tls: {keystore: /e.p12}                                                 | tls.keystore : set, but tls.port is not",
        "tls: {port: 8443, keystore: /e.p12, hsts: 'max-age=soon'}               | tls.hsts : 'max-age=soon' (expected: off, or max-age=SECONDS",
        "tls: {port: 8443, keystore: /e.p12, scan-interval: 1500ms}              | tls.scan-interval : PT1.5S (expected: whole seconds",
        "server: {port: 8443}\\ntls: {port: 8443, keystore: /e.p12}                | tls.port : 8443 (expected: different from server.port 8443",
    })
    void badCombinationsNameTheKeyAndTheFile(String yaml, String message) throws IOException {
        ConfigValues v = edge(yaml.replace("\\n", "\n") + "\n", Map.of());
        assertThatThrownBy(() -> NodeConfigs.server(v))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(dir.resolve("edge.yaml") + ": " + message);
    }

    @Test
    void tlsKeysAreAnEdgesOnly() throws IOException {
        Path file = Files.writeString(dir.resolve("shield.yaml"), "tls: {port: 8443}\n");
        assertThatThrownBy(() -> ConfigValues.load(Role.SHIELD, Optional.of(file), Map.of(), Map.of(), Map.of()))
                .hasMessageContaining("'tls.port' does not apply to a shield node");
    }
}
