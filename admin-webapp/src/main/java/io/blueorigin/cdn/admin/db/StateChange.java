package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One row of {@code node_state_changes}.
 *
 * @param id row id (later changes have higher ids)
 * @param from the state before; empty for the node's first registration
 * @param to the state after
 * @param reason why, e.g. {@code 2 failed probes: connection refused}
 * @param actor who: {@code health-check admin-1}, {@code token ops-bob (id 7)}, {@code node edge-nyc}
 * @param changedAt when (the database's clock)
 */
public record StateChange(long id, Optional<NodeState> from, NodeState to, String reason, String actor,
        Instant changedAt) {
    public StateChange {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(changedAt, "changedAt is null");
    }
}
