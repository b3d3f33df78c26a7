package io.blueorigin.cdn.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ops/systemd/}: a unit per role that starts as shipped with {@code ops/examples/<role>.yaml} and
 * {@code ops/systemd/env/<role>.env}: its secrets and heap from the env file, every path the example writes
 * inside a directory the unit has systemd create for its user (the rest of the file system is read-only under
 * {@code ProtectSystem=strict}), a heap that holds the example's heap tier, the hardening set, and
 * {@code systemd-analyze verify} with nothing to say.
 */
class SystemdUnitsTest {
    static final Path ROOT = OpsPaths.repositoryRoot();
    static final List<String> ROLES = List.of("edge", "shield", "admin", "router");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Hardening every unit carries, with its value. */
    private static final Map<String, String> HARDENING = Map.ofEntries(Map.entry("ProtectSystem", "strict"),
            Map.entry("ProtectHome", "yes"), Map.entry("NoNewPrivileges", "yes"), Map.entry("PrivateTmp", "yes"),
            Map.entry("PrivateDevices", "yes"), Map.entry("ProtectKernelTunables", "yes"),
            Map.entry("ProtectControlGroups", "yes"), Map.entry("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX"),
            Map.entry("LockPersonality", "yes"), Map.entry("RestrictRealtime", "yes"));

    /** The secret each role's env file names. */
    private static final Map<String, String> SECRETS = Map.of("edge", "CDN_CONTROL_TOKEN", "shield", "CDN_CONTROL_TOKEN",
            "admin", "CDN_DB_PASSWORD", "router", "CDN_ROUTING_TOKEN");

