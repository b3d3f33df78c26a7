package io.blueorigin.cdn.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.admin.AdminConfigs;
import io.blueorigin.cdn.launcher.RoleConfigs;
import io.blueorigin.cdn.proxy.ProxyConfigs;
import io.blueorigin.cdn.runtime.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bounds docs/configuration.md shows ({@link SettingDetails}) are the ones the node enforces: each
 * documented bound's just-outside value stops the node's configuration with an error naming the key, and
 * its just-inside value passes. Rows go through {@link NodeConfigs} as a start does, with the role's
 * required keys set and the row's others ("with": {@code key=value;key=value}) on top.
 */
class SettingDetailsTest {
    /** The keys each role must have to build its configuration at all. */
    private static final Map<Role, Map<String, String>> REQUIRED = Map.of(
            Role.EDGE, Map.of("upstream.url", "http://127.0.0.1:9"),
            Role.SHIELD, Map.of("upstream.url", "http://127.0.0.1:9"),
            Role.ADMIN, Map.of("db.url", "jdbc:postgresql://127.0.0.1:5432/cdn"),
            Role.ROUTER, Map.of("routing.admin-url", "http://127.0.0.1:9000", "routing.token", "bo_example",
                    "routing.geoip-db", "City.mmdb"),
            Role.ORIGIN, Map.of());

