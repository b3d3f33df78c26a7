package io.blueorigin.cdn.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.admin.AdminConfigs;
import io.blueorigin.cdn.httpcache.site.Site;
import io.blueorigin.cdn.httpcache.site.SiteTable;
import io.blueorigin.cdn.launcher.RoleConfigs;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.ProxyConfigs;
import io.blueorigin.cdn.runtime.Role;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The example configs in ops/examples/ load as written: every file there, each by a test of its own. */
class ExampleConfigsTest {

    @ParameterizedTest
    @EnumSource(Role.class)
    void theExampleForEachRoleIsValid(Role role) {
        Path file = Path.of("..", "ops", "examples", role.label() + ".yaml");
        // secrets come from the environment, as the examples say
        ConfigValues values = ConfigValues.load(role, Optional.of(file), Map.of(), Map.of(),
                Map.of("CDN_CONTROL_TOKEN", "bo_example", "CDN_DB_PASSWORD", "example", "CDN_ROUTING_TOKEN", "bo_example"));
        Object config = switch (role) {
            case EDGE, SHIELD -> ProxyConfigs.proxy(values);
            case ADMIN -> AdminConfigs.admin(values);
            case ORIGIN -> RoleConfigs.origin(values);
            case ROUTER -> RoleConfigs.router(values);
        };
        assertThat(config).isNotNull();
        assertThat(values.isSet("server.port")).isTrue();
    }

    @Test
    void aRouterDnsPortOfZeroMeansNoDnsServer() {
        Map<String, String> flags = Map.of("routing.admin-url", "http://127.0.0.1:9000", "routing.geoip-db", "/tmp/City.mmdb");
        Map<String, String> env = Map.of("CDN_ROUTING_TOKEN", "bo_example");
        assertThat(RoleConfigs.router(ConfigValues.load(Role.ROUTER, Optional.empty(), flags, Map.of(), env)).dnsPort())
                .as("routing.dns-port defaults to 0: no DNS server").isNull();
        Map<String, String> withDns = new java.util.HashMap<>(flags);
        withDns.put("routing.dns-port", "5353");
        assertThat(RoleConfigs.router(ConfigValues.load(Role.ROUTER, Optional.empty(), withDns, Map.of(), env)).dnsPort())
                .isEqualTo(5353);
    }

    @Test
    void theTwoSiteStandaloneEdgeLoadsWithItsSites() {
        Path file = Path.of("..", "ops", "examples", "edge-sites.yaml");
        ProxyConfig edge = ProxyConfigs.proxy(ConfigValues.load(Role.EDGE, Optional.of(file), Map.of(), Map.of(), Map.of()));
        SiteTable sites = edge.sites();
        assertThat(sites.version()).isZero();
        assertThat(sites.sites()).extracting(Site::name).containsExactly("img", "www");
        assertThat(edge.cache().site()).isEqualTo("www");
        assertThat(sites.select("www.example.com:8080").name()).isEqualTo("www");
        assertThat(sites.select("a.img.example.com").name()).isEqualTo("img");
        assertThat(sites.select("img.example.com").name()).isEqualTo("img");
        assertThat(sites.select("b.a.img.example.com")).as("a wildcard matches one label").isNull();
        assertThat(sites.select("127.0.0.1:8080")).as("cache.site's, not claimed").isNull();
        Site img = sites.get("img");
        assertThat(img.origins().get(0).url()).isEqualTo(URI.create("http://127.0.0.1:9002"));
        assertThat(img.origins().get(0).maxConcurrent()).isEqualTo(64);
        assertThat(img.caching().edgeTtlCap()).isEqualTo(Duration.ofMinutes(5));
        assertThat(img.caching().query().apply("h=2&x=1&w=3")).isEqualTo("h=2&w=3");
        assertThat(sites.get("www").caching().cookies().apply("_ga=1; session=abc")).isEqualTo("session=abc");
        assertThat(sites.get("www").origins().get(0).hostHeader()).isEqualTo("www.example.com");
    }

    @Test
    void everyExampleFileIsLoadedByATestHere() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "ops", "examples"))) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted())
                    .as("a new file in ops/examples/ needs a test here that loads it")
                    .containsExactly("admin.yaml", "edge-sites.yaml", "edge.yaml", "origin.yaml", "router.yaml", "shield.yaml");
        }
    }
}
