package io.blueorigin.cdn.it.caching;

import static io.blueorigin.cdn.it.caching.CdnHarness.xCache;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.testkit.RecordedRequest;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;

/** Conditional requests (RFC 9111 §4.3) and secondary keys (§4.1). */
class ValidationIT extends HarnessPerClass {
    @Test
    void aClientsIfNoneMatchIsAnsweredWith304FromCache() {
        h.origin.on("/validation/inm", Reply.ok("body").withHeader("Cache-Control", "max-age=60").withHeader("ETag", "\"v1\""));
        h.get("/validation/inm");
        ContentResponse notModified = TestClient.send(h.request("/validation/inm").headers(x -> x.put("If-None-Match", "W/\"v1\"")));
        assertThat(notModified.getStatus()).isEqualTo(304);
        assertThat(notModified.getContent()).isEmpty();
        assertThat(notModified.getHeaders().get("ETag")).isEqualTo("\"v1\"");
        assertThat(notModified.getHeaders().get("Cache-Control")).isEqualTo("max-age=60");
        assertThat(xCache(notModified)).isEqualTo("HIT");
        ContentResponse other = TestClient.send(h.request("/validation/inm").headers(x -> x.put("If-None-Match", "\"v0\"")));
        assertThat(other.getStatus()).isEqualTo(200);
        assertThat(h.origin.count("/validation/inm")).isEqualTo(1);
    }

    @Test
    void ifModifiedSinceIsAnsweredFromCacheAndIfMatchFailureIs412() {
        String lastModified = org.eclipse.jetty.http.DateGenerator.formatDate(h.clock.millis() - 3_600_000);
        h.origin.on("/validation/ims", Reply.ok("b").withHeader("Cache-Control", "max-age=60")
                .withHeader("Last-Modified", lastModified).withHeader("ETag", "\"s1\""));
        h.get("/validation/ims");
        ContentResponse ims = TestClient.send(h.request("/validation/ims").headers(x -> x.put("If-Modified-Since", lastModified)));
        assertThat(ims.getStatus()).isEqualTo(304);
        ContentResponse ifMatch = TestClient.send(h.request("/validation/ims").headers(x -> x.put("If-Match", "\"other\"")));
        assertThat(ifMatch.getStatus()).isEqualTo(412);
        assertThat(h.origin.count("/validation/ims")).isEqualTo(1);
    }

