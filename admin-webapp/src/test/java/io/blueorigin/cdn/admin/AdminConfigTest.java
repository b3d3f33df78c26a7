package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.admin.db.DatabaseConfig;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminConfigTest {
    private static final NodeIdentity ADMIN = NodeIdentity.of(Role.ADMIN, "local");
    private static final DatabaseConfig DATABASE = new DatabaseConfig("jdbc:postgresql://127.0.0.1:5432/cdn", "cdn", "",
            4, Duration.ofSeconds(5), true);

    private static AdminConfig config(Duration heartbeat, Duration retention) {
        return new AdminConfig(ADMIN, ServerConfig.ephemeral(), DATABASE, Optional.empty(), heartbeat, retention);
    }

    @Test
    void theFourArgumentConstructorFillsTheDefaults() {
        AdminConfig config = new AdminConfig(ADMIN, ServerConfig.ephemeral(), DATABASE, Optional.empty());
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.invalidationRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(config.nodeDownAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void acceptsTheBoundsOfEachSetting() {
        assertThat(config(Duration.ofSeconds(1), Duration.ofHours(1)).heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config(Duration.ofHours(1), Duration.ofDays(365)).invalidationRetention()).isEqualTo(Duration.ofDays(365));
    }

    @Test
    void rejectsAHeartbeatIntervalOutsideOneSecondToOneHourNamingTheKey() {
        assertThatThrownBy(() -> config(Duration.ofMillis(500), Duration.ofDays(7)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("admin.heartbeat-interval : 500ms (expected: 1s..1h)");
        assertThatThrownBy(() -> config(Duration.ofHours(2), Duration.ofDays(7)))
                .hasMessage("admin.heartbeat-interval : 7200s (expected: 1s..1h)");
    }

    @Test
    void rejectsARetentionBelowOneHourNamingTheKey() {
        assertThatThrownBy(() -> config(Duration.ofSeconds(10), Duration.ofMinutes(59)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("admin.invalidation-retention : 3540s (expected: >= 1h; nodes that were down longer than"
                        + " this drop their whole cache)");
    }

    @Test
    void rejectsAnIdentityThatIsNotAnAdmin() {
        assertThatThrownBy(() -> new AdminConfig(NodeIdentity.of(Role.EDGE, "nyc"), ServerConfig.ephemeral(), DATABASE,
                Optional.empty())).hasMessage("identity.role : EDGE (expected: ADMIN)");
    }
}
