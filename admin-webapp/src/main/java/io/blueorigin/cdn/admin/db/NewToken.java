package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.Scope;
import java.util.List;
import java.util.Optional;

/**
 * A token just created, with its secret: the only time the secret exists outside the client.
 *
 * @param id row id
 * @param name what the operator called it
 * @param scopes what it may do
 * @param node the node name a node token is bound to
 * @param secret the bearer secret ({@code bo_...})
 */
public record NewToken(long id, String name, List<Scope> scopes, Optional<String> node, String secret) {
    public NewToken {
        requireNonNull(name, "name is null");
        scopes = List.copyOf(scopes);
        requireNonNull(node, "node is null");
        requireNonNull(secret, "secret is null");
    }

    /** Keeps the secret out of logs. */
    @Override
    public String toString() {
        return "NewToken[id=" + id + ", name=" + name + ", scopes=" + scopes + node.map(n -> ", node=" + n).orElse("") + "]";
    }
}