    @Test
    void thereIsAUnitAndAnEnvFileForEveryRoleAndNoOther() throws IOException {
        try (Stream<Path> units = Files.list(ROOT.resolve("ops/systemd"))) {
            assertThat(units.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("cdn-edge.service", "cdn-shield.service", "cdn-admin.service", "cdn-router.service");
        }
        try (Stream<Path> env = Files.list(ROOT.resolve("ops/systemd/env"))) {
            assertThat(env.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("edge.env", "shield.env", "admin.env", "router.env");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"edge", "shield", "admin", "router"})
    void theUnitRunsTheJarAsItsOwnUserWithItsEnvFileAndHardening(String role) throws IOException {
        Map<String, List<String>> service = service(role);
        assertThat(one(service, "User")).isEqualTo("blue-origin");
        assertThat(one(service, "Group")).isEqualTo("blue-origin");
        assertThat(one(service, "EnvironmentFile")).as("no '-': a unit without its env file does not start")
                .isEqualTo("/etc/blue-origin/" + role + ".env");
        assertThat(one(service, "ExecStart"))
                .isEqualTo("/usr/bin/java $JAVA_OPTS -jar /opt/blue-origin/blue-origin.jar " + role
                        + " --config /etc/blue-origin/" + role + ".yaml");
        assertThat(one(service, "Restart")).isEqualTo("on-failure");
        assertThat(one(service, "RestartPreventExitStatus")).as("exit 2: a configuration error").isEqualTo("2");
        assertThat(Long.parseLong(one(service, "LimitNOFILE"))).isGreaterThanOrEqualTo(65536);
        HARDENING.forEach((key, value) -> assertThat(one(service, key)).as(key).isEqualTo(value));
        assertThat(service).as("the launcher has no reload signal or endpoint").doesNotContainKey("ExecReload");

        boolean lowPort = examplePorts(role).stream().anyMatch(port -> port > 0 && port < 1024);
        if (lowPort) {
            assertThat(one(service, "AmbientCapabilities")).isEqualTo("CAP_NET_BIND_SERVICE");
            assertThat(one(service, "CapabilityBoundingSet")).isEqualTo("CAP_NET_BIND_SERVICE");
        } else {
            assertThat(one(service, "CapabilityBoundingSet")).as("no capabilities").isEmpty();
            assertThat(service).doesNotContainKey("AmbientCapabilities");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"edge", "shield", "admin", "router"})
    void everyPathTheExampleUsesIsInADirectoryTheUnitCreatesForItsUser(String role) throws IOException {
        Map<String, List<String>> service = service(role);
        List<Path> writable = new ArrayList<>();
        Map<String, String> bases = Map.of("StateDirectory", "/var/lib", "CacheDirectory", "/var/cache",
                "LogsDirectory", "/var/log");
        bases.forEach((key, base) -> service.getOrDefault(key, List.of()).stream()
                .flatMap(v -> Stream.of(v.split("\\s+"))).forEach(dir -> writable.add(Path.of(base, dir))));
        JsonNode example = example(role);
        Map<String, String> paths = new LinkedHashMap<>();
        put(paths, example, "store.disk.path");
        put(paths, example, "access-log.path");
        put(paths, example, "admin.bootstrap-token-file");
        put(paths, example, "routing.geoip-db");
        put(paths, example, "routing.view-file");
        assertThat(paths).as("ops/examples/%s.yaml names files", role).isNotEmpty();
        paths.forEach((key, value) -> {
            Path path = Path.of(value);
            // the disk store's directory must exist: the unit's directory itself; a file's directory for the rest
            Path needed = key.equals("store.disk.path") ? path : path.getParent();
            assertThat(writable).as("%s %s: a directory of cdn-%s.service (StateDirectory=, CacheDirectory=, "
                    + "LogsDirectory=)", key, value, role).contains(needed);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"edge", "shield", "admin", "router"})
    void theEnvFileGivesAHeapForTheExamplesHeapTierAndNamesItsSecret(String role) throws IOException {
        Map<String, String> env = envFile(ROOT.resolve("ops/systemd/env/" + role + ".env"));
        String javaOpts = env.get("JAVA_OPTS");
        assertThat(javaOpts).as("JAVA_OPTS in %s.env", role).isNotBlank();
        Matcher xmx = Pattern.compile("(?:^|\\s)-Xmx(\\d+)([kmgKMG])(?:\\s|$)").matcher(javaOpts);
        assertThat(xmx.find()).as("-Xmx in JAVA_OPTS %s", javaOpts).isTrue();
        long jvmHeap = Long.parseLong(xmx.group(1)) << switch (xmx.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            default -> 30;
        };
        JsonNode heapTier = example(role).path("store").path("heap").path("max-size");
        if (!heapTier.isMissingNode()) {
            long tier = size(heapTier.asText());
            // NodeConfigs.storage: the heap tier at most half the JVM heap; with the disk index (a sixteenth by
            // default) and the in-flight budget (an eighth) at most three quarters. The JVM reports a little less
            // than -Xmx as its heap with some collectors: keep a tenth in hand.
            assertThat(tier).as("store.heap.max-size against -Xmx").isLessThanOrEqualTo(jvmHeap / 2 * 9 / 10);
            assertThat(tier + jvmHeap / 16 + jvmHeap / 8).isLessThanOrEqualTo(jvmHeap / 4 * 3 * 9 / 10);
        }
        assertThat(Files.readString(ROOT.resolve("ops/systemd/env/" + role + ".env"))).contains(SECRETS.get(role));
    }

    @Test
    void systemdAnalyzeVerifiesEveryUnitAsShipped(@TempDir Path root) throws Exception {
        SystemdAnalyze.assumeInstalled();
        Path system = Files.createDirectories(root.resolve("etc/systemd/system"));
        List<String> units = new ArrayList<>();
        for (String role : ROLES) {
            Files.copy(ROOT.resolve("ops/systemd/cdn-" + role + ".service"), system.resolve("cdn-" + role + ".service"));
            units.add("/etc/systemd/system/cdn-" + role + ".service");
        }
        SystemdAnalyze.verify(root, units);
    }

    /** The [Service] section of {@code ops/systemd/cdn-<role>.service}: each key's values in order. */
    static Map<String, List<String>> service(String role) throws IOException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(ROOT.resolve("ops/systemd/cdn-" + role + ".service"))) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#") || text.startsWith(";")) {
                continue;
            }
            if (text.startsWith("[")) {
                section = text;
            } else if (section.equals("[Service]")) {
                int eq = text.indexOf('=');
                assertThat(eq).as("cdn-%s.service: %s", role, line).isPositive();
                keys.computeIfAbsent(text.substring(0, eq), k -> new ArrayList<>()).add(text.substring(eq + 1));
            }
        }
        return keys;
    }

    /** An environment file as systemd reads it here: KEY=VALUE lines (no quotes used) and comments. */
    static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = Pattern.compile("([A-Z_][A-Z0-9_]*)=([^\"'\\\\]*)").matcher(line);
            assertThat(m.matches()).as("%s: KEY=VALUE without quotes or backslashes: %s", file, line).isTrue();
            values.put(m.group(1), m.group(2));
        }
        return values;
    }

    private static String one(Map<String, List<String>> service, String key) {
        assertThat(service.get(key)).as("%s= once", key).hasSize(1);
        return service.get(key).get(0);
    }

    private static JsonNode example(String role) throws IOException {
        return YAML.readTree(ROOT.resolve("ops/examples/" + role + ".yaml").toFile());
    }

    private static List<Integer> examplePorts(String role) throws IOException {
        JsonNode example = example(role);
        return Stream.of(example.path("server").path("port"), example.path("routing").path("dns-port"))
                .filter(JsonNode::isInt).map(JsonNode::asInt).toList();
    }

    private static void put(Map<String, String> paths, JsonNode example, String key) {
        JsonNode node = example;
        for (String part : key.split("\\.")) {
            node = node.path(part);
        }
        if (node.isTextual()) {
            paths.put(key, node.asText());
        }
    }

    /** A size as the settings write it: 512MB, 1GB, 4096. */
    private static long size(String text) {
        Matcher m = Pattern.compile("(\\d+)(KB|MB|GB|TB)?").matcher(text.strip());
        assertThat(m.matches()).as("a size: %s", text).isTrue();
        int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
            case "KB" -> 10;
            case "MB" -> 20;
            case "GB" -> 30;
            default -> 40;
        };
        return Long.parseLong(m.group(1)) << shift;
    }
}