    @ParameterizedTest(name = "{0} = {2} is refused")
    @CsvSource(delimiter = '|', textBlock = """
        # key                             | role   | value just outside          | with
        node.latitude                     | edge   | 90.5                        | node.longitude=0
        node.latitude                     | edge   | -90.5                       | node.longitude=0
        node.latitude                     | edge   | 10                          |
        node.longitude                    | edge   | 180.5                       | node.latitude=0
        node.longitude                    | edge   | -180.5                      | node.latitude=0
        node.longitude                    | edge   | 10                          |
        node.weight                       | edge   | 0                           |
        node.weight                       | edge   | 1001                        |
        node.addresses                    | edge   | 10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4,10.0.0.5,10.0.0.6,10.0.0.7,10.0.0.8,10.0.0.9,10.0.0.10,10.0.0.11,10.0.0.12,10.0.0.13,10.0.0.14,10.0.0.15,10.0.0.16,10.0.0.17 |
        node.addresses                    | edge   | cdn.example.com             |
        server.max-threads                | origin | 7                           |
        server.idle-timeout               | origin | 0s                          |
        server.max-connections            | origin | 0                           |
        server.max-connections-per-client | origin | 0                           |
        server.max-connections-per-client | origin | 11                          | server.max-connections=10
        server.header-timeout             | origin | 0s                          |
        server.accept-queue-size          | origin | 0                           |
        server.accept-queue-size          | origin | 65536                       |
        server.request-header-size        | origin | 1023                        |
        server.request-header-size        | origin | 1025KB                      |
        server.response-header-size       | origin | 4095                        |
        server.response-header-size       | origin | 1025KB                      |
        management.port                   | origin | 9001                        | server.port=9001;server.host=127.0.0.1
        upstream.url                      | edge   | http://a:1,http://a:1       |
        upstream.url                      | edge   | http://a:1/?q=1             |
        upstream.connect-timeout          | edge   | 0s                          |
        upstream.read-timeout             | edge   | 0s                          |
        upstream.max-connections          | edge   | 0                           |
        upstream.max-concurrent           | edge   | 0                           |
        upstream.breaker.failures         | edge   | 0                           |
        upstream.breaker.open-time        | edge   | 0s                          |
        upstream.max-concurrent-pass      | edge   | 0                           |
        upstream.max-concurrent-pass      | edge   | 11                          | upstream.max-concurrent=10
        upstream.pass-timeout             | edge   | 0s                          |
        forwarding.strip-fields           | edge   | Host                        |
        forwarding.strip-fields           | edge   | X-Forwarded-For             |
        forwarding.strip-fields           | edge   | X Bad                       |
        forwarding.trusted-proxies        | edge   | 10.0.0.0/33                 |
        ratelimit.rate                    | edge   | 0                           |
        ratelimit.rate                    | edge   | 1000001                     |
        ratelimit.period                  | edge   | 999ms                       |
        ratelimit.period                  | edge   | 25h                         |
        ratelimit.burst                   | edge   | 0                           |
        ratelimit.burst                   | edge   | 1000001                     |
        ratelimit.applies-to              | edge   | hits                        |
        ratelimit.max-entries             | edge   | 0                           |
        ratelimit.max-entries             | edge   | 10000001                    |
        ratelimit.idle-expiry             | edge   | 0s                          |
        cache.request-no-cache            | edge   | always                      |
        cache.set-cookie                  | edge   | keep                        |
        cache.collapse-timeout            | edge   | 0s                          |
        cache.slice-size                  | edge   | 4095                        |
        cache.slice-size                  | edge   | 1025MB                      | store.disk.path=unused-disk;store.max-object-size=1GB
        cache.targeted-header             | edge   | Acme_Cache_Control          |
        cache.targeted-header             | edge   | AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA |
        store.heap.max-size               | edge   | 1023KB                      |
        store.heap.max-size               | edge   | 1024GB                      |
        store.heap.max-object-size        | edge   | 0                           |
        store.heap.max-object-size        | edge   | 9MB                         | store.heap.max-size=8MB
        store.disk.max-size               | edge   | 63MB                        | store.disk.path=unused-disk;store.max-object-size=1MB
        store.max-object-size             | edge   | 0                           |
        store.max-object-size             | edge   | 65MB                        | store.disk.path=unused-disk;store.disk.max-size=64MB
        store.chunk-size                  | edge   | 4095                        |
        store.chunk-size                  | edge   | 65MB                        | store.in-flight.max-size=260MB;store.heap.max-size=4MB
        store.in-flight.max-size          | edge   | 1023KB                      | store.chunk-size=256KB
        store.in-flight.max-size          | edge   | 1024GB                      |
        store.disk.index-max-size         | edge   | 1023KB                      | store.disk.path=unused-disk
        compression.codings               | edge   | deflate                     |
        compression.codings               | edge   | identity                    |
        compression.types                 | edge   | text                        |
        compression.types                 | edge   | */html                      |
        compression.max-size              | edge   | 1023                        | compression.min-size=1KB
        compression.gzip-level            | edge   | 0                           |
        compression.gzip-level            | edge   | 10                          |
        compression.brotli-quality        | edge   | -1                          |
        compression.brotli-quality        | edge   | 12                          |
        control.token                     | edge   |                             | control.admin-url=http://127.0.0.1:9000
        control.heartbeat-interval        | edge   | 999ms                       |
        control.poll-wait                 | edge   | 31s                         |
        stats.url-patterns                | edge   | /p1,/p2,/p3,/p4,/p5,/p6,/p7,/p8,/p9,/p10,/p11,/p12,/p13,/p14,/p15,/p16,/p17,/p18,/p19,/p20,/p21,/p22,/p23,/p24,/p25,/p26,/p27,/p28,/p29,/p30,/p31,/p32,/p33 |
        stats.url-patterns                | edge   | static/*                    |
        stats.url-patterns                | edge   | /a?b                        |
        stats.url-patterns                | edge   | /a,/a                       |
        stats.url-patterns                | edge   | /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa |
        db.pool-size                      | admin  | 0                           |
        db.pool-size                      | admin  | 1001                        |
        db.connect-timeout                | admin  | 249ms                       |
        admin.heartbeat-interval          | admin  | 999ms                       |
        admin.heartbeat-interval          | admin  | 61m                         |
        admin.invalidation-retention      | admin  | 59m                         |
        console.session-idle              | admin  | 59s                         |
        console.session-idle              | admin  | 13h                         | console.session-lifetime=12h
        console.session-lifetime          | admin  | 31d                         |
        health.interval                   | admin  | 99ms                        | health.timeout=50ms
        health.interval                   | admin  | 61s                         |
        health.timeout                    | admin  | 49ms                        |
        health.timeout                    | admin  | 500ms                       | health.interval=500ms
        health.rise                       | admin  | 0                           |
        health.rise                       | admin  | 101                         |
        health.fall                       | admin  | 0                           |
        health.fall                       | admin  | 101                         |
        health.max-invalidation-lag       | admin  | 999ms                       |
        routing.token                     | router | bo x                        |
        routing.tolerance-km              | router | -1                          |
        routing.tolerance-fraction        | router | 1.1                         |
        routing.tolerance-fraction        | router | -0.1                        |
        routing.trusted-proxies           | router | 10.0.0.0/33                 |
        routing.poll-wait                 | router | 999ms                       |
        routing.poll-wait                 | router | 31s                         |
        routing.dns-bind-address          | router | localhost                   |
        routing.dns-hostname              | router | a..b                        |
        routing.dns-hostname              | router | .                           |
        routing.dns-hostname              | router | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example |
        routing.dns-ttl                   | router | 999ms                       |
        routing.dns-ttl                   | router | 61m                         |
        origin.delay                      | origin | 61s                         |
        origin.site                       | origin | Www                         |
        """)
    void aValueJustOutsideTheDocumentedBoundsIsRefusedNamingTheKey(String key, String role, @Nullable String value,
            @Nullable String with) {
        assertThat(SettingDetails.bounds(key)).as("%s has documented bounds", key).isPresent();
        assertThatThrownBy(() -> configure(role, key, value, with))
                .as("%s = %s (documented: %s)", key, value, SettingDetails.bounds(key).orElseThrow())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key);
    }

    @ParameterizedTest(name = "{0} = {2} is accepted")
    @CsvSource(delimiter = '|', textBlock = """
        # key                             | role   | value just inside           | with
        node.latitude                     | edge   | 90                          | node.longitude=0
        node.latitude                     | edge   | -90                         | node.longitude=0
        node.longitude                    | edge   | 180                         | node.latitude=0
        node.longitude                    | edge   | -180                        | node.latitude=0
        node.weight                       | edge   | 1                           |
        node.weight                       | edge   | 1000                        |
        node.addresses                    | edge   | 10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4,10.0.0.5,10.0.0.6,10.0.0.7,10.0.0.8,10.0.0.9,10.0.0.10,10.0.0.11,10.0.0.12,10.0.0.13,10.0.0.14,10.0.0.15,10.0.0.16 |
        server.max-threads                | origin | 8                           |
        server.idle-timeout               | origin | 1ms                         |
        server.max-connections            | origin | 1                           | server.max-connections-per-client=1
        server.max-connections-per-client | origin | 1                           |
        server.max-connections-per-client | origin | 10                          | server.max-connections=10
        server.header-timeout             | origin | 1ms                         |
        server.accept-queue-size          | origin | 1                           |
        server.accept-queue-size          | origin | 65535                       |
        server.request-header-size        | origin | 1KB                         |
        server.request-header-size        | origin | 1MB                         |
        server.response-header-size       | origin | 4KB                         |
        server.response-header-size       | origin | 1MB                         |
        management.port                   | origin | 9002                        | server.port=9001;server.host=127.0.0.1
        upstream.url                      | edge   | http://a:1,http://a:2       |
        upstream.connect-timeout          | edge   | 1ms                         |
        upstream.read-timeout             | edge   | 1ms                         |
        upstream.max-connections          | edge   | 1                           |
        upstream.max-concurrent           | edge   | 1                           |
        upstream.breaker.failures         | edge   | 1                           |
        upstream.breaker.open-time        | edge   | 1ms                         |
        upstream.max-concurrent-pass      | edge   | 1                           |
        upstream.max-concurrent-pass      | edge   | 10                          | upstream.max-concurrent=10
        upstream.pass-timeout             | edge   | 1ms                         |
        forwarding.strip-fields           | edge   | X-Forwarded-Host            |
        forwarding.trusted-proxies        | edge   | 10.0.0.0/8,fd00::/8         |
        ratelimit.rate                    | edge   | 1                           |
        ratelimit.rate                    | edge   | 1000000                     |
        ratelimit.period                  | edge   | 1s                          |
        ratelimit.period                  | edge   | 1d                          |
        ratelimit.burst                   | edge   | 1                           |
        ratelimit.burst                   | edge   | 1000000                     |
        ratelimit.applies-to              | edge   | misses                      |
        ratelimit.max-entries             | edge   | 1                           |
        ratelimit.max-entries             | edge   | 10000000                    |
        ratelimit.idle-expiry             | edge   | 1ms                         |
        cache.request-no-cache            | edge   | ignore                      |
        cache.set-cookie                  | edge   | strip                       |
        cache.collapse-timeout            | edge   | 1ms                         |
        cache.slice-size                  | edge   | 0                           |
        cache.slice-size                  | edge   | 4KB                         |
        cache.slice-size                  | edge   | 1GB                         | store.disk.path=unused-disk;store.max-object-size=1GB
        cache.targeted-header             | edge   | AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA |
        store.heap.max-size               | edge   | 1MB                         | store.heap.max-object-size=1
        store.heap.max-object-size        | edge   | 1                           |
        store.heap.max-object-size        | edge   | 8MB                         | store.heap.max-size=8MB
        store.disk.max-size               | edge   | 64MB                        | store.disk.path=unused-disk;store.max-object-size=64MB
        store.max-object-size             | edge   | 1                           |
        store.max-object-size             | edge   | 64MB                        | store.disk.path=unused-disk;store.disk.max-size=64MB
        store.chunk-size                  | edge   | 4KB                         |
        store.chunk-size                  | edge   | 64MB                        | store.in-flight.max-size=256MB;store.heap.max-size=4MB
        store.in-flight.max-size          | edge   | 1MB                         | store.chunk-size=256KB
        store.disk.index-max-size         | edge   | 1MB                         | store.disk.path=unused-disk
        compression.codings               | edge   | br,gzip                     |
        compression.types                 | edge   | text/*,application/json     |
        compression.max-size              | edge   | 1KB                         | compression.min-size=1KB
        compression.gzip-level            | edge   | 1                           |
        compression.gzip-level            | edge   | 9                           |
        compression.brotli-quality        | edge   | 0                           |
        compression.brotli-quality        | edge   | 11                          |
        control.token                     | edge   | bo_example                  | control.admin-url=http://127.0.0.1:9000
        control.heartbeat-interval        | edge   | 1s                          |
        control.poll-wait                 | edge   | 0s                          |
        control.poll-wait                 | edge   | 30s                         |
        stats.url-patterns                | edge   | /p1,/p2,/p3,/p4,/p5,/p6,/p7,/p8,/p9,/p10,/p11,/p12,/p13,/p14,/p15,/p16,/p17,/p18,/p19,/p20,/p21,/p22,/p23,/p24,/p25,/p26,/p27,/p28,/p29,/p30,/p31,/p32 |
        stats.url-patterns                | edge   | /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa |
        db.pool-size                      | admin  | 1                           |
        db.pool-size                      | admin  | 1000                        |
        db.connect-timeout                | admin  | 250ms                       |
        admin.heartbeat-interval          | admin  | 1s                          |
        admin.heartbeat-interval          | admin  | 1h                          |
        admin.invalidation-retention      | admin  | 1h                          |
        console.session-idle              | admin  | 1m                          |
        console.session-idle              | admin  | 12h                         | console.session-lifetime=12h
        console.session-lifetime          | admin  | 30d                         |
        health.interval                   | admin  | 100ms                       | health.timeout=50ms
        health.interval                   | admin  | 1m                          |
        health.timeout                    | admin  | 50ms                        |
        health.timeout                    | admin  | 499ms                       | health.interval=500ms
        health.rise                       | admin  | 1                           |
        health.rise                       | admin  | 100                         |
        health.fall                       | admin  | 1                           |
        health.fall                       | admin  | 100                         |
        health.max-invalidation-lag       | admin  | 1s                          |
        routing.token                     | router | bo_example                  |
        routing.tolerance-km              | router | 0                           |
        routing.tolerance-fraction        | router | 0                           |
        routing.tolerance-fraction        | router | 1                           |
        routing.trusted-proxies           | router | 10.0.0.0/8                  |
        routing.poll-wait                 | router | 1s                          |
        routing.poll-wait                 | router | 30s                         |
        routing.dns-bind-address          | router | ::1                         |
        routing.dns-hostname              | router | cdn.example.com             |
        routing.dns-hostname              | router | localhost                   |
        routing.dns-hostname              | router | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example |
        routing.dns-ttl                   | router | 1s                          |
        routing.dns-ttl                   | router | 1h                          |
        origin.delay                      | origin | 0s                          |
        origin.delay                      | origin | 60s                         |
        origin.site                       | origin | img                         |
        """)
    void aValueJustInsideTheDocumentedBoundsIsAccepted(String key, String role, String value, @Nullable String with) {
        assertThat(SettingDetails.bounds(key)).as("%s has documented bounds", key).isPresent();
        assertThatCode(() -> configure(role, key, value, with))
                .as("%s = %s (documented: %s)", key, value, SettingDetails.bounds(key).orElseThrow())
                .doesNotThrowAnyException();
    }

    @Test
    void everyDocumentedBoundIsProbedFromBothSides() throws NoSuchMethodException {
        Set<String> refused = keysOf("aValueJustOutsideTheDocumentedBoundsIsRefusedNamingTheKey");
        Set<String> accepted = keysOf("aValueJustInsideTheDocumentedBoundsIsAccepted");
        assertThat(SettingDetails.boundedKeys()).as("keys with bounds in SettingDetails and no refused row here")
                .allSatisfy(k -> assertThat(refused).contains(k));
        assertThat(SettingDetails.boundedKeys()).as("keys with bounds in SettingDetails and no accepted row here")
                .allSatisfy(k -> assertThat(accepted).contains(k));
    }

    /**
     * A documented literal end of a range ({@code 1..1000}, {@code >= 1s}, {@code 100ms..1m}) is a value of the
     * accepted table, written as the documentation writes it: the text and the probes cannot drift apart.
     */
    @Test
    void everyLiteralEndOfADocumentedRangeIsAnAcceptedValue() throws NoSuchMethodException {
        Set<String> accepted = rowsOf("aValueJustInsideTheDocumentedBoundsIsAccepted");
        for (String key : SettingDetails.boundedKeys()) {
            for (String end : literalEnds(SettingDetails.bounds(key).orElseThrow())) {
                assertThat(accepted).as("an accepted row %s = %s (documented: %s)", key, end,
                        SettingDetails.bounds(key).orElseThrow()).contains(key + "=" + end);
            }
        }
    }

    /** The literal ends of a bounds text's range, e.g. [1, 1000] of "1..1000", [1s] of ">= 1s", none of "> 0s". */
    private static List<String> literalEnds(String bounds) {
        String head = bounds.split(";")[0].replaceAll("\\s*\\(.*\\)", "").strip();
        if (head.startsWith(">= ") || head.startsWith("<= ")) {
            head = head.substring(3);
        } else if (head.startsWith(">") || head.startsWith("<")) {
            return List.of(); // a strict bound: its end is outside
        }
        List<String> ends = new ArrayList<>();
        for (String end : head.split("\\.\\.", -1)) {
            if (end.matches("-?\\d+(\\.\\d+)?[A-Za-z]*")) {
                ends.add(end);
            }
        }
        return ends;
    }

    /** The rows of one table above as key=value. */
    private static Set<String> rowsOf(String method) throws NoSuchMethodException {
        Set<String> rows = new TreeSet<>();
        for (String line : tableOf(method)) {
            String[] cells = line.split("\\|");
            rows.add(cells[0].strip() + "=" + cells[2].strip());
        }
        return rows;
    }

    private static List<String> tableOf(String method) throws NoSuchMethodException {
        CsvSource table = SettingDetailsTest.class
                .getDeclaredMethod(method, String.class, String.class, String.class, String.class)
                .getAnnotation(CsvSource.class);
        return table.textBlock().lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** The keys of one table above (its rows' first column). */
    private static Set<String> keysOf(String method) throws NoSuchMethodException {
        Set<String> keys = new TreeSet<>();
        tableOf(method).forEach(l -> keys.add(l.substring(0, l.indexOf('|')).strip()));
        return keys;
    }

    @Test
    void everyDetailNamesAKeyOfTheCatalogue() {
        assertThat(SettingDetails.boundedKeys()).allSatisfy(k -> assertThat(Settings.find(k)).as(k).isPresent());
        assertThat(SettingDetails.liveNoteKeys()).allSatisfy(k -> assertThat(Settings.find(k)).as(k).isPresent());
        assertThat(ConfigValues.ENVIRONMENT.values()).allSatisfy(k -> assertThat(Settings.find(k)).as(k).isPresent());
    }

    private static Object configure(String roleName, String key, @Nullable String value, @Nullable String with) {
        Role role = Role.valueOf(roleName.toUpperCase(Locale.ROOT));
        Map<String, String> flags = new LinkedHashMap<>(REQUIRED.get(role));
        if (with != null) {
            for (String pair : with.split(";")) {
                int eq = pair.indexOf('=');
                flags.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        if (value != null) {
            flags.put(key, value);
        }
        ConfigValues values = ConfigValues.load(role, Optional.empty(), flags, Map.of(), Map.of());
        return switch (role) {
            case EDGE, SHIELD -> ProxyConfigs.proxy(values);
            case ADMIN -> AdminConfigs.admin(values);
            case ROUTER -> RoleConfigs.router(values);
            case ORIGIN -> RoleConfigs.origin(values);
        };
    }
}
