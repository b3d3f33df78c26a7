package io.blueorigin.cdn.config;

import io.blueorigin.cdn.runtime.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * docs/configuration.md: every key of the {@link Settings} catalogue by section, with its roles, type,
 * default, bounds ({@link SettingDetails}), environment variable and reload behaviour. Printed by
 * {@code blue-origin settings --reference}; {@code scripts/update-readme-settings.sh} writes it to the file
 * and {@code ConfigurationReferenceTest} fails while the file differs.
 */
public final class ConfigurationReference {
    private ConfigurationReference() {}

    /** The whole document, ending in one newline. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n")
                .append("<!-- Generated from config/src/main/java/io/blueorigin/cdn/config/Settings.java and ")
                .append("SettingDetails.java by scripts/update-readme-settings.sh; do not edit by hand. -->\n\n")
                .append("Every key a node reads, by section. A node takes its settings from a YAML file (`--config FILE`; ")
                .append("nested `server: {port: 8080}` or dotted `server.port: 8080`), then command-line flags ")
                .append("(`--port`, `--set key=value` for any key), then the environment variables below; later ones win. ")
                .append("An unknown key, a key of another role or a value out of bounds stops the node at start with one ")
                .append("line naming the file or flag, the key and what was expected (exit status 2). ")
                .append("Examples for every role are in `ops/examples/`; `java -jar blue-origin.jar settings` prints the ")
                .append("short table of the README.\n\n")
                .append("**Reload.** A running node never re-reads its file: a changed key takes effect at the next start ")
                .append("(SIGTERM lets in-flight requests finish for `server.stop-timeout`). What changes while nodes run ")
                .append("comes from admin, not from files: sites, purges, POPs, the shield ring and health, through the ")
                .append("invalidation log and the routing view (docs/control-plane.md). The reload column says where a ")
                .append("key's effect is also changed that way.\n\n")
                .append("**Bounds** are those the node enforces on top of the value's type; `a..b` includes both ends.\n\n");

        out.append("## Value types\n\n| type | written as |\n|---|---|\n");
        for (ValueType type : ValueType.values()) {
            out.append("| ").append(typeName(type)).append(" | ").append(escape(type.expectation())).append(" |\n");
        }

        out.append("\n## Environment variables\n\nSecrets stay out of files and process lists: these variables override ")
                .append("their key wherever else it is set.\n\n| variable | key |\n|---|---|\n");
        ConfigValues.ENVIRONMENT.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.append("| `").append(e.getKey()).append("` | `").append(e.getValue()).append("` |\n"));

        Map<String, List<Setting>> bySection = new LinkedHashMap<>();
        SettingDetails.SECTIONS.forEach(s -> bySection.put(s.prefix(), new ArrayList<>()));
        for (Setting s : Settings.ALL) {
            String prefix = SettingDetails.section(s.key()).map(SettingDetails.Section::prefix)
                    .orElseGet(() -> s.key().contains(".") ? s.key().substring(0, s.key().indexOf('.')) : s.key());
            bySection.computeIfAbsent(prefix, p -> new ArrayList<>()).add(s);
        }
        bySection.forEach((prefix, settings) -> {
            if (settings.isEmpty()) {
                return;
            }
            SettingDetails.Section section = SettingDetails.SECTIONS.stream().filter(s -> s.prefix().equals(prefix))
                    .findFirst().orElse(new SettingDetails.Section(prefix, prefix, ""));
            out.append("\n## ").append(section.title()).append("\n\n");
            if (!section.intro().isEmpty()) {
                out.append(section.intro()).append("\n\n");
            }
            out.append("| key | roles | type | default | bounds | reload | meaning |\n|---|---|---|---|---|---|---|\n");
            for (Setting s : settings) {
                out.append("| `").append(s.key()).append('`')
                        .append(SettingDetails.environmentVariable(s.key()).map(v -> " (env `" + v + "`)").orElse(""))
                        .append(" | ").append(roles(s))
                        .append(" | ").append(typeName(s.type()))
                        .append(" | ").append(s.defaultText().isEmpty() ? "(empty)" : escape(s.defaultText()))
                        .append(" | ").append(SettingDetails.bounds(s.key()).map(ConfigurationReference::escape).orElse(""))
                        .append(" | ").append(escape(SettingDetails.reload(s.key())))
                        .append(" | ").append(escape(s.description())).append(" |\n");
            }
        });
        return out.toString();
    }

    private static String roles(Setting s) {
        return s.roles().size() == Role.values().length ? "all"
                : s.roles().stream().sorted().map(Role::label).collect(Collectors.joining(", "));
    }

    private static String typeName(ValueType type) {
        return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A table cell: a '|' would end it. */
    private static String escape(String text) {
        return text.replace("|", "\\|").replace("<", "\\<");
    }
}
