package io.blueorigin.cdn.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.runtime.Role;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The example configs in ops/examples/ load as written. */
class ExampleConfigsTest {

    @ParameterizedTest
    @EnumSource(Role.class)
    void theExampleForEachRoleIsValid(Role role) {
        Path file = Path.of("..", "ops", "examples", role.label() + ".yaml");
        // secrets come from the environment, as the examples say
        ConfigValues values = ConfigValues.load(role, Optional.of(file), Map.of(), Map.of(),
                Map.of("CDN_CONTROL_TOKEN", "bo_example", "CDN_DB_PASSWORD", "example"));
        Object config = switch (role) {
            case EDGE, SHIELD -> NodeConfigs.proxy(values);
            case ADMIN -> NodeConfigs.admin(values);
            case ORIGIN -> NodeConfigs.origin(values);
        };
        assertThat(config).isNotNull();
        assertThat(values.isSet("server.port")).isTrue();
    }
}