    @Test
    void onAMissTheOriginGetsNoClientValidatorsAndTheClientStillGets304() {
        h.origin.on("/validation/miss-inm", Reply.ok("b").withHeader("Cache-Control", "max-age=60").withHeader("ETag", "\"m\""));
        ContentResponse r = TestClient.send(h.request("/validation/miss-inm").headers(x -> x.put("If-None-Match", "\"m\"")));
        assertThat(r.getStatus()).isEqualTo(304);
        RecordedRequest atOrigin = h.origin.last("/validation/miss-inm").orElseThrow();
        assertThat(atOrigin.hasHeader("If-None-Match")).isFalse();
        // the 304 left before the body was stored; the object is committed once its body has arrived
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(xCache(h.get("/validation/miss-inm"))).isEqualTo("HIT"));
    }

    @Test
    void anExpiredObjectIsRevalidatedAndA304FreshensItsHeaders() {
        h.origin.onSequence("/validation/expire",
                Reply.ok("original").withHeader("Cache-Control", "max-age=10").withHeader("ETag", "\"e1\"")
                        .withHeader("X-Version", "1"),
                Reply.status(304).withHeader("Cache-Control", "max-age=20").withHeader("ETag", "\"e1\"")
                        .withHeader("X-Version", "2"));
        h.get("/validation/expire");
        h.clock.advance(Duration.ofSeconds(11));

        ContentResponse revalidated = h.get("/validation/expire");
        assertThat(revalidated.getStatus()).isEqualTo(200);
        assertThat(revalidated.getContentAsString()).isEqualTo("original");
        assertThat(xCache(revalidated)).isEqualTo("REVALIDATED");
        assertThat(revalidated.getHeaders().get("X-Version")).isEqualTo("2");
        assertThat(revalidated.getHeaders().get("Cache-Control")).isEqualTo("max-age=20");
        assertThat(revalidated.getHeaders().get("Age")).isEqualTo("0");
        List<RecordedRequest> atOrigin = h.origin.requests("/validation/expire");
        assertThat(atOrigin).hasSize(2);
        assertThat(atOrigin.get(1).header("If-None-Match")).hasValue("\"e1\"");

        h.clock.advance(Duration.ofSeconds(15));
        ContentResponse stillFresh = h.get("/validation/expire");
        assertThat(xCache(stillFresh)).isEqualTo("HIT");
        assertThat(stillFresh.getHeaders().get("X-Version")).isEqualTo("2");
        assertThat(h.origin.count("/validation/expire")).isEqualTo(2);
    }

    @Test
    void anExpiredObjectReplacedUpstreamIsRefetched() {
        h.origin.onSequence("/validation/changed",
                Reply.ok("old").withHeader("Cache-Control", "max-age=10").withHeader("ETag", "\"c1\""),
                Reply.ok("new").withHeader("Cache-Control", "max-age=10").withHeader("ETag", "\"c2\""));
        h.get("/validation/changed");
        h.clock.advance(Duration.ofSeconds(11));
        ContentResponse changed = h.get("/validation/changed");
        assertThat(changed.getContentAsString()).isEqualTo("new");
        assertThat(xCache(changed)).isEqualTo("MISS");
        assertThat(changed.getHeaders().get("Cache-Status")).contains("edge-nyc; fwd=stale; fwd-status=200; stored");
        assertThat(h.get("/validation/changed").getContentAsString()).isEqualTo("new");
    }

    @Test
    void aClientNoCacheRevalidatesThroughBothTiers() {
        h.origin.on("/validation/reload", Reply.ok("r").withHeader("Cache-Control", "max-age=60").withHeader("ETag", "\"r\""));
        h.get("/validation/reload");
        ContentResponse reload = TestClient.send(h.request("/validation/reload").headers(x -> x.put("Cache-Control", "no-cache")));
        assertThat(reload.getContentAsString()).isEqualTo("r");
        assertThat(h.origin.count("/validation/reload")).isEqualTo(2);
        assertThat(h.origin.last("/validation/reload").orElseThrow().header("If-None-Match")).hasValue("\"r\"");
    }

    @Test
    void varyCreatesSeparateVariantsPerNormalizedRequestHeader() {
        h.origin.on("/validation/vary", request -> Reply.ok("lang=" + request.header("Accept-Language").orElse("none"))
                .withHeader("Cache-Control", "max-age=60").withHeader("Vary", "Accept-Language"));
        assertThat(TestClient.send(h.request("/validation/vary").headers(x -> x.put("Accept-Language", "en")))
                .getContentAsString()).isEqualTo("lang=en");
        assertThat(TestClient.send(h.request("/validation/vary").headers(x -> x.put("Accept-Language", "fr")))
                .getContentAsString()).isEqualTo("lang=fr");
        ContentResponse en = TestClient.send(h.request("/validation/vary").headers(x -> x.put("Accept-Language", " EN ")));
        assertThat(en.getContentAsString()).isEqualTo("lang=en");
        assertThat(xCache(en)).isEqualTo("HIT");
        ContentResponse fr = TestClient.send(h.request("/validation/vary").headers(x -> x.put("Accept-Language", "fr")));
        assertThat(xCache(fr)).isEqualTo("HIT");
        ContentResponse none = h.get("/validation/vary");
        assertThat(none.getContentAsString()).isEqualTo("lang=none");
        assertThat(none.getHeaders().get("Cache-Status")).contains("edge-nyc; fwd=vary-miss");
        assertThat(h.origin.count("/validation/vary")).isEqualTo(3);
    }

    @Test
    void acceptEncodingIsReducedToTheCodingTheVariantNames() {
        h.origin.on("/validation/ae", request -> Reply.ok("coding=" + request.header("Accept-Encoding").orElse("none"))
                .withHeader("Cache-Control", "max-age=60").withHeader("Vary", "Accept-Encoding"));
        ContentResponse first = TestClient.send(h.request("/validation/ae").headers(x -> x.put("Accept-Encoding", "gzip, deflate")));
        assertThat(first.getContentAsString()).isEqualTo("coding=gzip");
        ContentResponse second = TestClient.send(h.request("/validation/ae").headers(x -> x.put("Accept-Encoding", "deflate;q=1, gzip;q=0.5")));
        assertThat(xCache(second)).isEqualTo("HIT");
        ContentResponse br = TestClient.send(h.request("/validation/ae").headers(x -> x.put("Accept-Encoding", "gzip, br")));
        assertThat(br.getContentAsString()).isEqualTo("coding=br");
        assertThat(h.origin.count("/validation/ae")).isEqualTo(2);
    }

    @Test
    void varyStarIsNeverStored() {
        h.origin.on("/validation/star", Reply.ok("s").withHeader("Cache-Control", "max-age=60").withHeader("Vary", "*"));
        h.get("/validation/star");
        assertThat(xCache(h.get("/validation/star"))).isEqualTo("PASS");
        assertThat(h.origin.count("/validation/star")).isEqualTo(2);
    }
}
