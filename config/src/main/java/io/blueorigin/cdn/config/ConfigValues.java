package io.blueorigin.cdn.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.blueorigin.cdn.httpcache.site.SiteException;
import io.blueorigin.cdn.runtime.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The validated settings of one node: values from its YAML file, then command-line flags and environment
 * variables on top, each checked against the {@link Settings} catalogue (known key, right role, valid value)
 * before anything starts.
 *
 * <p>YAML may nest ({@code server: {port: 8080}}) or use dotted keys ({@code server.port: 8080}); both
 * flatten to {@code server.port}. Duplicate keys, unknown keys, keys of another role, lists and empty
 * values are errors that name the key and the file; the one list is {@code sites} (a standalone node's site
 * definitions, {@link SiteDefinitions}), whose errors name the field ({@code sites[1].origins[0].url}).
 */
public final class ConfigValues {
    /** Environment variables that override a key (secrets stay out of files and process lists). */
    public static final Map<String, String> ENVIRONMENT = Map.of("CDN_DB_PASSWORD", "db.password",
            "CDN_CONTROL_TOKEN", "control.token", "CDN_ROUTING_TOKEN", "routing.token",
            "CDN_TLS_KEYSTORE_PASSWORD", "tls.keystore-password");

    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private final Role role;
    /** key -> parsed value (only keys that were set). */
    private final Map<String, Object> values;
    /** key -> where its value came from, for error messages. */
    private final Map<String, String> sources;

    private ConfigValues(Role role, Map<String, Object> values, Map<String, String> sources) {
        this.role = role;
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
    }

    /**
     * Loads and validates a node's settings.
     *
     * @param role the node's role
     * @param file the YAML file, if any
     * @param flags values from command-line flags: key -> value; the flag name for messages is
     *     {@code flagNames.get(key)} or {@code --set key=...}
     * @param flagNames key -> the flag that set it
     * @param environment the process environment (only {@link #ENVIRONMENT} variables are read)
     * @throws ConfigException naming the file or flag, key, value and expectation
     */
    public static ConfigValues load(Role role, Optional<Path> file, Map<String, String> flags,
            Map<String, String> flagNames, Map<String, String> environment) {
        requireNonNull(role, "role is null");
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        if (file.isPresent()) {
            Path path = file.get();
            flatten(path.toString(), "", readYaml(path), raw);
            raw.keySet().forEach(k -> sources.put(k, path.toString()));
        }
        flags.forEach((key, value) -> {
            raw.put(key, value);
            sources.put(key, flagNames.getOrDefault(key, "--set " + key + "=..."));
        });
        ENVIRONMENT.forEach((variable, key) -> {
            String value = environment.get(variable);
            // an empty variable (CDN_CONTROL_TOKEN= in an env file) is unset, not an empty secret
            if (value != null && !value.isBlank() && Settings.find(key).map(s -> s.appliesTo(role)).orElse(false)) {
                raw.put(key, value);
                sources.put(key, "environment variable " + variable);
            }
        });

        Map<String, Object> values = new LinkedHashMap<>();
        raw.forEach((key, text) -> {
            String source = sources.get(key);
            Setting setting = Settings.find(key).orElseThrow(() -> new ConfigException(source + ": unknown key '" + key + "'"
                    + Settings.closest(key).map(k -> " (did you mean '" + k + "'?)").orElse("")
                    + ". `blue-origin settings` lists every key."));
            if (!setting.appliesTo(role)) {
                throw new ConfigException(source + ": '" + key + "' does not apply to " + article(role) + " node"
                        + " (it is read by: " + setting.roles().stream().map(Role::label).sorted().toList() + ")");
            }
            try {
                values.put(key, setting.type().parse(text));
            } catch (SiteException e) {
                throw new ConfigException(source + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(source + ": " + key + " : '" + text + "' (" + e.getMessage() + ")");
            }
        });
        return new ConfigValues(role, values, sources);
    }

    private static String article(Role role) {
        return role == Role.ADMIN || role == Role.ORIGIN || role == Role.EDGE ? "an " + role.label() : "a " + role.label();
    }

    private static JsonNode readYaml(Path path) {
        try {
            String text = Files.readString(path);
            if (text.isBlank()) {
                return YAML.createObjectNode();
            }
            JsonNode node = YAML.readTree(text);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return YAML.createObjectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException(path + ": expected a map of settings (key: value), found " + node.getNodeType());
            }
            return node;
        } catch (NoSuchFileException e) {
            throw new ConfigException(path + ": no such file (--config)", e);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ConfigException(path + ": not valid YAML" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void flatten(String file, String prefix, JsonNode node, Map<String, String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            boolean sites = Settings.find(key).map(s -> s.type() == ValueType.SITES).orElse(false);
            if (sites && (value.isArray() || value.isObject())) {
                out.put(key, value.toString()); // JSON text, which is YAML: parsed whole by ValueType.SITES
            } else if (value.isObject()) {
                flatten(file, key, value, out);
            } else if (value.isArray()) {
                throw new ConfigException(file + ": " + key + " : a list is not valid here (expected: a single value)");
            } else if (value.isNull()) {
                throw new ConfigException(file + ": " + key + " has no value");
            } else if (out.containsKey(key)) {
                throw new ConfigException(file + ": " + key + " is set twice");
            } else {
                out.put(key, value.asText());
            }
        }
    }

    public Role role() {
        return role;
    }

    /** Whether the operator set {@code key} (in the file, by a flag or from the environment). */
    public boolean isSet(String key) {
        return values.containsKey(key);
    }

    /** The value of {@code key}: as set, else its literal default for this role, else empty. */
    public <T> Optional<T> get(String key, Class<T> type) {
        Setting setting = Settings.find(key).orElseThrow(() -> new IllegalArgumentException("not in the catalogue: " + key));
        Object value = values.get(key);
        if (value == null) {
            Optional<String> fallback = setting.defaultFor(role);
            if (fallback.isEmpty()) {
                return Optional.empty();
            }
            value = setting.type().parse(fallback.get());
        }
        return Optional.of(type.cast(value));
    }

    /** The value of a key that has a default for this role (a programming error otherwise). */
    public <T> T value(String key, Class<T> type) {
        return get(key, type).orElseThrow(() -> new IllegalStateException(key + " has no default for " + role));
    }

    /** The value of a key the operator must set. */
    public <T> T required(String key, Class<T> type, String hint) {
        return get(key, type).orElseThrow(() -> new ConfigException(key + " is required for "
                + article(role) + " node: " + hint));
    }

    /** Where {@code key}'s value came from ("edge.yaml", "--port", "default"). */
    public String source(String key) {
        return sources.getOrDefault(key, "default");
    }
}
