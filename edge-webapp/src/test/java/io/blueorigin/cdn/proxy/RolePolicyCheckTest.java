package io.blueorigin.cdn.proxy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.edge.EdgePolicy;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import java.net.URI;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** A node's role policy is passed in, never derived: one for another role is refused before anything opens. */
class RolePolicyCheckTest {
    @Test
    void aPolicyForAnotherRoleIsRefusedNamingBoth() {
        ProxyConfig shield = ProxyConfig.of(NodeIdentity.of(Role.SHIELD, "nyc"), ServerConfig.ephemeral(),
                UpstreamConfig.of(URI.create("http://127.0.0.1:9")));
        assertThatThrownBy(() -> ProxyCore.open(shield, EdgePolicy.INSTANCE, Clock.systemUTC(), cache -> null,
                () -> null, () -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is for role edge").hasMessageContaining("has role shield");
    }
}
