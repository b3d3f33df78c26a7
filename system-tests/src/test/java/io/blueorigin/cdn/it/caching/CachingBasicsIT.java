package io.blueorigin.cdn.it.caching;

import static io.blueorigin.cdn.it.caching.CdnHarness.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;

/** The seeds' first checks and the basics of RFC 9111 storage and reuse, through edge and shield. */
class CachingBasicsIT extends HarnessPerClass {
    private static Reply cacheable(String body) {
        return Reply.ok(body).withHeader("Cache-Control", "public, max-age=60").withHeader("ETag", "\"" + body + "\"");
    }

    @Test
    void missThenHitWithAgeAndCacheStatusPerTier() {
        h.assumeSharedClock();
        h.origin.on("/basics/a", cacheable("a"));
        ContentResponse first = h.get("/basics/a");
        assertThat(first.getContentAsString()).isEqualTo("a");
        assertThat(xCache(first)).isEqualTo("MISS");
        assertThat(first.getHeaders().get("Cache-Status"))
                .isEqualTo("shield-iad; fwd=uri-miss; fwd-status=200; stored, edge-nyc; fwd=uri-miss; fwd-status=200; stored");
        assertThat(first.getHeaders().get("Age")).isEqualTo("0");

        h.clock.advance(Duration.ofSeconds(5));
        ContentResponse second = h.get("/basics/a");
        assertThat(second.getContentAsString()).isEqualTo("a");
        assertThat(xCache(second)).isEqualTo("HIT");
        assertThat(second.getHeaders().get("Age")).isEqualTo("5");
        assertThat(second.getHeaders().get("Cache-Status")).endsWith("edge-nyc; hit; ttl=25");
        assertThat(second.getHeaders().get("Via")).isEqualTo("1.1 shield-iad, 1.1 edge-nyc");
        assertThat(second.getHeaders().get("X-Request-ID")).isNotEqualTo(first.getHeaders().get("X-Request-ID"));
        assertThat(h.origin.count("/basics/a")).isEqualTo(1);
    }

    @Test
    void aSecondEdgeRefillsFromTheShieldNotTheOrigin() {
        h.origin.on("/basics/shared", cacheable("shared"));
        h.get("/basics/shared");
        ContentResponse viaShield = h.client.get(h.shield("/basics/shared"));
        assertThat(xCache(viaShield)).isEqualTo("HIT");
        assertThat(h.origin.count("/basics/shared")).isEqualTo(1);
    }

    @Test
    void headIsAnsweredFromTheCachedGet() {
        h.origin.on("/basics/head", cacheable("0123456789"));
        h.get("/basics/head");
        ContentResponse head = TestClient.send(h.request("/basics/head").method("HEAD"));
        assertThat(head.getStatus()).isEqualTo(200);
        assertThat(xCache(head)).isEqualTo("HIT");
        assertThat(head.getHeaders().get("Content-Length")).isEqualTo("10");
        assertThat(head.getContent()).isEmpty();
        assertThat(h.origin.count("/basics/head")).isEqualTo(1);
    }

    @Test
    void aHeadMissIsForwardedAsHeadAndNotStored() {
        h.origin.on("/basics/head-miss", cacheable("x"));
        ContentResponse head = TestClient.send(h.request("/basics/head-miss").method("HEAD"));
        assertThat(head.getStatus()).isEqualTo(200);
        assertThat(xCache(head)).isEqualTo("PASS");
        assertThat(h.origin.last("/basics/head-miss").orElseThrow().method()).isEqualTo("HEAD");
    }

    @Test
    void queryStringsArePartOfTheKeyAndEncodingsAreNormalized() {
        h.origin.on("/basics/q", cacheable("q"));
        h.origin.on("/basics/~tilde", cacheable("t"));
        h.get("/basics/q?x=1");
        h.get("/basics/q?x=2");
        assertThat(xCache(h.get("/basics/q?x=1"))).isEqualTo("HIT");
        assertThat(h.origin.count("/basics/q")).isEqualTo(2);

        h.get("/basics/~tilde");
        assertThat(xCache(h.get("/basics/%7etilde"))).isEqualTo("HIT");
    }

