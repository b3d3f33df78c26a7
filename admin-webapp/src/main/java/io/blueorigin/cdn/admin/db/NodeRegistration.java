package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.runtime.Role;

/**
 * What a node says about itself when it registers (validated by the API).
 *
 * @param name unique node name
 * @param role {@link Role#EDGE} or {@link Role#SHIELD}
 * @param pop point of presence
 * @param trafficUrl where it serves traffic
 * @param managementUrl its management port
 * @param lastApplied the last invalidation id it applied (0: none)
 * @param placement its coordinates, weight, public URL and addresses ({@link Node.Placement#DEFAULT}: none given)
 */
public record NodeRegistration(String name, Role role, String pop, String trafficUrl, String managementUrl,
        long lastApplied, Node.Placement placement) {
    public NodeRegistration {
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
        requireNonNull(pop, "pop is null");
        requireNonNull(trafficUrl, "trafficUrl is null");
        requireNonNull(managementUrl, "managementUrl is null");
        requireNonNull(placement, "placement is null");
        if (role != Role.EDGE && role != Role.SHIELD) {
            throw new IllegalArgumentException("only edges and shields register, not " + role);
        }
        if (lastApplied < 0) {
            throw new IllegalArgumentException("lastApplied < 0: " + lastApplied);
        }
    }

    /** A registration with the default placement. */
    public NodeRegistration(String name, Role role, String pop, String trafficUrl, String managementUrl,
            long lastApplied) {
        this(name, role, pop, trafficUrl, managementUrl, lastApplied, Node.Placement.DEFAULT);
    }
}
