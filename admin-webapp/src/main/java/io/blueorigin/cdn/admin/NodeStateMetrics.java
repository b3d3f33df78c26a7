package io.blueorigin.cdn.admin;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Counter;
import io.blueorigin.cdn.admin.db.NodeState;
import io.blueorigin.cdn.runtime.metrics.NodeMetrics;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node state metrics of an admin (docs/metrics.md, "Admin node"): state changes this admin process
 * committed, by the state changed to ({@code cdn_admin_node_state_changes_total{to}}; summed over replicas
 * it counts every change), and how many nodes are in each state ({@code cdn_admin_nodes{state}}, as of the
 * health checker's last tick). Thread-safe.
 */
final class NodeStateMetrics {
    private final Map<NodeState, Counter> changes = new EnumMap<>(NodeState.class);

    NodeStateMetrics(NodeMetrics metrics, Supplier<Map<NodeState, Integer>> counts) {
        requireNonNull(metrics, "metrics is null");
        requireNonNull(counts, "counts is null");
        for (NodeState state : NodeState.values()) {
            changes.put(state, metrics.counter("cdn_admin_node_state_changes_total",
                    "Node state changes this admin process committed, by the state changed to.", "to", state.label()));
            metrics.gauge("cdn_admin_nodes", "Registered nodes in each state (draining, else health).",
                    () -> counts.get().getOrDefault(state, 0), "state", state.label());
        }
    }

    /** A change to {@code state} was committed. */
    void changed(NodeState state) {
        changes.get(state).inc();
    }
}
