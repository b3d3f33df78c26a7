package io.blueorigin.cdn.runtime;

import java.util.Locale;

/** The four kinds of node process. Edge and shield run the same caching proxy with different policies. */
public enum Role {
    EDGE,
    SHIELD,
    ADMIN,
    ORIGIN;

    /** Lower-case name as used in metrics labels, log lines and node names ({@code edge}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