    @Test
    void unknownDirectivesAndPragmaValuesDoNotBypassTheCache() {
        h.origin.on("/basics/unknown", Reply.ok("u").withHeader("Cache-Control", "max-age=60, x-vendor=\"a,b\", community=UCI"));
        h.get("/basics/unknown");
        ContentResponse hit = TestClient.send(h.request("/basics/unknown").headers(x -> x
                .put("Pragma", "x-whatever").put("Cache-Control", "x-client-thing")));
        assertThat(xCache(hit)).isEqualTo("HIT");
        assertThat(h.origin.count("/basics/unknown")).isEqualTo(1);
    }

    @Test
    void responsesWithoutFreshnessInformationOrValidatorsAreNotStored() {
        h.origin.on("/basics/plain", Reply.ok("p"));
        assertThat(xCache(h.get("/basics/plain"))).isEqualTo("PASS");
        assertThat(xCache(h.get("/basics/plain"))).isEqualTo("PASS");
        assertThat(h.origin.count("/basics/plain")).isEqualTo(2);
    }

    @Test
    void heuristicFreshnessIsATenthOfTheLastModifiedAgeAndTheTierCapClampsIt() {
        h.assumeSharedClock(); // exact remaining TTLs: the nodes' seconds must not tick between requests
        String tenDaysAgo = org.eclipse.jetty.http.DateGenerator.formatDate(h.clock.millis() - Duration.ofDays(10).toMillis());
        h.origin.on("/basics/heuristic", Reply.ok("h").withHeader("Last-Modified", tenDaysAgo));
        h.get("/basics/heuristic");
        ContentResponse atShield = h.client.get(h.shield("/basics/heuristic"));
        assertThat(atShield.getHeaders().get("Cache-Status")).endsWith("shield-iad; hit; ttl=300");
        ContentResponse atEdge = h.get("/basics/heuristic");
        assertThat(atEdge.getHeaders().get("Cache-Status")).endsWith("edge-nyc; hit; ttl=30");
    }

    @Test
    void privateNoStoreSetCookieAndAuthorizationAreNotStored() {
        h.origin.on("/basics/private", Reply.ok("x").withHeader("Cache-Control", "private, max-age=60"));
        h.origin.on("/basics/nostore", Reply.ok("x").withHeader("Cache-Control", "no-store, max-age=60"));
        h.origin.on("/basics/cookie", Reply.ok("x").withHeader("Cache-Control", "max-age=60").withHeader("Set-Cookie", "s=1"));
        h.origin.on("/basics/auth", Reply.ok("x").withHeader("Cache-Control", "max-age=60"));
        for (String path : new String[] {"/basics/private", "/basics/nostore", "/basics/cookie"}) {
            h.get(path);
            ContentResponse again = h.get(path);
            assertThat(xCache(again)).as(path).isEqualTo("PASS");
            assertThat(h.origin.count(path)).as(path).isEqualTo(2);
        }
        assertThat(h.get("/basics/cookie").getHeaders().get("Set-Cookie")).isEqualTo("s=1");
        for (int i = 0; i < 2; i++) {
            TestClient.send(h.request("/basics/auth").headers(x -> x.put("Authorization", "Bearer t")));
        }
        assertThat(h.origin.count("/basics/auth")).isEqualTo(2);
    }

    @Test
    void authorizationWithPublicIsStored() {
        h.origin.on("/basics/auth-public", Reply.ok("x").withHeader("Cache-Control", "public, max-age=60"));
        TestClient.send(h.request("/basics/auth-public").headers(x -> x.put("Authorization", "Bearer t")));
        ContentResponse hit = TestClient.send(h.request("/basics/auth-public").headers(x -> x.put("Authorization", "Bearer t")));
        assertThat(xCache(hit)).isEqualTo("HIT");
    }
}
