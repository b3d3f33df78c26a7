package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.Scope;
import java.util.List;

/**
 * A token just created, with its secret: the only time the secret exists outside the client.
 *
 * @param id row id
 * @param name what the operator called it
 * @param scopes what it may do
 * @param secret the bearer secret ({@code bo_...})
 */
public record NewToken(long id, String name, List<Scope> scopes, String secret) {
    public NewToken {
        requireNonNull(name, "name is null");
        scopes = List.copyOf(scopes);
        requireNonNull(secret, "secret is null");
    }

    /** Keeps the secret out of logs. */
    @Override
    public String toString() {
        return "NewToken[id=" + id + ", name=" + name + ", scopes=" + scopes + "]";
    }
}
