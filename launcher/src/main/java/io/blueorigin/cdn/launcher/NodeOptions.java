package io.blueorigin.cdn.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Flags every node command takes. A flag is shorthand for a key; {@code --set key=value} sets any key.
 * Flags win over the YAML file.
 */
final class NodeOptions {
    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE", description = "YAML file of settings (see ops/examples/).")
    @Nullable Path config;

    @Option(names = "--host", scope = ScopeType.INHERIT, paramLabel = "ADDR", description = "server.host: address the traffic port binds.")
    @Nullable String host;

    @Option(names = "--port", scope = ScopeType.INHERIT, paramLabel = "PORT", description = "server.port: traffic port.")
    @Nullable String port;

    @Option(names = "--management-port", scope = ScopeType.INHERIT, paramLabel = "PORT", description = "management.port (default: port + 10000).")
    @Nullable String managementPort;

    @Option(names = "--name", scope = ScopeType.INHERIT, paramLabel = "NAME", description = "node.name (default: <role>-<pop>).")
    @Nullable String name;

    @Option(names = "--pop", scope = ScopeType.INHERIT, paramLabel = "POP", description = "node.pop: point of presence, e.g. nyc.")
    @Nullable String pop;

    @Option(names = "--access-log", scope = ScopeType.INHERIT, paramLabel = "FILE", description = "access-log.path: access log file (NCSA combined, then cache status, upstream ms, request id, total ms).")
    @Nullable String accessLog;

    @Option(names = "--set", scope = ScopeType.INHERIT, paramLabel = "KEY=VALUE", description = "Any setting, e.g. --set upstream.read-timeout=10s "
            + "(`blue-origin settings` lists them).")
    Map<String, String> set = new LinkedHashMap<>();

    /** Values set by flags, by key, and the flag that set each (for error messages). */
    record Flags(Map<String, String> values, Map<String, String> names) {}

    Flags flags(Map<String, String> roleFlags, Map<String, String> roleFlagNames) {
        Map<String, String> values = new LinkedHashMap<>(set);
        Map<String, String> names = new LinkedHashMap<>();
        set.keySet().forEach(k -> names.put(k, "--set " + k));
        put(values, names, "server.host", host, "--host");
        put(values, names, "server.port", port, "--port");
        put(values, names, "management.port", managementPort, "--management-port");
        put(values, names, "node.name", name, "--name");
        put(values, names, "node.pop", pop, "--pop");
        put(values, names, "access-log.path", accessLog, "--access-log");
        roleFlags.forEach((k, v) -> put(values, names, k, v, roleFlagNames.get(k)));
        return new Flags(values, names);
    }

    private static void put(Map<String, String> values, Map<String, String> names, String key, @Nullable String value,
            @Nullable String flag) {
        if (value != null) {
            values.put(key, value);
            names.put(key, flag == null ? "--set " + key : flag);
        }
    }
}
