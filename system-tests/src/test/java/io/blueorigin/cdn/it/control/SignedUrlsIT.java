package io.blueorigin.cdn.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.testkit.RecordedRequest;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestStack;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signed URLs over admin, edge and shield: keys made in admin reach the edges through the log; a URL signed by
 * {@code POST /api/v1/sign} is served (and cached without its signature parameters); a missing, forged,
 * expired or unknown-key signature is a 403 naming which; a rotated key keeps the previous one valid.
 */
class SignedUrlsIT {
    private static final String HOST = "www.example.test";
    private static TestStack s;
    private static AdminApi api;
    private static String adminToken;

    @BeforeAll
    static void start() {
        s = TestStack.start(c -> c.withAdmin().edges("nyc").shields("iad"));
        api = new AdminApi(s.cdn.admin().uri());
        adminToken = s.cdn.admin().bootstrapToken().orElseThrow();
        for (ProxyNode node : List.of(s.cdn.edge("nyc"), s.cdn.shield())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> node.control().readiness().ready());
        }
        AdminApi.Answer site = api.put("/sites/www", "{\"hosts\": [\"" + HOST + "\"], \"origins\": [{\"url\": \"" + s.origin.uri()
                + "\"}], \"delivery\": {\"signing\": {\"rules\": [{\"prefix\": \"/private/\", \"mode\": \"required\"}]}}}", adminToken);
        assertThat(site.status()).as("PUT site: %s", site).isIn(200, 201);
        s.origin.onPrefix("/", r -> Reply.ok("www " + r.path()).withHeader("Cache-Control", "max-age=300"));
        newKeyEverywhere();
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    /** A new current key for www; returns once the edge holds it. */
    private static String newKeyEverywhere() {
        AdminApi.Answer key = api.post("/sites/www/keys", "{\"grace\": 3600}", adminToken);
        assertThat(key.status()).as("POST key: %s", key).isIn(200, 201);
        String id = key.body().path("id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> s.cdn.edge("nyc").cache().sites().keyrings().keyring("www").find(id) != null);
        return id;
    }

    private static String sign(String path, long expiresIn) {
        AdminApi.Answer a = api.post("/sign", "{\"site\": \"www\", \"path\": \"" + path + "\", \"expiresIn\": " + expiresIn + "}",
                adminToken);
        assertThat(a.status()).as("POST sign: %s", a).isEqualTo(200);
        return a.body().path("url").asText();
    }

    private static ContentResponse get(String pathAndQuery) {
        return TestClient.send(s.client.request(s.edge("nyc", pathAndQuery)).headers(h -> h.put(HttpHeader.HOST, HOST)));
    }

    @Test
    void aSignedUrlIsServedAndCachedWithoutItsSignatureParameters() {
        String signed = sign("/private/a.mp4?w=1", 600);
        assertThat(signed).contains("exp=").contains("kid=").contains("sig=");
        ContentResponse first = get(signed);
        assertThat(first.getStatus()).isEqualTo(200);
        assertThat(first.getContentAsString()).isEqualTo("www /private/a.mp4");
        RecordedRequest atOrigin = s.origin.last("/private/a.mp4").orElseThrow();
        assertThat(atOrigin.query()).as("the origin never sees the signature").hasValue("w=1");
        ContentResponse again = get(sign("/private/a.mp4?w=1", 900)); // another signature for the same object
        assertThat(again.getHeaders().get("X-Cache")).as("one cache key whatever the signature").isEqualTo("HIT");
        assertThat(s.origin.count("/private/a.mp4")).isEqualTo(1);
        assertThat(get("/public/b").getStatus()).as("outside the rule's prefix nothing is asked").isEqualTo(200);
    }

    @Test
    void eachBadSignatureIsA403NamingWhy() {
        String signed = sign("/private/c", 600);
        ContentResponse missing = get("/private/c");
        assertThat(missing.getStatus()).isEqualTo(403);
        assertThat(missing.getHeaders().get("Blue-Origin-Error")).isEqualTo("signature-missing");
        assertThat(missing.getContentAsString()).startsWith("403 Forbidden: signature-missing");

        String sig = signed.substring(signed.indexOf("sig=") + 4);
        String forged = signed.replace("sig=" + sig, "sig=" + (sig.charAt(0) == 'A' ? 'B' : 'A') + sig.substring(1));
        assertThat(get(forged).getHeaders().get("Blue-Origin-Error")).isEqualTo("signature-invalid");
        assertThat(get(signed.replace("/private/c", "/private/d")).getHeaders().get("Blue-Origin-Error"))
                .as("a signature for another path").isEqualTo("signature-invalid");
        String kid = signed.replaceAll(".*kid=([^&]*).*", "$1");
        assertThat(get(signed.replace("kid=" + kid, "kid=k999999")).getHeaders().get("Blue-Origin-Error")).isEqualTo("unknown-key");
        assertThat(get(signed).getStatus()).isEqualTo(200);
        assertThat(s.origin.count("/private/c")).as("no refused request reached the origin").isEqualTo(1);
    }

    @Test
    void anExpiredSignatureIs403Expired() {
        String signed = sign("/private/e", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> "signature-expired".equals(get(signed).getHeaders().get("Blue-Origin-Error")));
        assertThat(get(signed).getStatus()).isEqualTo(403);
    }

    @Test
    void aRotatedKeyKeepsThePreviousOneValidForItsGrace() {
        String before = sign("/private/r", 600);
        assertThat(get(before).getStatus()).isEqualTo(200);
        newKeyEverywhere();
        String after = sign("/private/r2", 600);
        assertThat(after).doesNotContain(before.replaceAll(".*(kid=[^&]*).*", "$1"));
        assertThat(get(before).getStatus()).as("signed with the previous key, within its grace").isEqualTo(200);
        assertThat(get(after).getStatus()).isEqualTo(200);
    }
}
