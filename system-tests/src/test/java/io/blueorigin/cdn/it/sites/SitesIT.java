package io.blueorigin.cdn.it.sites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.httpcache.site.Site;
import io.blueorigin.cdn.httpcache.site.SiteTable;
import io.blueorigin.cdn.proxy.ForwardingConfig;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.proxy.upstream.CircuitBreaker;
import io.blueorigin.cdn.proxy.upstream.Upstream;
import io.blueorigin.cdn.testkit.AtRest;
import io.blueorigin.cdn.testkit.RecordedRequest;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestOrigin;
import io.blueorigin.cdn.testkit.TestStack;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;

/**
 * One fleet, many sites, without admin (sites declared in the nodes' configuration, as a standalone box's YAML
 * does): the Host selects the site, each site is cached apart and fetched from its own origins through its own
 * gates and breakers, with its own key rules; a host no site claims gets 421.
 */
class SitesIT {

    /** www → the stack's origin; img → {@code img}; both with two host names each. */
    private static SiteTable sites(java.net.URI www, java.net.URI img, Map<String, Object> imgCaching) {
        return SiteTable.of(1, List.of(
                Site.fromMap(Map.of("name", "www", "hosts", List.of("www.example.test", "example.test"),
                        "origins", List.of(Map.of("url", www.toString())))),
                Site.fromMap(Map.of("name", "img", "hosts", List.of("img.example.test", "*.img.example.test"),
                        "origins", List.of(Map.of("url", img.toString(), "host", "images.internal")),
                        "caching", imgCaching))));
    }

    /** Both tiers know the sites; the shield takes the edge's (unsigned, no admin) site field from loopback. */
    private static UnaryOperator<io.blueorigin.cdn.testkit.TestCluster.Builder> withSites(SiteTable table) {
        return c -> c.edges("nyc").shields("iad")
                .edgeConfig(e -> e.withSites(table))
                .shieldConfig(s -> s.withSites(table)
                        .withForwarding(ForwardingConfig.defaults().withTrustedProxies(List.of("127.0.0.0/8")))
                        .withUpstream(s.upstream().withProtection(8, 8, 3, Duration.ofMinutes(5))));
    }

    private static ContentResponse get(TestStack stack, String host, String pathAndQuery) {
        return TestClient.send(stack.client.request(stack.edge("nyc", pathAndQuery)).headers(h -> h.put(HttpHeader.HOST, host)));
    }

    @Test
    void theHostSelectsTheSiteAndEachSiteIsCachedApart() {
        try (TestOrigin img = TestOrigin.start()) {
            try (TestStack stack = startWith(img.uri(), Map.of())) {
                stack.origin.on("/item/1", Reply.ok("www item 1").withHeader("Cache-Control", "max-age=60"));
                img.on("/item/1", Reply.ok("img item 1").withHeader("Cache-Control", "max-age=60"));

                assertThat(get(stack, "www.example.test", "/item/1").getContentAsString()).isEqualTo("www item 1");
                assertThat(get(stack, "img.example.test", "/item/1").getContentAsString()).isEqualTo("img item 1");
                ContentResponse wwwAgain = get(stack, "example.test:8080", "/item/1");
                ContentResponse imgAgain = get(stack, "a.IMG.example.test", "/item/1");
                assertThat(wwwAgain.getContentAsString()).isEqualTo("www item 1");
                assertThat(wwwAgain.getHeaders().get("X-Cache")).isEqualTo("HIT");
                assertThat(imgAgain.getContentAsString()).isEqualTo("img item 1");
                assertThat(imgAgain.getHeaders().get("X-Cache")).isEqualTo("HIT");
                assertThat(stack.origin.count("/item/1")).isEqualTo(1);
                assertThat(img.count("/item/1")).isEqualTo(1);
                // the site's Host goes to its origin; the edge's site field does not
                RecordedRequest atImg = img.last("/item/1").orElseThrow();
                assertThat(atImg.header("Host")).contains("images.internal");
                assertThat(atImg.hasHeader("Blue-Origin-Site")).isFalse();
                assertThat(stack.cdn.edge("nyc").cache().store().primaryKeys()).contains("www /item/1", "img /item/1");
                io.blueorigin.cdn.testkit.MetricsScrape metrics =
                        io.blueorigin.cdn.testkit.MetricsScrape.of(stack.cdn.edge("nyc").managementUri());
                assertThat(metrics.sum("cdn_site_requests_total", l -> "img".equals(l.get("site"))
                        && "hit".equals(l.get("cache_status")))).isEqualTo(1);
                assertThat(metrics.sum("cdn_site_requests_total", "site", "www")).isEqualTo(2);
                assertThat(stack.cdn.shield().cache().store().primaryKeys()).contains("www /item/1", "img /item/1");
                AtRest.await(stack.cdn);
            }
        }
    }

