package io.blueorigin.cdn.admin;

import java.util.Locale;

/** What an API token may do. {@code ADMIN} implies the others; {@code PURGE} implies {@code READ}. */
public enum Scope {
    READ,
    PURGE,
    ADMIN;

    /** The name stored in {@code api_tokens.scopes} and used in the API ({@code read}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a token holding this scope may do what {@code required} allows. */
    public boolean grants(Scope required) {
        return this.ordinal() >= required.ordinal();
    }
}
