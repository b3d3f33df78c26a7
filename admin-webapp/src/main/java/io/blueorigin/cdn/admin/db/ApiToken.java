package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An API token as listed (never with its secret).
 *
 * @param id row id (what {@code invalidations.created_by} references)
 * @param name what the operator called it
 * @param prefix the first characters of its secret, to recognise it
 * @param scopes what it may do
 * @param node for a node token (scope {@code node}, and only that): the one node name it may act as
 * @param createdAt when it was created
 * @param lastUsedAt when it last authenticated a request (updated at most once a minute)
 * @param revokedAt when it was revoked; a revoked token authenticates nothing
 */
public record ApiToken(long id, String name, String prefix, List<Scope> scopes, Optional<String> node, Instant createdAt,
        Optional<Instant> lastUsedAt, Optional<Instant> revokedAt) {
    public ApiToken {
        requireNonNull(name, "name is null");
        requireNonNull(prefix, "prefix is null");
        scopes = List.copyOf(scopes);
        requireNonNull(node, "node is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(lastUsedAt, "lastUsedAt is null");
        requireNonNull(revokedAt, "revokedAt is null");
        if (node.isPresent() != scopes.contains(Scope.NODE) || (node.isPresent() && scopes.size() != 1)) {
            throw new IllegalArgumentException("token " + id + ": a node name goes with scope node alone (scopes "
                    + scopes + ", node " + node.orElse("none") + ")");
        }
    }

    /** Whether one of its scopes allows what {@code required} allows. */
    public boolean allows(Scope required) {
        return scopes.stream().anyMatch(s -> s.grants(required));
    }

    /** Whether this is a node's token (scope {@code node}, bound to {@link #node()}). */
    public boolean isNodeToken() {
        return node.isPresent();
    }
}
