package io.blueorigin.cdn.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.proxy.control.TierKeys;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestStack;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane end to end on a real PostgreSQL: admin, shield iad and edges nyc and lhr (with disk
 * stores), every node following admin's invalidation log. Each test warms its own URLs on both edges,
 * invalidates through the admin API (or PURGE), and checks what both edges serve next and what reached
 * the origin: a refill must come from the origin, never from a stale shield copy.
 */
class InvalidationIT {
    @TempDir
    static Path data;
    private static TestStack s;
    private static AdminApi api;
    private static String adminToken;

    @BeforeAll
    static void start() {
        s = TestStack.start(c -> c.withAdmin().edges("nyc", "lhr").shields("iad").edgeConfig(InvalidationIT::withDisk)
                .shieldConfig(c2 -> c2.withControl(c2.control().withWaits(Duration.ofSeconds(25), Duration.ofMillis(500),
                        Duration.ofSeconds(30)))));
        api = new AdminApi(s.cdn.admin().uri());
        adminToken = s.cdn.admin().bootstrapToken().orElseThrow();
        for (ProxyNode node : nodes()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> node.control().readiness().ready());
        }
    }

    private static ProxyConfig withDisk(ProxyConfig c) {
        return io.blueorigin.cdn.testkit.NodeDisks.withDisk(c, data);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private static List<ProxyNode> nodes() {
        return List.of(s.cdn.edge("nyc"), s.cdn.edge("lhr"), s.cdn.shield());
    }

    private static String xCache(String pop, String path) {
        return s.client.get(s.edge(pop, path)).getHeaders().get("X-Cache");
    }

    /** Scripts {@code paths} at the origin (cacheable, with an ETag and tags) and makes them hits on both edges. */
    private static void warm(String surrogateKeys, String... paths) {
        for (String path : paths) {
            s.origin.on(path.contains("?") ? path.substring(0, path.indexOf('?')) : path, Reply.ok("body of " + path)
                    .withHeader("Cache-Control", "max-age=600").withHeader("ETag", "\"v1\"")
                    .withHeader("Surrogate-Key", surrogateKeys));
            for (String pop : List.of("nyc", "lhr")) {
                s.client.get(s.edge(pop, path));
                assertThat(xCache(pop, path)).as(pop + path).isEqualTo("HIT");
            }
        }
    }

    /** Both edges stop answering {@code path} from cache, and the refill reaches the origin. */
    private static void goneEverywhere(String path) {
        String originPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        int before = s.origin.count(originPath);
        for (String pop : List.of("nyc", "lhr")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !"HIT".equals(xCache(pop, path)));
        }
        assertThat(s.origin.count(originPath)).as("refilled from the origin, not from a stale shield copy").isGreaterThan(before);
    }

    private static JsonNode statusOnceAppliedEverywhere(long id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            last[0] = api.get("/invalidations/" + id, adminToken).body();
            assertThat(last[0].path("applied").asInt()).as(last[0].toString()).isEqualTo(3);
        });
        return last[0];
    }

    @Test
    void aUrlPurgeReachesEveryNodeAndIsAcknowledgedWithTheObjectsAffected() {
        warm("", "/purge/1", "/purge/2");
        long id = api.invalidate("/purge", "{\"urls\": [\"/purge/1\"]}", adminToken);
        goneEverywhere("/purge/1");
        assertThat(xCache("nyc", "/purge/2")).isEqualTo("HIT");
        JsonNode status = statusOnceAppliedEverywhere(id);
        assertThat(status.path("pending").asInt()).isZero();
        for (JsonNode node : status.path("nodes")) {
            assertThat(node.path("status").asText()).isEqualTo("applied");
            assertThat(node.path("objectsAffected").asInt()).as(node.toString()).isEqualTo(1);
        }
    }

    @Test
    void aSoftPurgeMakesTheNextRequestRevalidateWithTheOrigin() {
        warm("", "/soft/1");
        api.invalidate("/purge", "{\"urls\": [\"/soft/1\"], \"soft\": true}", adminToken);
        await().atMost(Duration.ofSeconds(10)).until(() -> !"HIT".equals(xCache("nyc", "/soft/1")));
        assertThat(s.origin.last("/soft/1").orElseThrow().header("If-None-Match")).as("revalidated, not refetched blind")
                .contains("\"v1\"");
    }

    @Test
    void aTagPurgeRemovesEveryObjectCarryingTheTag() {
        warm("item-7 items", "/tags/7");
        warm("item-8 items", "/tags/8");
        warm("other", "/tags/other");
        api.invalidate("/purge/tags", "{\"tags\": [\"items\"]}", adminToken);
        goneEverywhere("/tags/7");
        goneEverywhere("/tags/8");
        assertThat(xCache("lhr", "/tags/other")).isEqualTo("HIT");
    }

    @Test
    void prefixAndRegexBansInvalidateMatchingObjectsStoredBeforeThem() {
        warm("", "/bans/static/a.css", "/bans/static/b.js", "/bans/page", "/bans/x.css?v=1");
        api.invalidate("/bans", "{\"kind\": \"prefix\", \"pattern\": \"/bans/static/\", \"ttlSeconds\": 600}", adminToken);
        goneEverywhere("/bans/static/a.css");
        goneEverywhere("/bans/static/b.js");
        assertThat(xCache("nyc", "/bans/page")).isEqualTo("HIT");
        assertThat(xCache("nyc", "/bans/static/a.css")).as("refilled after the ban: cached again").isEqualTo("HIT");

        api.invalidate("/bans", "{\"kind\": \"regex\", \"pattern\": \"^/bans/.*\\\\.css(\\\\?|$)\", \"ttlSeconds\": 600}", adminToken);
        goneEverywhere("/bans/x.css?v=1");
        assertThat(xCache("lhr", "/bans/page")).isEqualTo("HIT");
    }

    @Test
    void aHostBanMatchesTheSite() {
        warm("", "/host/1");
        long other = api.invalidate("/bans", "{\"kind\": \"host\", \"pattern\": \"www.elsewhere.example\", \"ttlSeconds\": 60}",
                adminToken);
        JsonNode status = statusOnceAppliedEverywhere(other);
        assertThat(status.path("nodes")).allSatisfy(n -> assertThat(n.path("objectsAffected").asInt()).isZero());
        assertThat(xCache("nyc", "/host/1")).isEqualTo("HIT");
        api.invalidate("/bans", "{\"kind\": \"host\", \"pattern\": \"default\", \"ttlSeconds\": 60}", adminToken);
        goneEverywhere("/host/1");
    }

    @Test
    void purgeAllHardEmptiesEveryCacheAndSoftMakesEverythingRevalidate() {
        warm("", "/all/1", "/all/2");
        api.invalidate("/purge-all", "{\"soft\": true}", adminToken);
        await().atMost(Duration.ofSeconds(10)).until(() -> !"HIT".equals(xCache("lhr", "/all/1")));
        assertThat(s.origin.last("/all/1").orElseThrow().header("If-None-Match")).contains("\"v1\"");

        warm("", "/all/3");
        api.invalidate("/purge-all", "{}", adminToken);
        goneEverywhere("/all/3");
        assertThat(s.cdn.shield().cache().store().lookup(s.cdn.shield().cache().keyOf("/all/2")).isEmpty()).isTrue();
    }

    @Test
    void purgeOnAnEdgeNeedsAPurgeTokenAndAppliesThereAtOnce() {
        warm("", "/edge-purge/1");
        URI target = s.edge("nyc", "/edge-purge/1");
        ContentResponse anonymous = TestClient.send(s.client.request(target).method("PURGE"));
        assertThat(anonymous.getStatus()).isEqualTo(401);
        assertThat(anonymous.getContentAsString()).contains("nothing was purged");
        String read = api.token("reader", "read", adminToken);
        ContentResponse reader = TestClient.send(s.client.request(target).method("PURGE")
                .headers(h -> h.put("Authorization", "Bearer " + read)));
        assertThat(reader.getStatus()).isEqualTo(403);
        assertThat(xCache("nyc", "/edge-purge/1")).as("nothing purged").isEqualTo("HIT");

        String purger = api.token("purger", "purge", adminToken);
        s.origin.on("/edge-purge/1", Reply.ok("after the purge").withHeader("Cache-Control", "max-age=600"));
        ContentResponse purged = TestClient.send(s.client.request(target).method("PURGE")
                .headers(h -> h.put("Authorization", "Bearer " + purger)));
        assertThat(purged.getStatus()).as(purged.getContentAsString()).isEqualTo(200);
        assertThat(purged.getContentAsString()).contains("\"id\"").contains("\"node\" : \"edge-nyc\"");
        // at once, before the shield may have read the entry from the log: the edge's refill makes the shield wait
        // for the purge (its ordering field names it), so it is the origin's new body, never the shield's old copy
        ContentResponse refill = s.client.get(target);
        assertThat(refill.getHeaders().get("X-Cache")).as("applied before the answer").isNotEqualTo("HIT");
        assertThat(refill.getContentAsString()).as("not refilled from the shield's unpurged copy").isEqualTo("after the purge");
        await().atMost(Duration.ofSeconds(10)).until(() -> !"HIT".equals(xCache("lhr", "/edge-purge/1")));
        assertThat(s.origin.count("/edge-purge/1")).as("one refill from the origin after the purge, shared by the shield")
                .isEqualTo(2);
        assertThat(s.client.get(s.edge("lhr", "/edge-purge/1")).getContentAsString()).isEqualTo("after the purge");
    }

    @Test
    void purgesIssuedWhileAnEdgeIsDownAreAppliedOnItsRestartBeforeItServes() {
        warm("", "/down/purged", "/down/kept");
        ProxyNode lhr = s.cdn.edge("lhr");
        s.cdn.stop(lhr);
        api.invalidate("/purge", "{\"urls\": [\"/down/purged\"]}", adminToken);
        ProxyNode restarted = s.cdn.restart(lhr);
        assertThat(xCache("lhr", "/down/purged")).as("the first request after the restart").isEqualTo("MISS");
        assertThat(xCache("lhr", "/down/kept")).as("the rest of the disk cache survived").isEqualTo("HIT");
        assertThat(restarted.control().readiness().ready()).isTrue();
    }

    @Test
    void anEdgeThatMissedMoreThanAdminRetainsDropsItsCacheOnRestart() throws Exception {
        warm("", "/gap/purged", "/gap/kept");
        ProxyNode lhr = s.cdn.edge("lhr");
        s.cdn.stop(lhr);
        long id = api.invalidate("/purge", "{\"urls\": [\"/gap/purged\"]}", adminToken);
        // what retention does after admin.invalidation-retention: the entries the edge missed are gone
        try (Connection c = s.cdn.admin().database().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE invalidation_retention SET deleted_through = " + id);
            st.executeUpdate("DELETE FROM invalidations WHERE id <= " + id + " AND kind <> 'ban'");
        }
        s.cdn.restart(lhr);
        assertThat(xCache("lhr", "/gap/purged")).isEqualTo("MISS");
        assertThat(xCache("lhr", "/gap/kept")).as("the whole cache was dropped: nothing proves it current").isEqualTo("MISS");
        assertThat(xCache("nyc", "/gap/kept")).as("nodes that missed nothing keep theirs").isEqualTo("HIT");
    }

    /** What an edge of the tier sends for {@code id}: signed with the tier key admin handed out. */
    private static String signedByAnEdge(long id) throws Exception {
        try (Connection c = s.cdn.admin().database().dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version, secret FROM tier_keys ORDER BY version LIMIT 1")) {
            rs.next();
            return TierKeys.of(rs.getInt(1), Map.of(rs.getInt(1), rs.getBytes(2))).sign(id, "edge-nyc").orElseThrow();
        }
    }

    @Test
    void aShieldHoldsAnEdgesFetchUntilItHasAppliedWhatTheEdgeHas() throws Exception {
        warm("", "/order/1");
        ProxyNode shield = s.cdn.shield();
        URI atShield = s.shield("/order/1");
        long applied = shield.control().local().lastApplied();
        String current = signedByAnEdge(applied);
        ContentResponse same = TestClient.send(s.client.request(atShield).headers(h -> h.put("Blue-Origin-Invalidation", current)));
        assertThat(same.getHeaders().get("X-Cache")).isEqualTo("HIT");
        int before = s.origin.count("/order/1");
        String aheadOfShield = signedByAnEdge(applied + 1000);
        ContentResponse ahead = TestClient.send(s.client.request(atShield).method(HttpMethod.GET)
                .headers(h -> h.put("Blue-Origin-Invalidation", aheadOfShield)));
        assertThat(ahead.getStatus()).isEqualTo(200);
        assertThat(ahead.getHeaders().get("X-Cache")).as("could not catch up: went to the origin").isEqualTo("MISS");
        assertThat(s.origin.count("/order/1")).isEqualTo(before + 1);
        assertThat(shield.control().local().waiting()).as("the held request left no waiter behind").isZero();
    }

    /**
     * Only a signed {@code Blue-Origin-Invalidation} orders: a client that forges one (any id, any form) neither
     * makes the shield hold its request nor makes it skip its cache.
     */
    @Test
    void aForgedOrderingFieldIsIgnored() throws Exception {
        warm("", "/forged/1");
        ProxyNode shield = s.cdn.shield();
        URI atShield = s.shield("/forged/1");
        long applied = shield.control().local().lastApplied();
        String signed = signedByAnEdge(applied + 1000);
        int before = s.origin.count("/forged/1");
        for (String forged : List.of(Long.toString(applied + 1000), "999999999999999999",
                signed.replace("; sig=", "; sig=A").substring(0, signed.length()),
                signed.replace(Long.toString(applied + 1000), Long.toString(applied + 2000)),
                signed.replace("node=edge-nyc", "node=edge-lhr"), signed.replace("key=1", "key=7"), "x".repeat(4_000))) {
            ContentResponse reply = TestClient.send(s.client.request(atShield).headers(h -> h.put("Blue-Origin-Invalidation", forged)));
            assertThat(reply.getHeaders().get("X-Cache")).as(forged).isEqualTo("HIT");
        }
        assertThat(s.origin.count("/forged/1")).as("the shield never skipped its cache").isEqualTo(before);
        assertThat(shield.control().local().waiting()).isZero();
    }
}
