package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.db.ApiToken;
import io.blueorigin.cdn.admin.db.ApiTokens;
import io.blueorigin.cdn.admin.db.NewToken;
import io.blueorigin.cdn.admin.db.Nodes;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token management (scope {@code admin}): create (the secret is shown once), list, revoke. A node token
 * ({@code "scopes": ["node"], "node": "edge-nyc"}) is what a node's agent authenticates with.
 */
final class TokensApi {
    private static final Logger LOG = LoggerFactory.getLogger(TokensApi.class);

    private final ApiTokens tokens;

    TokensApi(ApiTokens tokens) {
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    /** {@code POST /api/v1/tokens}: 201 with the secret. */
    void create(ApiCall call) throws ApiException, SQLException, IOException {
        call.respond(201, Views.newToken(create(call.token(), call.body(Bodies.Token.class))));
    }

    /** Creates the token {@code body} describes on behalf of {@code actor} (the API and the console's form). */
    NewToken create(ApiToken actor, Bodies.Token body) throws ApiException, SQLException {
        Request request = request(body);
        String name = request.name();
        List<Scope> scopes = request.scopes();
        Optional<String> node = request.node();
        NewToken token = tokens.issue(name, scopes, node);
        LOG.info("token {} '{}' {}{} created by token {} '{}'", token.id(), token.name(),
                scopes.stream().map(Scope::label).toList(), node.map(n -> " for node " + n).orElse(""), actor.id(),
                actor.name());
        return token;
    }

    /** A token to create, validated. */
    record Request(String name, List<Scope> scopes, Optional<String> node) {}

    /** A creation body, validated (pure: a 400 naming the field, or the request). */
    static Request request(Bodies.Token body) throws ApiException {
        String name = Fields.required("name", body.name(), "what the token is for, e.g. ci-purger");
        Optional<String> problem = ApiTokens.checkName(name);
        if (problem.isPresent()) {
            throw ApiException.badRequest("name: " + problem.get());
        }
        List<Scope> scopes = scopes(body.scopes());
        return new Request(name, scopes, node(scopes, body.node()));
    }

    /** 1-4 distinct scopes (set semantics: an EnumSet, so checking a repeat is constant time). */
    private static List<Scope> scopes(@Nullable List<@Nullable String> given) throws ApiException {
        List<String> labels = Fields.list("scopes", given, Scope.values().length, "scopes: read, purge, admin, node");
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        List<Scope> ordered = new ArrayList<>();
        for (String label : labels) {
            Scope scope = Scope.fromLabel(label).orElseThrow(() -> ApiException.badRequest("scopes: "
                    + Text.quote(label) + " (expected: read, purge, admin or node)"));
            if (!scopes.add(scope)) {
                throw ApiException.badRequest("scopes: " + Text.quote(label) + " listed twice");
            }
            ordered.add(scope);
        }
        return ordered;
    }

    /** A node token names its node, and has no other scope; no other token names one. */
    private static Optional<String> node(List<Scope> scopes, @Nullable String node) throws ApiException {
        if (!scopes.contains(Scope.NODE)) {
            if (node != null) {
                throw ApiException.badRequest("node: only a node token (scopes [\"node\"]) is bound to a node");
            }
            return Optional.empty();
        }
        if (scopes.size() > 1) {
            throw ApiException.badRequest("scopes: a node token has scope node alone (it may act as its node and"
                    + " nothing else); create a separate token for the other scopes");
        }
        if (node == null) {
            throw ApiException.badRequest("node: required with scope node (the node.name of the node that will use it,"
                    + " e.g. edge-nyc)");
        }
        if (!Nodes.isName(node)) {
            throw ApiException.badRequest("node: " + Text.quote(node)
                    + " (expected: 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit)");
        }
        return Optional.of(node);
    }

    /** {@code GET /api/v1/tokens}: every token, without secrets. */
    void list(ApiCall call) throws ApiException, SQLException, IOException {
        call.query();
        call.respond(200, Map.of("tokens", tokens.list().stream().map(Views::token).toList()));
    }

    /** {@code DELETE /api/v1/tokens/{id}}: 204; refused for the last active admin token. */
    void revoke(ApiCall call) throws ApiException, SQLException, IOException {
        revoke(call.token(), Ids.parse("token", call.parameter("id")));
        call.noContent();
    }

    /** Revokes token {@code id} on behalf of {@code actor}; 404 unknown, 409 the last admin token. */
    void revoke(ApiToken actor, long id) throws ApiException, SQLException {
        switch (tokens.revoke(id)) {
            case REVOKED -> LOG.info("token {} revoked by token {} '{}'", id, actor.id(), actor.name());
            case ALREADY_REVOKED -> { }
            case NOT_FOUND -> throw ApiException.notFound("no token " + id);
            case LAST_ADMIN -> throw ApiException.conflict("token " + id + " is the last active token with the admin"
                    + " scope; create another admin token first, or nobody could manage tokens any more");
        }
    }
}
