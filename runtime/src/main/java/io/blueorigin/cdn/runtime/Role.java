package io.blueorigin.cdn.runtime;

import java.util.Locale;

/**
 * The kinds of node process. Edge and shield run the same caching proxy with different policies; the router
 * sends clients to the nearest healthy edge (HTTP redirects and DNS answers).
 */
public enum Role {
    EDGE,
    SHIELD,
    ADMIN,
    ORIGIN,
    ROUTER;

    /** Lower-case name as used in metrics labels, log lines and node names ({@code edge}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
