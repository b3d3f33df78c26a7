package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.runtime.Role;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A registered edge or shield.
 *
 * @param id row id (what acks and stats reference)
 * @param name unique node name
 * @param role {@link Role#EDGE} or {@link Role#SHIELD}
 * @param pop point of presence
 * @param trafficUrl where it serves traffic
 * @param managementUrl its management port ({@code /healthz}, {@code /readyz})
 * @param registeredAt its latest registration (last start)
 * @param lastHeartbeatAt its latest heartbeat or registration
 * @param lastApplied the last invalidation id it reported applied
 * @param placement where it is and how routers weigh it
 * @param health its health as the active checks judge it (never {@link NodeState#DRAINING})
 * @param draining whether an operator drained it
 * @param stateSince since when its {@link #state()} has held
 */
public record Node(long id, String name, Role role, String pop, String trafficUrl, String managementUrl,
        Instant registeredAt, Instant lastHeartbeatAt, long lastApplied, Placement placement, NodeState health,
        boolean draining, Instant stateSince) {
    public Node {
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
        requireNonNull(pop, "pop is null");
        requireNonNull(trafficUrl, "trafficUrl is null");
        requireNonNull(managementUrl, "managementUrl is null");
        requireNonNull(registeredAt, "registeredAt is null");
        requireNonNull(lastHeartbeatAt, "lastHeartbeatAt is null");
        requireNonNull(placement, "placement is null");
        requireNonNull(health, "health is null");
        requireNonNull(stateSince, "stateSince is null");
        if (!health.isHealth()) {
            throw new IllegalArgumentException("health is not a health state: " + health);
        }
    }

    /** A healthy, undrained node with the default placement (tests and callers that do not route). */
    public Node(long id, String name, Role role, String pop, String trafficUrl, String managementUrl,
            Instant registeredAt, Instant lastHeartbeatAt, long lastApplied) {
        this(id, name, role, pop, trafficUrl, managementUrl, registeredAt, lastHeartbeatAt, lastApplied,
                Placement.DEFAULT, NodeState.HEALTHY, false, registeredAt);
    }

    /** The effective state: {@link NodeState#DRAINING} when drained, else its health. */
    public NodeState state() {
        return draining ? NodeState.DRAINING : health;
    }

    /**
     * Where a node is and how routers weigh it, as it registered.
     *
     * @param coordinates its own coordinates; empty: its POP's
     * @param weight 1..1000, relative share among equally near nodes
     * @param publicUrl where clients are sent; empty: the traffic URL
     * @param addresses IP literals DNS answers give for it (at most 16)
     */
    public record Placement(Optional<Coordinates> coordinates, int weight, Optional<String> publicUrl,
            List<String> addresses) {
        public static final int DEFAULT_WEIGHT = 100;
        public static final int MAX_WEIGHT = 1000;
        public static final int MAX_ADDRESSES = 16;
        public static final Placement DEFAULT = new Placement(Optional.empty(), DEFAULT_WEIGHT, Optional.empty(), List.of());

        public Placement {
            requireNonNull(coordinates, "coordinates is null");
            requireNonNull(publicUrl, "publicUrl is null");
            addresses = List.copyOf(addresses);
            if (weight < 1 || weight > MAX_WEIGHT) {
                throw new IllegalArgumentException("weight out of 1.." + MAX_WEIGHT + ": " + weight);
            }
            if (addresses.size() > MAX_ADDRESSES) {
                throw new IllegalArgumentException("more than " + MAX_ADDRESSES + " addresses: " + addresses.size());
            }
        }
    }
}
