package io.blueorigin.cdn.proxy;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Hop-by-hop header fields (RFC 9110 §7.6.1): meaningful for one connection only, so a proxy removes them
 * before forwarding a message in either direction, together with every field the {@code Connection} header
 * of that message names.
 */
final class HopByHop {
    /** Always hop-by-hop, whatever {@code Connection} says (lower case). */
    static final Set<String> FIELDS = Set.of(
            "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
            "te", "trailer", "transfer-encoding", "upgrade");

    private HopByHop() {}

    /** The lower-case field names a message's {@code Connection} header values nominate. */
    static Set<String> nominated(List<String> connectionValues) {
        if (connectionValues.isEmpty()) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (String value : connectionValues) {
            for (String token : value.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** Whether {@code name} must not be forwarded, given the names {@code Connection} nominated. */
    static boolean isHopByHop(String name, Set<String> nominated) {
        String lower = name.toLowerCase(Locale.ROOT);
        return FIELDS.contains(lower) || nominated.contains(lower);
    }
}
