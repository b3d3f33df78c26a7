package io.blueorigin.cdn.runtime;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * Who a node is: its role, a unique name (used in {@code Via}, {@code Cache-Status} members, thread names
 * and metrics labels) and the point of presence it serves.
 *
 * @param role the node's role
 * @param name unique node name, e.g. {@code edge-nyc}; a token (letters, digits, {@code -_.})
 * @param pop point of presence, e.g. {@code nyc}; a token
 */
public record NodeIdentity(Role role, String name, String pop) {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public NodeIdentity {
        requireNonNull(role, "role is null");
        requireNonNull(name, "name is null");
        requireNonNull(pop, "pop is null");
        if (!TOKEN.matcher(name).matches()) {
            throw new IllegalArgumentException("node.name : '" + name
                    + "' (expected: 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit)");
        }
        if (!TOKEN.matcher(pop).matches()) {
            throw new IllegalArgumentException("node.pop : '" + pop
                    + "' (expected: 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit)");
        }
    }

    /** The identity a node gets when the operator names only its role and POP: {@code edge-nyc}. */
    public static NodeIdentity of(Role role, String pop) {
        return new NodeIdentity(role, role.label() + "-" + pop, pop);
    }
}
