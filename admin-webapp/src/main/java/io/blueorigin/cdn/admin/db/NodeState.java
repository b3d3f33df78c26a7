package io.blueorigin.cdn.admin.db;

import java.util.Locale;

/**
 * A node's state for routing. {@link #HEALTHY}, {@link #DEGRADED} and {@link #DOWN} are health states (what
 * admin's active checks judge, {@code nodes.health}); {@link #DRAINING} is set by an operator and wins over
 * any health ({@code nodes.draining}). Routers send clients to healthy nodes, to degraded ones only when no
 * healthy one is near, never to down or draining ones.
 */
public enum NodeState {
    /** Its {@code /readyz} passes and it keeps up with the invalidation log. */
    HEALTHY,
    /** Ready, but failing a check such as invalidation lag. */
    DEGRADED,
    /** Its {@code /readyz} failed {@code health.fall} probes in a row. */
    DOWN,
    /** Taken out of routing by an operator ({@code POST /api/v1/nodes/{name}/drain}). */
    DRAINING;

    /** As the API and the database spell it: {@code healthy}, {@code degraded}, {@code down}, {@code draining}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state spelled {@code label} (as stored). */
    public static NodeState of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    /** Whether this is a health state (not {@link #DRAINING}). */
    public boolean isHealth() {
        return this != DRAINING;
    }
}
