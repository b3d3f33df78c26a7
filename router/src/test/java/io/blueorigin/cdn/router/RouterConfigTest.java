package io.blueorigin.cdn.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link RouterConfig} checks: each bad value is refused with the setting's key in the message. */
class RouterConfigTest {
    private static final NodeIdentity ROUTER = new NodeIdentity(Role.ROUTER, "router-1", "lhr");

    private static RouterConfig config(String setting, String value) {
        RouterConfig base = RouterConfig.of(ROUTER, ServerConfig.ephemeral(), URI.create("http://127.0.0.1:9000"),
                "bo_token", Path.of("city.mmdb"));
        return switch (setting) {
            case "routing.admin-url" -> RouterConfig.of(ROUTER, ServerConfig.ephemeral(), URI.create(value), "bo_token",
                    Path.of("city.mmdb"));
            case "routing.token" -> RouterConfig.of(ROUTER, ServerConfig.ephemeral(),
                    URI.create("http://127.0.0.1:9000"), value.replace("\\n", "\n"), Path.of("city.mmdb"));
            case "routing.default-pop" -> base.withDefaultPop(value);
            case "routing.poll-wait" -> base.withPollWait(Duration.parse(value));
            case "routing.dns-port" -> base.withDns(Integer.parseInt(value), "127.0.0.1", "cdn.demo.test", Duration.ofSeconds(20));
            case "routing.dns-bind-address" -> base.withDns(5353, value, "cdn.demo.test", Duration.ofSeconds(20));
            case "routing.dns-hostname" -> base.withDns(5353, "127.0.0.1", value, Duration.ofSeconds(20));
            case "routing.dns-ttl" -> base.withDns(5353, "127.0.0.1", "cdn.demo.test", Duration.parse(value));
            case "node.role" -> new RouterConfig(new NodeIdentity(Role.EDGE, "edge-1", "lhr"), base.server(),
                    base.adminUrls(), base.token(), base.geoipDb(), null, 50, 0.1, List.of(), base.pollWait(), 0,
                    "127.0.0.1", "cdn.demo.test", base.dnsTtl(), null);
            default -> throw new IllegalArgumentException(setting);
        };
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            routing.admin-url        | ftp://admin.test
            routing.admin-url        | /api
            routing.admin-url        | http://admin.test/?x=1
            routing.token       | ``
            routing.token       | `   `
            routing.token       | bo_token\\n
            routing.default-pop      | ` `
            routing.poll-wait        | PT0.5S
            routing.poll-wait        | PT31S
            routing.dns-port         | -1
            routing.dns-port         | 65536
            routing.dns-bind-address | localhost
            routing.dns-hostname     | ``
            routing.dns-hostname     | .
            routing.dns-hostname     | bad..name
            routing.dns-ttl          | PT0S
            routing.dns-ttl          | PT2H
            node.role                | edge
            """)
    void refusesNamingTheSetting(String setting, String value) {
        assertThatThrownBy(() -> config(setting, value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(setting + " : ");
    }

    @Test
    void defaults() {
        RouterConfig config = config("routing.default-pop", "nyc");
        assertThat(config.defaultPop()).isEqualTo("nyc");
        assertThat(config.dnsPort()).as("no DNS server").isNull();
        assertThat(config.dnsTtl()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.pollWait()).isEqualTo(Duration.ofSeconds(25));
        assertThat(config.trustedProxies()).isEmpty();
        assertThat(config.viewFile()).isNull();
        assertThat(config("routing.dns-hostname", "CDN.demo.test.").dnsZone()).hasToString("CDN.demo.test.");
    }
}