    @Test
    void aHostNoSiteClaimsGets421AndNoUpstreamRequest() {
        try (TestOrigin img = TestOrigin.start()) {
            try (TestStack stack = startWith(img.uri(), Map.of())) {
                for (String host : List.of("evil.test", "b.a.img.example.test", "img.example.test.evil.test", "127.0.0.1")) {
                    ContentResponse r = get(stack, host, "/item/1");
                    assertThat(r.getStatus()).as(host).isEqualTo(421);
                    assertThat(r.getContentAsString()).contains("serves no site for this host").contains("request id");
                }
                // counted per site: the misdirected ones under 'none' (site labels are bounded)
                io.blueorigin.cdn.testkit.MetricsScrape metrics =
                        io.blueorigin.cdn.testkit.MetricsScrape.of(stack.cdn.edge("nyc").managementUri());
                assertThat(metrics.sum("cdn_site_requests_total", "site", "none")).isEqualTo(4);
                assertThat(metrics.sum("cdn_site_requests_total", "site", "img")).isZero();
                assertThat(stack.origin.count()).isZero();
                assertThat(img.count()).isZero();
                AtRest.await(stack.cdn);
            }
        }
    }

    @Test
    void theSitesQueryAndCookiePoliciesShapeTheKeyAndTheUpstreamRequest() {
        try (TestOrigin img = TestOrigin.start()) {
            Map<String, Object> caching = Map.of("query", Map.of("mode", "allow-list", "allow", List.of("w", "h")),
                    "cookies", Map.of("mode", "strip", "names", List.of("_ga", "session")));
            try (TestStack stack = startWith(img.uri(), caching)) {
                img.onPrefix("/pic", r -> Reply.ok("pic " + r.query().orElse("-")).withHeader("Cache-Control", "max-age=60"));
                ContentResponse first = TestClient.send(stack.client.request(stack.edge("nyc", "/pic?utm=1&w=10&h=20"))
                        .headers(h -> h.put(HttpHeader.HOST, "img.example.test").put(HttpHeader.COOKIE,
                                "_ga=GA1.2; theme=dark; session=s3cr3t")));
                ContentResponse second = get(stack, "img.example.test", "/pic?w=10&utm=2&h=20&fbclid=x");
                assertThat(first.getContentAsString()).isEqualTo("pic w=10&h=20");
                assertThat(second.getContentAsString()).isEqualTo("pic w=10&h=20");
                assertThat(second.getHeaders().get("X-Cache")).isEqualTo("HIT");
                assertThat(img.count("/pic")).isEqualTo(1);
                RecordedRequest atOrigin = img.last("/pic").orElseThrow();
                assertThat(atOrigin.query()).contains("w=10&h=20");
                assertThat(atOrigin.header("Cookie")).contains("theme=dark");
                // an origin that varies on Cookie: the stripped cookies do not split the variants either
                img.onPrefix("/themed", r -> Reply.ok("themed " + r.header("Cookie").orElse("-"))
                        .withHeader("Cache-Control", "max-age=60").withHeader("Vary", "Cookie"));
                List<String> xCache = new java.util.ArrayList<>();
                for (String cookie : List.of("theme=dark; _ga=1", "_ga=2; theme=dark", "theme=dark", "theme=light; session=x")) {
                    xCache.add(TestClient.send(stack.client.request(stack.edge("nyc", "/themed")).headers(h -> h
                            .put(HttpHeader.HOST, "img.example.test").put(HttpHeader.COOKIE, cookie))).getHeaders().get("X-Cache"));
                }
                assertThat(xCache).as("edge").containsExactly("MISS", "HIT", "HIT", "MISS");
                assertThat(img.requests("/themed")).extracting(r -> r.header("Cookie").orElse("-"))
                        .containsExactly("theme=dark", "theme=light");
                // www keeps its whole query
                stack.origin.onPrefix("/q", r -> Reply.ok("q " + r.query().orElse("-")).withHeader("Cache-Control", "max-age=60"));
                assertThat(get(stack, "www.example.test", "/q?utm=1&w=10").getContentAsString()).isEqualTo("q utm=1&w=10");
                AtRest.await(stack.cdn);
            }
        }
    }

