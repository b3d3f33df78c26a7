package io.blueorigin.cdn.config;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.runtime.Role;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One configuration key: its type, the roles it applies to, its default (per role where it differs) and
 * what it means. Settings are fixed once a node has started; the few runtime knobs change through admin.
 *
 * @param key dotted kebab-case name, e.g. {@code upstream.read-timeout}
 * @param type how its value is parsed and validated
 * @param roles the node roles that read it; any other role rejects it
 * @param defaults literal default per role; a role without one has either a derived default (see
 *     {@code defaultText}) or none (then the key is optional, or required where the mapping says so)
 * @param defaultText the default as shown to operators ({@code "server.port + 10000"}, {@code "required"})
 * @param description one sentence for the settings table
 */
public record Setting(String key, ValueType type, Set<Role> roles, Map<Role, String> defaults, String defaultText,
        String description) {

    public Setting {
        requireNonNull(key, "key is null");
        requireNonNull(type, "type is null");
        requireNonNull(defaultText, "defaultText is null");
        requireNonNull(description, "description is null");
        roles = Set.copyOf(roles);
        defaults = Map.copyOf(defaults);
        if (roles.isEmpty()) {
            throw new IllegalArgumentException(key + " applies to no role");
        }
    }

    /** The literal default for {@code role}, if it has one. */
    public Optional<String> defaultFor(Role role) {
        return Optional.ofNullable(defaults.get(role));
    }

    public boolean appliesTo(Role role) {
        return roles.contains(role);
    }

    /** A setting with one literal default for every role it applies to. */
    static Setting of(String key, ValueType type, String defaultValue, String description, Role... roles) {
        Set<Role> set = roleSet(roles);
        Map<Role, String> defaults = new java.util.EnumMap<>(Role.class);
        set.forEach(r -> defaults.put(r, defaultValue));
        return new Setting(key, type, set, defaults, defaultValue, description);
    }

    /** A setting whose default is computed from others, or that has none ({@code defaultText} says which). */
    static Setting derived(String key, ValueType type, String defaultText, String description, Role... roles) {
        return new Setting(key, type, roleSet(roles), Map.of(), defaultText, description);
    }

    private static Set<Role> roleSet(Role... roles) {
        return roles.length == 0 ? EnumSet.allOf(Role.class) : EnumSet.of(roles[0], roles);
    }
}
