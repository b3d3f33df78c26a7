package io.blueorigin.cdn.admin;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API token may do. {@code ADMIN} implies {@code PURGE}, which implies {@code READ}. {@code NODE} stands
 * apart: it is the scope of a node's own token (bound to one node name), the only one the node agent
 * endpoints accept, and it implies nothing else; no other scope implies it.
 */
public enum Scope {
    READ,
    PURGE,
    ADMIN,
    NODE;

    /** The name stored in {@code api_tokens.scopes} and used in the API ({@code read}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope called {@code label} ({@code read}, {@code purge}, {@code admin}, {@code node}), if there is one. */
    public static Optional<Scope> fromLabel(String label) {
        for (Scope scope : values()) {
            if (scope.label().equals(label)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }

    /** Whether a token holding this scope may do what {@code required} allows. */
    public boolean grants(Scope required) {
        if (this == NODE || required == NODE) {
            return this == required;
        }
        return this.ordinal() >= required.ordinal();
    }
}