    @Test
    void eachSiteHasItsOwnCachingPolicy() {
        // img: a client's no-cache does not reach the origin, and 404s are kept for a minute; www keeps the node's rules
        Map<String, Object> caching = Map.of("requestNoCache", "ignore", "negativeTtl", "1m");
        try (TestOrigin img = TestOrigin.start(); TestStack stack = startWith(img.uri(), caching)) {
            stack.origin.onPrefix("/p", r -> Reply.ok("www").withHeader("Cache-Control", "max-age=60").withHeader("ETag", "\"w\""));
            img.onPrefix("/p", r -> Reply.ok("img").withHeader("Cache-Control", "max-age=60").withHeader("ETag", "\"i\""));
            img.onPrefix("/missing", r -> Reply.status(404).withBody("no such picture"));
            stack.origin.onPrefix("/missing", r -> Reply.status(404).withBody("no such page"));
            for (String host : List.of("www.example.test", "img.example.test")) {
                get(stack, host, "/p");
                get(stack, host, "/missing");
                get(stack, host, "/missing");
            }
            for (String host : List.of("www.example.test", "img.example.test")) {
                TestClient.send(stack.client.request(stack.edge("nyc", "/p")).headers(h -> h.put(HttpHeader.HOST, host)
                        .put(HttpHeader.CACHE_CONTROL, "no-cache")));
            }
            assertThat(img.count("/p")).as("img ignores the client's no-cache").isEqualTo(1);
            assertThat(stack.origin.count("/p")).as("www revalidates on a client's no-cache").isEqualTo(2);
            assertThat(img.count("/missing")).as("img caches its 404 (negativeTtl)").isEqualTo(1);
            AtRest.await(stack.cdn);
        }
    }

    @Test
    void oneSitesBrokenOriginOpensItsOwnBreakerOnly() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        // nothing listens on closedPort: connections to img's origin are refused
        {
            try (TestStack stack = startWith(java.net.URI.create("http://127.0.0.1:" + closedPort), Map.of())) {
                stack.origin.onPrefix("/ok/", r -> Reply.ok("ok").withHeader("Cache-Control", "max-age=60"));
                for (int i = 0; i < 4; i++) {
                    ContentResponse r = get(stack, "img.example.test", "/broken/" + i);
                    assertThat(r.getStatus()).isIn(502, 503);
                    // one site's origin is down, not the shield's network: the edge must not skip the shield for every site
                    assertThat(r.getHeaders().get("Blue-Origin-Error")).isIn("origin-unreachable", "circuit-open");
                }
                ProxyNode shield = stack.cdn.shield();
                Upstream imgOrigin = shield.cache().sites().named("img").upstreams().all().get(0);
                Upstream wwwOrigin = shield.cache().sites().named("www").upstreams().all().get(0);
                await().atMost(Duration.ofSeconds(10)).until(() -> imgOrigin.breaker().state() == CircuitBreaker.State.OPEN);
                for (int i = 0; i < 4; i++) {
                    assertThat(get(stack, "www.example.test", "/ok/" + i).getStatus()).isEqualTo(200);
                }
                assertThat(wwwOrigin.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
                assertThat(stack.origin.count()).isEqualTo(4);
                AtRest.await(stack.cdn);
            }
        }
    }

    /** A stack whose nodes serve www (the stack's origin) and img ({@code img}). */
    private static TestStack startWith(java.net.URI img, Map<String, Object> imgCaching) {
        return TestStack.startWithOrigin(www -> withSites(sites(www, img, imgCaching)));
    }
}
