package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.runtime.Role;
import java.time.Instant;

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
 */
public record Node(long id, String name, Role role, String pop, String trafficUrl, String managementUrl,
        Instant registeredAt, Instant lastHeartbeatAt, long lastApplied) {
    public Node {
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
        requireNonNull(pop, "pop is null");
        requireNonNull(trafficUrl, "trafficUrl is null");
        requireNonNull(managementUrl, "managementUrl is null");
        requireNonNull(registeredAt, "registeredAt is null");
        requireNonNull(lastHeartbeatAt, "lastHeartbeatAt is null");
    }
}
