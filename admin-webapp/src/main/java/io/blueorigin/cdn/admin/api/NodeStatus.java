package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.db.Ack;
import io.blueorigin.cdn.admin.db.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where one invalidation stands on one node. Pure: time is a parameter (the database's {@code now()}, the
 * clock heartbeats are stamped with). Public for the console's history (admin.report), which counts the same way.
 *
 * <ul>
 *   <li>{@code applied}: the node acknowledged the entry, or reported a {@code lastApplied} at or past it (a
 *       node that dropped its cache after a gap never acks the entries it skipped, yet has none of their
 *       objects);
 *   <li>{@code down}: not applied, and no heartbeat for {@code downAfter} (three heartbeat intervals);
 *   <li>{@code pending}: not applied, node alive.
 * </ul>
 */
public final class NodeStatus {
    private NodeStatus() {}

    public enum State {
        APPLIED,
        PENDING,
        DOWN;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One node's line in an invalidation's status. */
    record Row(Node node, State state, Optional<Ack> ack) {
        Row {
            requireNonNull(node, "node is null");
            requireNonNull(state, "state is null");
            requireNonNull(ack, "ack is null");
        }
    }

    static State of(Node node, Optional<Ack> ack, long invalidationId, Instant now, Duration downAfter) {
        return of(node, ack.isPresent(), invalidationId, now, downAfter);
    }

    public static State of(Node node, boolean acked, long invalidationId, Instant now, Duration downAfter) {
        if (acked || node.lastApplied() >= invalidationId) {
            return State.APPLIED;
        }
        return alive(node, now, downAfter) ? State.PENDING : State.DOWN;
    }

    /** Whether the node sent a heartbeat (or registered) within {@code downAfter} of {@code now}. */
    static boolean alive(Node node, Instant now, Duration downAfter) {
        return !node.lastHeartbeatAt().plus(downAfter).isBefore(now);
    }

    /** Every node's row for entry {@code invalidationId}, given that entry's acks by node id. */
    static List<Row> rows(long invalidationId, List<Node> nodes, Map<Long, Ack> acksByNode, Instant now,
            Duration downAfter) {
        return nodes.stream().map(node -> {
            Optional<Ack> ack = Optional.ofNullable(acksByNode.get(node.id()));
            return new Row(node, of(node, ack, invalidationId, now, downAfter), ack);
        }).toList();
    }

    static long count(List<Row> rows, State state) {
        return rows.stream().filter(r -> r.state() == state).count();
    }
}
