package io.blueorigin.cdn.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestOrigin;
import io.blueorigin.cdn.testkit.TestStack;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sites defined in admin reach every node through the invalidation log: admin, shield iad, edges nyc and lhr
 * (disk stores), a second origin for site img. Site changes and site-scoped invalidations are applied by every
 * node; a removed site's objects go everywhere and its hosts get 421.
 */
class SitesControlIT {
    @TempDir
    static Path data;
    private static TestOrigin img;
    private static TestStack s;
    private static AdminApi api;
    private static String adminToken;

    @BeforeAll
    static void start() {
        img = TestOrigin.start();
        s = TestStack.start(c -> c.withAdmin().edges("nyc", "lhr").shields("iad").edgeConfig(SitesControlIT::withDisk)
                .shieldConfig(SitesControlIT::withDisk));
        api = new AdminApi(s.cdn.admin().uri());
        adminToken = s.cdn.admin().bootstrapToken().orElseThrow();
        for (ProxyNode node : nodes()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> node.control().readiness().ready());
        }
        putSite("www", "[\"www.example.test\"]", s.origin.uri(), "");
        putSite("img", "[\"img.example.test\", \"*.img.example.test\"]", img.uri(), "");
        s.origin.onPrefix("/", r -> Reply.ok("www " + r.path()).withHeader("Cache-Control", "max-age=300"));
        img.onPrefix("/", r -> Reply.ok("img " + r.path()).withHeader("Cache-Control", "max-age=300"));
    }

    static ProxyConfig withDisk(ProxyConfig c) {
        return io.blueorigin.cdn.testkit.NodeDisks.withDisk(c, data);
    }

    @AfterAll
    static void stop() {
        s.close();
        img.close();
    }

    private static List<ProxyNode> nodes() {
        return List.of(s.cdn.edge("nyc"), s.cdn.edge("lhr"), s.cdn.shield());
    }

    /**
     * PUTs a site and waits until every node serves its version; returns microseconds from admin's 2xx until the
     * last node had applied it (as the purge bound is measured).
     */
    private static long putSite(String name, String hosts, URI origin, String extra) {
        AdminApi.Answer a = api.put("/sites/" + name, "{\"hosts\": " + hosts + ", \"origins\": [{\"url\": \"" + origin + "\"}]"
                + extra + "}", adminToken);
        long answered = System.nanoTime();
        assertThat(a.status()).as("PUT %s: %s", name, a).isIn(200, 201);
        long version = a.body().path("version").asLong();
        assertThat(version).isPositive();
        return untilEveryNode(answered, node -> node.cache().sites().table().version() >= version);
    }

    /** Spins (bounded: 10 s) until {@code done} holds for every node; microseconds since {@code since}. */
    private static long untilEveryNode(long since, java.util.function.Predicate<ProxyNode> done) {
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofNanos(200_000))
                .until(() -> nodes().stream().allMatch(done));
        return (System.nanoTime() - since) / 1000;
    }

    private static ContentResponse get(String pop, String host, String path) {
        return TestClient.send(s.client.request(s.edge(pop, path)).headers(h -> h.put(HttpHeader.HOST, host)));
    }

    private static void warm(String path) {
        for (String pop : List.of("nyc", "lhr")) {
            for (String host : List.of("www.example.test", "img.example.test")) {
                get(pop, host, path);
                assertThat(get(pop, host, path).getHeaders().get("X-Cache")).isEqualTo("HIT");
            }
        }
    }

    @Test
    void eachSiteIsServedFromItsOwnOriginOnEveryNode() {
        for (String pop : List.of("nyc", "lhr")) {
            assertThat(get(pop, "www.example.test", "/own/1").getContentAsString()).isEqualTo("www /own/1");
            assertThat(get(pop, "a.img.example.test", "/own/1").getContentAsString()).isEqualTo("img /own/1");
            // admin's table has no site named cache.site ("default"): an unclaimed host is misdirected
            assertThat(get(pop, "nobody.example.test", "/own/1").getStatus()).isEqualTo(421);
        }
        assertThat(s.origin.count("/own/1")).isEqualTo(1);
        assertThat(img.count("/own/1")).isEqualTo(1);
    }

    @Test
    void aPurgeOfOneSiteLeavesTheOtherSitesObjectHits() {
        warm("/p/1");
        warm("/p/2");
        long id = api.invalidate("/purge", "{\"urls\": [\"/p/1\"], \"site\": \"img\"}", adminToken);
        long byUrl = api.invalidate("/purge", "{\"urls\": [\"http://img.example.test/p/2\"]}", adminToken);
        for (ProxyNode node : nodes()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> node.control().local().lastApplied() >= Math.max(id, byUrl));
        }
        for (String pop : List.of("nyc", "lhr")) {
            assertThat(get(pop, "www.example.test", "/p/1").getHeaders().get("X-Cache")).isEqualTo("HIT");
            assertThat(get(pop, "www.example.test", "/p/2").getHeaders().get("X-Cache")).isEqualTo("HIT");
        }
        assertThat(get("nyc", "img.example.test", "/p/1").getHeaders().get("X-Cache")).isEqualTo("MISS");
        assertThat(get("lhr", "img.example.test", "/p/2").getHeaders().get("X-Cache")).isEqualTo("MISS");
        assertThat(img.count("/p/1")).isEqualTo(2); // refilled from the origin, not from a stale shield copy
        assertThat(s.origin.count("/p/1")).isEqualTo(1);
    }

    /**
     * Measures (prints; no timing assertion in a test) site changes beside purges in the same run: from admin's 2xx
     * until every node applied the entry. The numbers go in the closing note; the assertion is that each arrives.
     */
    @Test
    void siteChangesReachEveryNodeLikePurges() {
        List<Long> changes = new ArrayList<>();
        List<Long> purges = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            changes.add(putSite("churn", "[\"churn.example.test\"]", img.uri(), ", \"caching\": {\"edgeTtlCap\": \"" + (i + 1)
                    + "s\"}"));
            AdminApi.Answer purge = api.post("/purge", "{\"urls\": [\"/churn/" + i + "\"], \"site\": \"churn\"}", adminToken);
            long answered = System.nanoTime();
            assertThat(purge.status()).isEqualTo(202);
            long id = purge.body().path("id").asLong();
            purges.add(untilEveryNode(answered, node -> node.control().local().lastApplied() >= id));
        }
        System.out.println("site change to every node (3 nodes, 60 changes): " + percentiles(changes));
        System.out.println("purge to every node, same run (3 nodes, 60 purges): " + percentiles(purges));
        for (ProxyNode node : nodes()) {
            assertThat(node.cache().sites().table().get("churn").caching().edgeTtlCap()).isEqualTo(Duration.ofSeconds(60));
        }
        assertThat(api.delete("/sites/churn", adminToken).status()).isEqualTo(200);
    }

    private static String percentiles(List<Long> micros) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms", sorted.get(sorted.size() / 2) / 1000.0,
                sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
    }

    @Test
    void removingASitePurgesItsObjectsOnEveryNodeAndItsHostsAreMisdirected() {
        img.onPrefix("/gone/", r -> Reply.ok("gone " + r.path()).withHeader("Cache-Control", "max-age=300"));
        putSite("gone", "[\"gone.example.test\"]", img.uri(), "");
        for (String pop : List.of("nyc", "lhr")) {
            assertThat(get(pop, "gone.example.test", "/gone/1").getStatus()).isEqualTo(200);
        }
        for (ProxyNode node : nodes()) {
            assertThat(node.cache().store().primaryKeys()).contains("gone /gone/1");
        }
        AdminApi.Answer removed = api.delete("/sites/gone", adminToken);
        assertThat(removed.status()).isEqualTo(200);
        long version = removed.body().path("version").asLong();
        for (ProxyNode node : nodes()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> node.cache().sites().table().version() >= version);
            await().atMost(Duration.ofSeconds(10)).until(() -> node.cache().store().primaryKeys().stream()
                    .noneMatch(k -> k.startsWith("gone ")));
        }
        assertThat(get("nyc", "gone.example.test", "/gone/1").getStatus()).isEqualTo(421);
    }
}
