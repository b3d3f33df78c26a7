package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.signing.SignatureCheck;
import io.blueorigin.cdn.httpcache.signing.SigningKey;
import io.blueorigin.cdn.httpcache.signing.SigningKeyring;
import io.blueorigin.cdn.httpcache.signing.SigningPolicy;
import io.blueorigin.cdn.httpcache.site.Site;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signed-URL keys and {@code POST /api/v1/sign} over real HTTP on PostgreSQL: a key's secret is shown once,
 * rotation keeps the previous key in its grace, revocation, each change ONE {@code keys_put} entry carrying the
 * whole keyring (long-poll and registration), scopes, and 4xx with messages for bad input.
 */
class SigningKeysIT {
    private static final String SITE = "{\"hosts\": [\"v.example.com\"], \"origins\": [{\"url\": \"http://10.0.0.7\"}],"
            + " \"delivery\": {\"signing\": {\"rules\": [{\"prefix\": \"/private/\", \"params\": [\"w\"]}], \"maxLifetime\": \"2d\"}}}";
    private TestAdmin admin;
    private ApiClient api;

    @BeforeEach
    void start() {
        admin = TestAdmin.start();
        api = admin.admin();
        ApiClient.Reply put = api.put("/api/v1/sites/v", SITE);
        assertThat(put.status()).as(put.body()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private JsonNode createKey(String body) {
        ApiClient.Reply reply = api.post("/api/v1/sites/v/keys", body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json();
    }

    private JsonNode entry(long id) {
        ApiClient.Reply reply = admin.node("edge-nyc").get("/api/v1/invalidations?after=" + (id - 1));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        for (JsonNode e : reply.json().path("entries")) {
            if (e.path("id").asLong() == id) {
                return e;
            }
        }
        throw new AssertionError("no entry " + id + " in " + reply.body());
    }

    /** The keyring a node builds from a keys_put's {@code keys}. */
    private static SigningKeyring keyring(JsonNode keys) {
        List<SigningKey> list = new ArrayList<>();
        for (JsonNode k : keys) {
            long notAfter = k.path("notAfter").isNull() ? SigningKey.CURRENT
                    : Instant.parse(k.path("notAfter").asText()).getEpochSecond();
            list.add(new SigningKey(k.path("id").asText(), Base64.getUrlDecoder().decode(k.path("secret").asText()), notAfter));
        }
        return new SigningKeyring(list);
    }

    private static RequestTarget target(String url) {
        int q = url.indexOf('?');
        return RequestTarget.parse(url.substring(0, q), url.substring(q + 1));
    }

    @Test
    void rotationKeepsThePreviousKeyForItsGraceAndEachChangeIsOneLogEntry() {
        long logBefore = admin.count("SELECT count(*) FROM invalidations");
        JsonNode first = createKey("{}");
        String k1 = first.path("id").asText();
        assertThat(first.path("secret").asText()).hasSize(43);
        JsonNode second = createKey("{\"grace\": 3600}");
        String k2 = second.path("id").asText();
        assertThat(k2).isNotEqualTo(k1);
        assertThat(second.path("keyring")).extracting(JsonNode::asText).containsExactly(k2, k1);
        assertThat(admin.count("SELECT count(*) FROM invalidations")).isEqualTo(logBefore + 2);

        // listing: states, never a secret
        ApiClient.Reply list = admin.as(admin.token("reader", Scope.READ)).get("/api/v1/sites/v/keys");
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(first.path("secret").asText()).doesNotContain("secret");
        assertThat(list.json().path("keys").findValuesAsText("state")).containsExactly("current", "previous");

        // the entry nodes follow carries the whole keyring, with secrets
        JsonNode entry = entry(second.path("version").asLong());
        assertThat(entry.path("kind").asText()).isEqualTo("keys_put");
        assertThat(entry.path("site").asText()).isEqualTo("v");
        SigningKeyring ring = keyring(entry.path("keys"));
        assertThat(ring.current().id()).isEqualTo(k2);
        assertThat(ring.find(k1).notAfterSeconds()).isBetween(Instant.now().getEpochSecond() + 3500,
                Instant.now().getEpochSecond() + 3700);
        assertThat(ring.find(k1).secret()).isEqualTo(Base64.getUrlDecoder().decode(first.path("secret").asText()));

        // the history a read token sees names the site, never the keys
        ApiClient.Reply status = admin.as(admin.token("reader2", Scope.READ))
                .get("/api/v1/invalidations/" + second.path("version").asLong());
        assertThat(status.status()).as(status.body()).isEqualTo(200);
        assertThat(status.body()).doesNotContain(second.path("secret").asText()).doesNotContain("\"keys\"");

        // registration hands out every keyring
        ApiClient.Reply reg = admin.node("edge-nyc").post("/api/v1/nodes/register", "{\"name\": \"edge-nyc\", \"role\":"
                + " \"edge\", \"pop\": \"nyc\", \"trafficUrl\": \"http://127.0.0.1:1\", \"managementUrl\":"
                + " \"http://127.0.0.1:2\", \"lastApplied\": 0}");
        assertThat(reg.status()).as(reg.body()).isEqualTo(200);
        assertThat(keyring(reg.json().path("signingKeys").path("v").path("keys"))).isEqualTo(ring);

        // sign with the current key; a node with the keyring accepts it
        ApiClient.Reply signed = admin.as(admin.token("purger", Scope.PURGE)).post("/api/v1/sign",
                "{\"site\": \"v\", \"path\": \"/private/a.mp4?w=640\", \"expiresIn\": 3600}");
        assertThat(signed.status()).as(signed.body()).isEqualTo(200);
        assertThat(signed.json().path("kid").asText()).isEqualTo(k2);
        String url = signed.json().path("url").asText();
        assertThat(url).startsWith("/private/a.mp4?w=640&exp=" + signed.json().path("expires").asLong() + "&kid=" + k2 + "&sig=");
        Site site = Site.fromMap(Map.of("name", "v", "origins", List.of(Map.of("url", "http://10.0.0.7")), "delivery",
                Map.of("signing", Map.of("rules", List.of(Map.of("prefix", "/private/", "params", List.of("w"))),
                        "maxLifetime", "2d"))));
        long now = Instant.now().getEpochSecond();
        assertThat(SignatureCheck.verify(site.signing(), ring, target(url), now).outcome())
                .isEqualTo(SignatureCheck.Outcome.OK);

        // revoke the previous key: one more entry, without it
        ApiClient.Reply revoked = api.delete("/api/v1/sites/v/keys/" + k1);
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        SigningKeyring after = keyring(entry(revoked.json().path("version").asLong()).path("keys"));
        assertThat(after.keys()).extracting(SigningKey::id).containsExactly(k2);
        assertThat(api.delete("/api/v1/sites/v/keys/" + k1).status()).isEqualTo(404);
        JsonNode listed = api.get("/api/v1/sites/v/keys").json().path("keys");
        assertThat(listed.findValuesAsText("state")).containsExactly("current", "revoked");
        assertThat(listed.get(1).path("revokedBy").asText()).isNotEmpty();
    }

    @Test
    void scopes() {
        String purge = admin.token("purger", Scope.PURGE);
        String read = admin.token("reader", Scope.READ);
        assertThat(admin.as(purge).post("/api/v1/sites/v/keys", "{}").status()).isEqualTo(403);
        assertThat(admin.as(read).post("/api/v1/sign", "{\"site\": \"v\", \"path\": \"/a\", \"expiresIn\": 60}").status())
                .isEqualTo(403);
        assertThat(admin.as(read).delete("/api/v1/sites/v/keys/k1").status()).isEqualTo(403);
        assertThat(admin.anonymous().get("/api/v1/sites/v/keys").status()).isEqualTo(401);
    }

    @Test
    void badInputIsA4xxWithAMessage() {
        ApiClient purger = admin.as(admin.token("purger", Scope.PURGE));
        record Case(String body, int status, String says) {}
        List<Case> cases = List.of(
                new Case("{\"site\": \"v\", \"path\": \"/private/a\", \"expiresIn\": 60}", 409, "no current signing key"),
                new Case("{\"site\": \"nope\", \"path\": \"/a\", \"expiresIn\": 60}", 400, "no site"),
                new Case("{\"site\": \"V!\", \"path\": \"/a\", \"expiresIn\": 60}", 400, "not a site name"),
                new Case("{\"site\": \"v\", \"path\": \"a\", \"expiresIn\": 60}", 400, "path"),
                new Case("{\"site\": \"v\", \"path\": \"/a/..;x/b\", \"expiresIn\": 60}", 400, "path"),
                new Case("{\"site\": \"v\", \"path\": \"/a\"}", 400, "exactly one"),
                new Case("{\"site\": \"v\", \"path\": \"/a\", \"expiresIn\": 60, \"expires\": 1}", 400, "exactly one"),
                new Case("{\"site\": \"v\", \"path\": \"/a\", \"expiresIn\": 0}", 400, "expiresIn"),
                new Case("{\"site\": \"v\", \"path\": \"/a\", \"expires\": 1}", 400, "expires"),
                new Case("{\"site\": \"v\", \"path\": \"/a\", \"expiresIn\": 60, \"colour\": 1}", 400, "colour"));
        for (Case c : cases) {
            ApiClient.Reply reply = purger.post("/api/v1/sign", c.body());
            assertThat(reply.status()).as(c.body() + " -> " + reply.body()).isEqualTo(c.status());
            assertThat(reply.message()).as(c.body()).contains(c.says());
        }
        createKey("{}");
        ApiClient.Reply tooLong = purger.post("/api/v1/sign", "{\"site\": \"v\", \"path\": \"/a\", \"expiresIn\": 172801}");
        assertThat(tooLong.status()).as(tooLong.body()).isEqualTo(400);
        assertThat(tooLong.message()).contains("maxLifetime");
        assertThat(api.post("/api/v1/sites/v/keys", "{\"grace\": -1}").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/sites/v/keys", "{\"grace\": 2592001}").status()).isEqualTo(400);
        assertThat(api.post("/api/v1/sites/nope/keys", "{}").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/sites/nope/keys").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/sites/v/keys/not-a-key").status()).isEqualTo(404);
    }

    @Test
    void aKeyringHoldsAtMostSixteenKeys() {
        for (int i = 0; i < 16; i++) {
            createKey("{}");
        }
        ApiClient.Reply refused = api.post("/api/v1/sites/v/keys", "{}");
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.message()).contains("revoke");
        assertThat(admin.count("SELECT count(*) FROM signing_keys WHERE site = 'v'")).isEqualTo(16);
        // with no grace the previous key ends at once, so rotation never piles up
        String current = api.get("/api/v1/sites/v/keys").json().path("keys").get(0).path("id").asText();
        assertThat(api.delete("/api/v1/sites/v/keys/" + current).status()).isEqualTo(200);
        ApiClient.Reply again = api.post("/api/v1/sites/v/keys", "{\"grace\": 0}");
        assertThat(again.status()).as(again.body()).isEqualTo(201);
    }
}
