package io.blueorigin.cdn.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.admin.AdminConfig;
import io.blueorigin.cdn.admin.AdminConfigs;
import io.blueorigin.cdn.httpcache.site.Site;
import io.blueorigin.cdn.httpcache.site.SiteTable;
import io.blueorigin.cdn.launcher.RoleConfigs;
import io.blueorigin.cdn.origin.OriginConfig;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.ProxyConfigs;
import io.blueorigin.cdn.proxy.control.ControlConfig;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigValuesTest {
    @TempDir
    Path dir;

    private Path yaml(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static ConfigValues load(Role role, Path file) {
        return ConfigValues.load(role, Optional.of(file), Map.of(), Map.of(), Map.of());
    }

    @Test
    void defaultsServeASingleMachine() {
        ConfigValues v = ConfigValues.load(Role.EDGE, Optional.empty(), Map.of("upstream.url", "http://127.0.0.1:9001"),
                Map.of("upstream.url", "--upstream"), Map.of());
        ProxyConfig edge = ProxyConfigs.proxy(v);
        assertThat(edge.identity().name()).isEqualTo("edge-local");
        assertThat(edge.server().host()).isEqualTo("0.0.0.0");
        assertThat(edge.server().port()).isEqualTo(8080);
        assertThat(edge.server().managementPort()).isEqualTo(18080);
        assertThat(edge.server().managementHost()).as("probes and metrics are not public unless asked").isEqualTo("127.0.0.1");
        assertThat(edge.server().accessLog()).isEmpty();
        assertThat(edge.server().limits()).isEqualTo(ServerConfig.Limits.defaults());
        assertThat(edge.upstream().maxConcurrentPass()).isEqualTo(128);
        assertThat(edge.forwarding().strippedFields()).contains("X-Forwarded-Host", "X-HTTP-Method-Override");
        assertThat(edge.forwarding().trustedProxies()).isEmpty();
        assertThat(edge.upstream().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(edge.upstream().readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(edge.upstream().maxConnections()).isEqualTo(256);

        ServerConfig shield = NodeConfigs.server(ConfigValues.load(Role.SHIELD, Optional.empty(), Map.of(), Map.of(), Map.of()));
        assertThat(shield.port()).isEqualTo(8082);
        assertThat(shield.managementPort()).isEqualTo(18082);
        OriginConfig origin = RoleConfigs.origin(ConfigValues.load(Role.ORIGIN, Optional.empty(), Map.of(), Map.of(), Map.of()));
        assertThat(origin.delay()).isEqualTo(Duration.ofMillis(50));
        assertThat(origin.server().port()).isEqualTo(9001);
        assertThat(origin.site()).as("pages name no site unless asked").isEmpty();
        assertThat(RoleConfigs.origin(ConfigValues.load(Role.ORIGIN, Optional.empty(), Map.of("origin.site", "img"),
                Map.of(), Map.of())).site()).isEqualTo("img");
    }

    @Test
    void hardeningKeysAreReadAndBadOnesNamed() {
        ConfigValues v = ConfigValues.load(Role.SHIELD, Optional.empty(), Map.of("upstream.url", "http://127.0.0.1:9001",
                "management.host", "10.0.0.5", "server.max-connections-per-client", "64", "server.response-header-size", "32KB",
                "upstream.max-concurrent-pass", "10", "forwarding.trusted-proxies", "10.0.0.0/8, fd00::/8",
                "forwarding.strip-fields", "X-Forwarded-Host,X-Debug"), Map.of(), Map.of());
        ProxyConfig shield = ProxyConfigs.proxy(v);
        assertThat(shield.server().managementHost()).isEqualTo("10.0.0.5");
        assertThat(shield.server().limits().maxConnectionsPerClient()).isEqualTo(64);
        assertThat(shield.server().limits().responseHeaderSize()).isEqualTo(32 * 1024);
        assertThat(shield.upstream().maxConcurrentPass()).isEqualTo(10);
        assertThat(shield.forwarding().trustedProxies()).containsExactly("10.0.0.0/8", "fd00::/8");
        assertThat(shield.forwarding().strippedFields()).containsExactly("X-Forwarded-Host", "X-Debug");

        assertThatThrownBy(() -> ProxyConfigs.proxy(ConfigValues.load(Role.EDGE, Optional.empty(), Map.of(
                "upstream.url", "http://127.0.0.1:9001", "forwarding.trusted-proxies", "10.0.0.0/99"), Map.of(), Map.of())))
                .hasMessageContaining("forwarding.trusted-proxies").hasMessageContaining("10.0.0.0/99");
        assertThatThrownBy(() -> ProxyConfigs.proxy(ConfigValues.load(Role.EDGE, Optional.empty(), Map.of(
                "upstream.url", "http://127.0.0.1:9001", "upstream.max-concurrent-pass", "300"), Map.of(), Map.of())))
                .hasMessageContaining("upstream.max-concurrent-pass : 300");
        assertThatThrownBy(() -> ProxyConfigs.proxy(ConfigValues.load(Role.EDGE, Optional.empty(), Map.of(
                "upstream.url", "http://127.0.0.1:9001", "forwarding.strip-fields", "Host"), Map.of(), Map.of())))
                .hasMessageContaining("forwarding.strip-fields : 'Host'");
    }

    @Test
    void urlPatternsAreReadInOrderAndABadOneIsAStartErrorNamingTheKey() {
        ProxyConfig edge = ProxyConfigs.proxy(ConfigValues.load(Role.EDGE, Optional.empty(), Map.of("upstream.url",
                "http://127.0.0.1:8082", "stats.url-patterns", "/static/*, /api/*,/"), Map.of(), Map.of()));
        assertThat(edge.urlPatterns().patterns()).containsExactly("/static/*", "/api/*", "/");
        assertThat(ProxyConfigs.proxy(ConfigValues.load(Role.SHIELD, Optional.empty(), Map.of("upstream.url",
                "http://127.0.0.1:9001"), Map.of(), Map.of())).urlPatterns().patterns()).as("default: none").isEmpty();

        assertThatThrownBy(() -> ProxyConfigs.proxy(ConfigValues.load(Role.EDGE, Optional.empty(), Map.of(
                "upstream.url", "http://127.0.0.1:9001", "stats.url-patterns", "/static/*,static/*"), Map.of(), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("stats.url-patterns : 'static/*' does not start with /");
        assertThatThrownBy(() -> ProxyConfigs.proxy(ConfigValues.load(Role.EDGE, Optional.empty(), Map.of(
                "upstream.url", "http://127.0.0.1:9001", "stats.url-patterns", "/a?b=*"), Map.of(), Map.of())))
                .hasMessageContaining("stats.url-patterns : '/a?b=*' has '?'");
        String many = String.join(",", java.util.stream.IntStream.rangeClosed(1, 33).mapToObj(i -> "/p" + i + "/*").toList());
        assertThatThrownBy(() -> ProxyConfigs.proxy(ConfigValues.load(Role.EDGE, Optional.empty(), Map.of(
                "upstream.url", "http://127.0.0.1:9001", "stats.url-patterns", many), Map.of(), Map.of())))
                .hasMessageContaining("stats.url-patterns : 33 patterns, at most 32");
    }

    @Test
    void rateLimitKeysAreReadForAnEdgeAndBadOnesNamed() {
        ProxyConfig edge = ProxyConfigs.proxy(ConfigValues.load(Role.EDGE, Optional.empty(), Map.of("upstream.url",
                "http://127.0.0.1:8082", "ratelimit.enabled", "true", "ratelimit.rate", "600", "ratelimit.period", "1m",
                "ratelimit.burst", "50", "ratelimit.applies-to", "misses", "ratelimit.max-entries", "1000",
                "ratelimit.idle-expiry", "5m"), Map.of(), Map.of()));
        assertThat(edge.rateLimit()).isEqualTo(new io.blueorigin.cdn.proxy.ratelimit.RateLimitConfig(true, 600,
                Duration.ofMinutes(1), 50, io.blueorigin.cdn.httpcache.site.SiteRateLimit.AppliesTo.MISSES, 1000,
                Duration.ofMinutes(5)));
        assertThat(ProxyConfigs.proxy(ConfigValues.load(Role.EDGE, Optional.empty(), Map.of("upstream.url",
                "http://127.0.0.1:8082"), Map.of(), Map.of())).rateLimit())
                .as("off unless asked").isEqualTo(io.blueorigin.cdn.proxy.ratelimit.RateLimitConfig.defaults());

        assertThatThrownBy(() -> ProxyConfigs.proxy(ConfigValues.load(Role.EDGE, Optional.empty(), Map.of(
                "upstream.url", "http://127.0.0.1:8082", "ratelimit.applies-to", "hits"), Map.of(), Map.of())))
                .hasMessageContaining("ratelimit.applies-to : 'hits' (expected: one of all, misses)");
        assertThatThrownBy(() -> ProxyConfigs.proxy(ConfigValues.load(Role.EDGE, Optional.empty(), Map.of(
                "upstream.url", "http://127.0.0.1:8082", "ratelimit.burst", "0"), Map.of(), Map.of())))
                .hasMessageContaining("ratelimit.burst : 0");
        assertThatThrownBy(() -> ProxyConfigs.proxy(ConfigValues.load(Role.EDGE, Optional.empty(), Map.of(
                "upstream.url", "http://127.0.0.1:8082", "ratelimit.period", "500ms"), Map.of(), Map.of())))
                .hasMessageContaining("ratelimit.period : 500ms");
        assertThatThrownBy(() -> ConfigValues.load(Role.SHIELD, Optional.empty(), Map.of(
                "upstream.url", "http://127.0.0.1:9001", "ratelimit.enabled", "true"), Map.of(), Map.of()))
                .hasMessageContaining("'ratelimit.enabled' does not apply to a shield node");
    }

    @Test
    void nestedAndDottedKeysBothWork() throws IOException {
        Path file = yaml("edge.yaml", """
                node:
                  pop: nyc
                server.port: 8181
                server:
                  host: 127.0.0.1
                upstream:
                  url: http://shield:8082/
                  read-timeout: 10s
                access-log.path: /tmp/edge.log
                """);
        ProxyConfig edge = ProxyConfigs.proxy(load(Role.EDGE, file));
        assertThat(edge.identity().name()).isEqualTo("edge-nyc");
        assertThat(edge.server().port()).isEqualTo(8181);
        assertThat(edge.server().managementPort()).isEqualTo(18181);
        assertThat(edge.server().managementHost()).isEqualTo("127.0.0.1");
        assertThat(edge.server().accessLog()).contains(Path.of("/tmp/edge.log"));
        assertThat(edge.upstream().url()).isEqualTo(URI.create("http://shield:8082/"));
        assertThat(edge.upstream().readTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anUnknownKeyFailsNamingTheKeyTheFileAndTheLikelyIntent() throws IOException {
        Path file = yaml("edge.yaml", "server:\n  prot: 8080\n");
        assertThatThrownBy(() -> load(Role.EDGE, file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("unknown key 'server.prot'")
                .hasMessageContaining("did you mean 'server.port'?");
    }

    @Test
    void aKeyOfAnotherRoleIsRejected() throws IOException {
        Path file = yaml("admin.yaml", "upstream.url: http://x:1\n");
        assertThatThrownBy(() -> load(Role.ADMIN, file))
                .hasMessageContaining("admin.yaml")
                .hasMessageContaining("'upstream.url' does not apply to an admin node");
    }

    @Test
    void aBadValueFailsNamingKeyValueAndExpectation() throws IOException {
        Path file = yaml("edge.yaml", "server:\n  port: eighty\n");
        assertThatThrownBy(() -> load(Role.EDGE, file))
                .hasMessage(file + ": server.port : 'eighty' (expected: a port number 0..65535)");
        Path timeout = yaml("t.yaml", "upstream.read-timeout: 30\n");
        assertThatThrownBy(() -> load(Role.EDGE, timeout))
                .hasMessageContaining("upstream.read-timeout : '30' (expected: a duration such as 500ms, 30s");
        Path url = yaml("u.yaml", "upstream.url: shield:8082\n");
        assertThatThrownBy(() -> load(Role.SHIELD, url))
                .hasMessageContaining("upstream.url : 'shield:8082' (expected: one or more http:// or https:// URLs");
        Path list = yaml("l.yaml", "upstream.url: http://a:1, ,http://b:2\n");
        assertThatThrownBy(() -> load(Role.EDGE, list))
                .hasMessageContaining("upstream.url : 'http://a:1, ,http://b:2'");
    }

    @Test
    void aUrlListKeepsItsOrder() throws IOException {
        Path file = yaml("edge.yaml", "upstream.url: http://b:2, http://a:1\n");
        assertThat(ProxyConfigs.proxy(load(Role.EDGE, file)).upstream().urls())
                .extracting(Object::toString)
                .containsExactly("http://b:2", "http://a:1");
    }

    @Test
    void aValueARecordRejectsIsReportedWithItsSource() throws IOException {
        Path file = yaml("edge.yaml", "upstream.url: http://x:1\nupstream.max-connections: 0\n");
        assertThatThrownBy(() -> ProxyConfigs.proxy(load(Role.EDGE, file)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": upstream.max-connections : 0 (expected: >= 1)");
    }

    @Test
    void memoryForBodiesInTransitAndTheDiskIndexIsConfigurableAndMustFitTheHeap() throws IOException {
        Path file = yaml("edge.yaml", "upstream.url: http://x:1\nstore.in-flight.max-size: 8MB\n"
                + "store.disk.index-max-size: 2MB\n");
        ProxyConfig edge = ProxyConfigs.proxy(load(Role.EDGE, file));
        assertThat(edge.cache().storage().inFlightMaxBytes()).isEqualTo(8L << 20);
        assertThat(edge.cache().storage().diskIndexMaxBytes()).isEqualTo(2L << 20);

        long jvmHeap = Runtime.getRuntime().maxMemory();
        Path tooMuch = yaml("big.yaml", "upstream.url: http://x:1\nstore.in-flight.max-size: " + jvmHeap / 1024 + "KB\n");
        assertThatThrownBy(() -> ProxyConfigs.proxy(load(Role.EDGE, tooMuch)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(tooMuch + ": store.in-flight.max-size : ")
                .hasMessageContaining("at most three quarters of the JVM heap");
        Path tiny = yaml("tiny.yaml", "upstream.url: http://x:1\nstore.in-flight.max-size: 64KB\n");
        assertThatThrownBy(() -> ProxyConfigs.proxy(load(Role.EDGE, tiny)))
                .hasMessageContaining("store.in-flight.max-size : 65536 bytes (expected: at least 4 chunks");
    }

    @Test
    void aMissingRequiredKeySaysWhatToSet() {
        ConfigValues v = ConfigValues.load(Role.EDGE, Optional.empty(), Map.of(), Map.of(), Map.of());
        assertThatThrownBy(() -> ProxyConfigs.proxy(v))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("upstream.url is required for an edge node")
                .hasMessageContaining("--upstream");
    }

    @Test
    void malformedFilesAreClearErrors() throws IOException {
        assertThatThrownBy(() -> load(Role.EDGE, yaml("dup.yaml", "server:\n  port: 1\n  port: 2\n")))
                .hasMessageContaining("dup.yaml").hasMessageContaining("port");
        assertThatThrownBy(() -> load(Role.EDGE, yaml("bad.yaml", "server: [1, 2\n")))
                .hasMessageContaining("bad.yaml: not valid YAML");
        assertThatThrownBy(() -> load(Role.EDGE, yaml("list.yaml", "server:\n  port: [1, 2]\n")))
                .hasMessageContaining("server.port : a list is not valid here");
        assertThatThrownBy(() -> load(Role.EDGE, yaml("null.yaml", "server:\n  port:\n")))
                .hasMessageContaining("server.port : ''");
        assertThatThrownBy(() -> load(Role.EDGE, yaml("scalar.yaml", "just a string\n")))
                .hasMessageContaining("expected a map of settings");
        assertThatThrownBy(() -> load(Role.EDGE, dir.resolve("missing.yaml")))
                .hasMessageContaining("missing.yaml: no such file");
        assertThat(load(Role.SHIELD, yaml("empty.yaml", "")).isSet("server.port")).isFalse();
    }

    @Test
    void flagsWinOverTheFileAndTheEnvironmentSuppliesTheDatabasePassword() throws IOException {
        Path file = yaml("admin.yaml", "server.port: 9100\ndb.url: jdbc:postgresql://db:5432/cdn\ndb.password: in-file\n");
        ConfigValues v = ConfigValues.load(Role.ADMIN, Optional.of(file), Map.of("server.port", "9200"),
                Map.of("server.port", "--port"), Map.of("CDN_DB_PASSWORD", "from-env"));
        AdminConfig admin = AdminConfigs.admin(v);
        assertThat(admin.server().port()).isEqualTo(9200);
        assertThat(admin.database().password()).isEqualTo("from-env");
        assertThat(admin.database().toString()).doesNotContain("from-env");
        assertThat(v.source("server.port")).isEqualTo("--port");
    }

    @Test
    void aNodeFollowsAdminWithTheTokenFromTheEnvironmentNeverShownInItsConfig() throws IOException {
        Path file = yaml("edge.yaml", "upstream.url: http://s:1\ncontrol:\n  admin-url: http://admin:9000\n"
                + "  heartbeat-interval: 5s\n");
        ConfigValues v = ConfigValues.load(Role.EDGE, Optional.of(file), Map.of(), Map.of(), Map.of("CDN_CONTROL_TOKEN", "bo_secret"));
        ControlConfig control = ProxyConfigs.proxy(v).control();
        assertThat(control.adminUrls()).containsExactly(java.net.URI.create("http://admin:9000"));
        assertThat(control.token()).contains("bo_secret");
        assertThat(control.heartbeatInterval()).hasSeconds(5);
        assertThat(control.toString()).doesNotContain("bo_secret");
        assertThat(ProxyConfigs.proxy(v).toString()).doesNotContain("bo_secret");

        ConfigValues noToken = ConfigValues.load(Role.EDGE, Optional.of(file), Map.of(), Map.of(), Map.of());
        assertThatThrownBy(() -> ProxyConfigs.proxy(noToken)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("control.token is required with control.admin-url")
                .hasMessageContaining("CDN_CONTROL_TOKEN");
        // an env file's empty line (CDN_CONTROL_TOKEN=) is no token, not an empty one
        ConfigValues emptyToken = ConfigValues.load(Role.EDGE, Optional.of(file), Map.of(), Map.of(),
                Map.of("CDN_CONTROL_TOKEN", ""));
        assertThatThrownBy(() -> ProxyConfigs.proxy(emptyToken)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("control.token is required with control.admin-url");
        Path badWait = yaml("wait.yaml", "upstream.url: http://s:1\ncontrol.poll-wait: 60s\n");
        assertThatThrownBy(() -> ProxyConfigs.proxy(load(Role.EDGE, badWait)))
                .hasMessageContaining("control.poll-wait : PT1M (expected: 0s..30s)");
        assertThat(ProxyConfigs.proxy(load(Role.EDGE, yaml("alone.yaml", "upstream.url: http://s:1\n"))).control().enabled())
                .as("no admin-url: a standalone cache").isFalse();
    }

    @Test
    void aNodeFollowsSeveralAdminReplicasInTheOrderGivenEachOnce() throws IOException {
        Path file = yaml("replicas.yaml", "upstream.url: http://s:1\ncontrol:\n  admin-url: http://a1:9000, http://a2:9000\n"
                + "  token: bo_t\n");
        assertThat(ProxyConfigs.proxy(load(Role.EDGE, file)).control().adminUrls())
                .containsExactly(java.net.URI.create("http://a1:9000"), java.net.URI.create("http://a2:9000"));
        Path twice = yaml("twice.yaml", "upstream.url: http://s:1\ncontrol:\n  admin-url: http://a1:9000,http://a1:9000\n"
                + "  token: bo_t\n");
        assertThatThrownBy(() -> ProxyConfigs.proxy(load(Role.EDGE, twice))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("control.admin-url")
                .hasMessageContaining("each admin replica once");
    }

    @Test
    void aBadFlagValueNamesTheFlag() {
        assertThatThrownBy(() -> ConfigValues.load(Role.EDGE, Optional.empty(), Map.of("server.port", "x"),
                Map.of("server.port", "--port"), Map.of()))
                .hasMessage("--port: server.port : 'x' (expected: a port number 0..65535)");
    }

    // ------------------------------------------------------------------------------------------ sites

    private static final String TWO_SITES = """
            upstream.url: http://127.0.0.1:9001
            cache.site: www
            sites:
              - name: www
                hosts: [www.example.com]
                origins: [{url: "http://127.0.0.1:9001"}]
              - name: img
                hosts: ["*.img.example.com"]
                origins:
                  - url: http://127.0.0.1:9002
                    maxConcurrent: 8
                    verifyTls: false
                caching: {shieldTtlCap: 10m, cookies: {mode: strip, names: [_ga]}}
            """;

    @Test
    void aStandaloneNodeDeclaresSitesInItsYaml() throws IOException {
        ProxyConfig edge = ProxyConfigs.proxy(load(Role.EDGE, yaml("sites.yaml", TWO_SITES)));
        assertThat(edge.sites().version()).isZero();
        assertThat(edge.sites().size()).isEqualTo(2);
        assertThat(edge.sites().select("x.img.example.com").name()).isEqualTo("img");
        assertThat(edge.sites().get("img").origins().get(0).maxConcurrent()).isEqualTo(8);
        assertThat(edge.sites().get("img").origins().get(0).verifyTls()).isFalse();
        assertThat(edge.sites().get("img").caching().shieldTtlCap()).hasMinutes(10);
        assertThat(edge.cache().site()).isEqualTo("www");
        ProxyConfig shield = ProxyConfigs.proxy(load(Role.SHIELD, yaml("shield-sites.yaml", TWO_SITES)));
        assertThat(shield.sites().sites()).extracting(Site::name).containsExactly("img", "www");

        assertThat(ProxyConfigs.proxy(load(Role.EDGE, yaml("none.yaml", "upstream.url: http://s:1\n"))).sites())
                .as("no sites: only cache.site's, made from upstream.url").isSameAs(SiteTable.EMPTY);
        assertThat(ProxyConfigs.proxy(load(Role.EDGE, yaml("empty.yaml", "upstream.url: http://s:1\nsites: []\n")))
                .sites().size()).isZero();
    }

    @Test
    void sitesCanBeSetAsAFlowListOnTheCommandLine() {
        ConfigValues v = ConfigValues.load(Role.EDGE, Optional.empty(), Map.of("upstream.url", "http://s:1",
                "sites", "[{name: a, hosts: [a.test], origins: [{url: 'http://127.0.0.1:9001'}]}]"), Map.of(), Map.of());
        assertThat(ProxyConfigs.proxy(v).sites().select("A.test.").name()).isEqualTo("a");
        assertThatThrownBy(() -> ConfigValues.load(Role.EDGE, Optional.empty(), Map.of("sites", "[{name: a}]"),
                Map.of(), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessage("--set sites=...: sites[0].origins: expected 1 to 16 origins");
    }

    @Test
    void aBadSiteDefinitionNamesTheFieldFromTheKey() throws IOException {
        String second = TWO_SITES.replace("url: http://127.0.0.1:9002", "url: ftp://127.0.0.1:9002");
        Path file = yaml("bad-url.yaml", second);
        assertThatThrownBy(() -> load(Role.EDGE, file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": sites[1].origins[0].url: 'ftp://127.0.0.1:9002': expected an http:// or https:// URL");

        Path deep = yaml("deep.yaml", TWO_SITES.replace("\"*.img.example.com\"", "\"*.*.example.com\""));
        assertThatThrownBy(() -> load(Role.EDGE, deep)).hasMessageStartingWith(deep + ": sites[1].hosts[0]: '*.*.example.com'");

        Path unknown = yaml("unknown.yaml", TWO_SITES.replace("maxConcurrent: 8", "maxConcurent: 8"));
        assertThatThrownBy(() -> load(Role.EDGE, unknown))
                .hasMessageStartingWith(unknown + ": sites[1].origins[0].maxConcurent: unknown field");

        Path ttl = yaml("ttl.yaml", TWO_SITES.replace("shieldTtlCap: 10m", "shieldTtlCap: 1000d"));
        assertThatThrownBy(() -> load(Role.EDGE, ttl)).hasMessageStartingWith(ttl + ": sites[1].caching.shieldTtlCap: ");

        Path notAMap = yaml("scalar.yaml", "upstream.url: http://s:1\nsites:\n  - www\n");
        assertThatThrownBy(() -> load(Role.EDGE, notAMap)).hasMessageStartingWith(notAMap + ": sites[0]: expected an object");

        Path map = yaml("map.yaml", "upstream.url: http://s:1\nsites:\n  www: {origins: [{url: 'http://o'}]}\n");
        assertThatThrownBy(() -> load(Role.EDGE, map)).hasMessageStartingWith(map + ": sites: expected a list of site definitions");

        Path empty = yaml("null.yaml", "upstream.url: http://s:1\nsites:\n");
        assertThatThrownBy(() -> load(Role.EDGE, empty)).hasMessageContaining("sites").hasMessageContaining("expected a list");
    }

    @Test
    void oneHostBelongsToOneSiteAndOneNameToOneSite() throws IOException {
        Path taken = yaml("taken.yaml", TWO_SITES + """
                  - name: thumbs
                    hosts: [img.example.com, t.img.example.com]
                    origins: [{url: "http://127.0.0.1:9003"}]
                """);
        assertThatThrownBy(() -> load(Role.EDGE, taken)).hasMessage(taken + ": sites[2].hosts[1]: 't.img.example.com' overlaps"
                + " '*.img.example.com' of site 'img' (sites[1].hosts[0]); a host belongs to one site at most");

        Path wildcardLater = yaml("later.yaml", """
                upstream.url: http://s:1
                sites:
                  - {name: a, hosts: [x.shop.test], origins: [{url: "http://o:1"}]}
                  - {name: b, hosts: ["*.shop.test"], origins: [{url: "http://o:2"}]}
                """);
        assertThatThrownBy(() -> load(Role.EDGE, wildcardLater)).hasMessageStartingWith(wildcardLater
                + ": sites[1].hosts[0]: '*.shop.test' overlaps 'x.shop.test' of site 'a' (sites[0].hosts[0])");

        Path twice = yaml("twice.yaml", TWO_SITES.replace("name: img", "name: www"));
        assertThatThrownBy(() -> load(Role.EDGE, twice))
                .hasMessage(twice + ": sites[1].name: site 'www' is already defined by sites[0]");
    }

    @Test
    void sitesAreForStandaloneProxyNodesOnly() throws IOException {
        Path following = yaml("following.yaml", TWO_SITES + "control.admin-url: http://admin:9000\n");
        ConfigValues v = ConfigValues.load(Role.EDGE, Optional.of(following), Map.of(), Map.of(),
                Map.of("CDN_CONTROL_TOKEN", "bo_x"));
        assertThatThrownBy(() -> ProxyConfigs.proxy(v)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(following + ": sites : declared, but control.admin-url is set")
                .hasMessageContaining("PUT /api/v1/sites/{name}");
        Path origin = yaml("origin.yaml", "sites: []\n");
        assertThatThrownBy(() -> load(Role.ORIGIN, origin)).hasMessageContaining("'sites' does not apply to an origin node");
    }
}
