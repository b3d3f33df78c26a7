package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.admin.db.ApiTokens;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Authentication (401), scopes (403) and the tokens API, over real HTTP. */
class TokensApiIT {
    private TestAdmin admin;

    @BeforeEach
    void start() {
        admin = TestAdmin.start();
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private static void assertUnauthorized(ApiClient.Reply reply, String message) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(401);
        assertThat(reply.error()).isEqualTo("unauthorized");
        assertThat(reply.message()).startsWith(message);
        assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void aRequestWithoutAValidTokenIs401EvenOnUnknownPaths() {
        assertUnauthorized(admin.anonymous().get("/api/v1/nodes"), "missing token");
        assertUnauthorized(admin.anonymous().get("/api/v1/no-such-thing"), "missing token");
        assertUnauthorized(admin.anonymous().post("/api/v1/purge", "{\"urls\": [\"/a\"]}"), "missing token");
        assertUnauthorized(admin.as("bo_" + "x".repeat(43)).get("/api/v1/nodes"), "unknown or revoked token");
        assertUnauthorized(admin.as("not-even-the-format").get("/api/v1/nodes"), "unknown or revoked token");
        ApiClient.Reply basic = admin.anonymous().send(admin.anonymous().request("/api/v1/nodes")
                .header("Authorization", "Basic dXNlcjpwYXNz").GET());
        assertUnauthorized(basic, "unsupported authorization scheme");
        assertThat(admin.count("SELECT count(*) FROM invalidations")).isZero();
    }

    @Test
    void aReadTokenReadsButCannotPurgeOrPoll() {
        ApiClient read = admin.as(admin.token("dashboard", Scope.READ));
        assertThat(read.get("/api/v1/nodes").status()).isEqualTo(200);
        assertThat(read.get("/api/v1/invalidations/recent").status()).isEqualTo(200);

        ApiClient.Reply purge = read.post("/api/v1/purge", "{\"urls\": [\"/a\"]}");
        assertThat(purge.status()).isEqualTo(403);
        assertThat(purge.error()).isEqualTo("forbidden");
        assertThat(purge.message()).isEqualTo("POST /api/v1/purge needs a token with scope purge (or higher);"
                + " token 'dashboard' has [read]");
        assertThat(read.get("/api/v1/invalidations?after=0").status()).isEqualTo(403);
        assertThat(read.post("/api/v1/nodes/register", "{}").status()).isEqualTo(403);
        assertThat(admin.count("SELECT count(*) FROM invalidations")).isZero();
    }

    @Test
    void aPurgeTokenPurgesAsItselfButCannotManageTokens() {
        ApiClient purger = admin.as(admin.token("ci-purger", Scope.PURGE));
        ApiClient.Reply purge = purger.post("/api/v1/purge", "{\"urls\": [\"/a\"]}");
        assertThat(purge.status()).isEqualTo(202);
        assertThat(purger.get(purge.json().path("status").asText()).json().path("createdBy").asText()).isEqualTo("ci-purger");
        assertThat(admin.count("SELECT count(*) FROM invalidations i JOIN api_tokens t ON t.id = i.created_by"
                + " WHERE t.name = 'ci-purger'")).isEqualTo(1);

        ApiClient.Reply list = purger.get("/api/v1/tokens");
        assertThat(list.status()).isEqualTo(403);
        assertThat(list.message()).contains("needs a token with scope admin");
        assertThat(purger.post("/api/v1/tokens", "{\"name\": \"x\", \"scopes\": [\"admin\"]}").status()).isEqualTo(403);
        assertThat(purger.delete("/api/v1/tokens/1").status()).isEqualTo(403);
        assertThat(admin.count("SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL")).isZero();
    }

    @Test
    void anAdminCreatesListsAndRevokesTokensAndARevokedOneIsRefusedAtOnce() {
        ApiClient.Reply created = admin.admin().post("/api/v1/tokens", "{\"name\": \"nodes\", \"scopes\": [\"purge\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode token = created.json();
        String secret = token.path("secret").asText();
        long id = token.path("id").asLong();
        assertThat(secret).startsWith(ApiTokens.SECRET_PREFIX).hasSize(46);
        assertThat(token.path("name").asText()).isEqualTo("nodes");
        assertThat(token.path("scopes").toString()).isEqualTo("[\"purge\"]");

        ApiClient nodes = admin.as(secret);
        assertThat(nodes.post("/api/v1/purge-all", "{}").status()).isEqualTo(202);

        JsonNode listed = admin.admin().get("/api/v1/tokens").json().path("tokens");
        assertThat(listed.size()).isEqualTo(3); // the bootstrap token, console:admin's, this one
        JsonNode entry = listed.path(2);
        assertThat(entry.path("id").asLong()).isEqualTo(id);
        assertThat(entry.path("prefix").asText()).isEqualTo(secret.substring(0, 9));
        assertThat(entry.path("lastUsedAt").isTextual()).isTrue();
        assertThat(entry.path("revokedAt").isNull()).isTrue();
        assertThat(listed.toString()).doesNotContain(secret).doesNotContain("secret");

        assertThat(admin.admin().delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
        assertUnauthorized(nodes.post("/api/v1/purge-all", "{}"), "unknown or revoked token");
        assertThat(admin.admin().delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
        assertThat(admin.admin().get("/api/v1/tokens").json().path("tokens").path(2).path("revokedAt").isTextual()).isTrue();
        assertThat(admin.admin().delete("/api/v1/tokens/9999").status()).isEqualTo(404);
        assertThat(admin.admin().delete("/api/v1/tokens/x").status()).isEqualTo(404);
    }

    @Test
    void theLastActiveAdminTokenCannotBeRevoked() {
        admin.sql("UPDATE api_tokens SET revoked_at = now() WHERE name = 'console:admin'"); // the console's admin too
        long bootstrap = admin.admin().get("/api/v1/tokens").json().path("tokens").path(0).path("id").asLong();
        ApiClient.Reply refused = admin.admin().delete("/api/v1/tokens/" + bootstrap);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.error()).isEqualTo("conflict");
        assertThat(refused.message()).contains("last active token with the admin scope");

        String second = admin.admin().post("/api/v1/tokens", "{\"name\": \"ops\", \"scopes\": [\"admin\"]}").json()
                .path("secret").asText();
        assertThat(admin.as(second).delete("/api/v1/tokens/" + bootstrap).status()).isEqualTo(204);
        assertThat(admin.admin().get("/api/v1/nodes").status()).isEqualTo(401);
    }

    @Test
    void tokenRequestsAreValidated() {
        ApiClient api = admin.admin();
        assertThat(api.post("/api/v1/tokens", "{\"scopes\": [\"read\"]}").message()).startsWith("name: required");
        assertThat(api.post("/api/v1/tokens", "{\"name\": \"\", \"scopes\": [\"read\"]}").message()).isEqualTo("name: must not be empty");
        assertThat(api.post("/api/v1/tokens", "{\"name\": \"a\\nb\", \"scopes\": [\"read\"]}").message())
                .startsWith("name: must not contain control characters");
        assertThat(api.post("/api/v1/tokens", "{\"name\": \"x\", \"scopes\": []}").message()).startsWith("scopes: empty");
        assertThat(api.post("/api/v1/tokens", "{\"name\": \"x\", \"scopes\": [\"root\"]}").message())
                .isEqualTo("scopes: 'root' (expected: read, purge, admin or node)");
        assertThat(api.post("/api/v1/tokens", "{\"name\": \"x\", \"scopes\": [\"read\", \"read\"]}").message())
                .isEqualTo("scopes: 'read' listed twice");
        assertThat(api.post("/api/v1/tokens", "{\"name\": \"x\", \"scopes\": \"read\"}").message()).isEqualTo("scopes: expected a list");
        assertThat(api.post("/api/v1/tokens", "{\"name\": \"x\", \"scopes\": [\"read\"], \"secret\": \"bo_mine\"}").message())
                .startsWith("secret: unknown field");
        assertThat(admin.count("SELECT count(*) FROM api_tokens WHERE name NOT LIKE 'console:%'")).isEqualTo(1);
    }

    @Test
    void lastUsedAtIsWrittenAtMostOnceAMinute() {
        String secret = admin.token("poller", Scope.READ);
        ApiClient poller = admin.as(secret);
        assertThat(poller.get("/api/v1/nodes").status()).isEqualTo(200);
        String first = lastUsed("poller");
        assertThat(first).isNotNull();
        assertThat(poller.get("/api/v1/nodes").status()).isEqualTo(200);
        assertThat(lastUsed("poller")).isEqualTo(first);

        admin.sql("UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE name = 'poller'");
        String backdated = lastUsed("poller");
        assertThat(poller.get("/api/v1/nodes").status()).isEqualTo(200);
        assertThat(lastUsed("poller")).isNotEqualTo(backdated);
    }

    private String lastUsed(String name) {
        for (JsonNode token : admin.admin().get("/api/v1/tokens").json().path("tokens")) {
            if (token.path("name").asText().equals(name)) {
                return token.path("lastUsedAt").isNull() ? null : token.path("lastUsedAt").asText();
            }
        }
        throw new AssertionError("no token " + name);
    }

    @Test
    void theIndexAndHealthStayOpen() {
        ApiClient anonymous = new ApiClient(URI.create(admin.node.uri() + "/"), Optional.empty());
        assertThat(anonymous.get("/").status()).isEqualTo(200);
        assertThat(anonymous.get("/healthz").status()).isEqualTo(200);
    }
}
