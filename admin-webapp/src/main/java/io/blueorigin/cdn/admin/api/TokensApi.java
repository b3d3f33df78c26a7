package io.blueorigin.cdn.admin.api;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.admin.Scope;
import io.blueorigin.cdn.admin.db.ApiTokens;
import io.blueorigin.cdn.admin.db.NewToken;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Token management (scope {@code admin}): create (the secret is shown once), list, revoke. */
final class TokensApi {
    private static final Logger LOG = LoggerFactory.getLogger(TokensApi.class);

    private final ApiTokens tokens;

    TokensApi(ApiTokens tokens) {
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    /** {@code POST /api/v1/tokens}: 201 with the secret. */
    void create(ApiCall call) throws ApiException, SQLException, IOException {
        Bodies.Token body = call.body(Bodies.Token.class);
        String name = Fields.required("name", body.name(), "what the token is for, e.g. ci-purger");
        Optional<String> problem = ApiTokens.checkName(name);
        if (problem.isPresent()) {
            throw ApiException.badRequest("name: " + problem.get());
        }
        List<String> labels = Fields.list("scopes", body.scopes(), Scope.values().length, "scopes: read, purge, admin");
        List<Scope> scopes = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            Scope scope = Scope.fromLabel(label).orElseThrow(() -> ApiException.badRequest("scopes: "
                    + Text.quote(label) + " (expected: read, purge or admin)"));
            if (scopes.contains(scope)) {
                throw ApiException.badRequest("scopes: " + Text.quote(label) + " listed twice");
            }
            scopes.add(scope);
        }
        NewToken token = tokens.issue(name, scopes);
        LOG.info("token {} '{}' {} created by token {} '{}'", token.id(), token.name(),
                scopes.stream().map(Scope::label).toList(), call.token().id(), call.token().name());
        call.respond(201, Views.newToken(token));
    }

    /** {@code GET /api/v1/tokens}: every token, without secrets. */
    void list(ApiCall call) throws ApiException, SQLException, IOException {
        call.query();
        call.respond(200, Map.of("tokens", tokens.list().stream().map(Views::token).toList()));
    }

    /** {@code DELETE /api/v1/tokens/{id}}: 204; refused for the last active admin token. */
    void revoke(ApiCall call) throws ApiException, SQLException, IOException {
        long id = Ids.parse("token", call.parameter("id"));
        switch (tokens.revoke(id)) {
            case REVOKED -> {
                LOG.info("token {} revoked by token {} '{}'", id, call.token().id(), call.token().name());
                call.noContent();
            }
            case ALREADY_REVOKED -> call.noContent();
            case NOT_FOUND -> throw ApiException.notFound("no token " + id);
            case LAST_ADMIN -> throw ApiException.conflict("token " + id + " is the last active token with the admin"
                    + " scope; create another admin token first, or nobody could manage tokens any more");
        }
    }
}
