package io.blueorigin.cdn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    @Test
    void managementPortDefaultsToTrafficPortPlusTenThousand() {
        assertThat(ServerConfig.defaultManagementPort(8080)).isEqualTo(18080);
        assertThat(ServerConfig.defaultManagementPort(0)).isZero();
        assertThatThrownBy(() -> ServerConfig.defaultManagementPort(60000))
                .hasMessageContaining("management.port");
    }

    @Test
    void rejectsBadValuesNamingTheKey() {
        assertThatThrownBy(() -> new ServerConfig("0.0.0.0", 70000, "0.0.0.0", 1, 16,
                Duration.ofSeconds(1), Duration.ZERO, Optional.empty()))
                .hasMessage("server.port : 70000 (expected: 0..65535)");
        assertThatThrownBy(() -> new ServerConfig("0.0.0.0", 8080, "0.0.0.0", 8080, 16,
                Duration.ofSeconds(1), Duration.ZERO, Optional.empty()))
                .hasMessageContaining("management.port : 8080");
        assertThatThrownBy(() -> new ServerConfig("0.0.0.0", 8080, "0.0.0.0", 18080, 2,
                Duration.ofSeconds(1), Duration.ZERO, Optional.empty()))
                .hasMessageContaining("server.max-threads : 2");
    }

    @Test
    void nodeNamesAreTokens() {
        assertThat(NodeIdentity.of(Role.EDGE, "nyc").name()).isEqualTo("edge-nyc");
        assertThatThrownBy(() -> new NodeIdentity(Role.EDGE, "edge nyc", "nyc")).hasMessageContaining("node.name");
    }
}
