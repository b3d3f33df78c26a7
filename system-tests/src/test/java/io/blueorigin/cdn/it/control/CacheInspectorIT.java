package io.blueorigin.cdn.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestStack;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache inspector ({@code GET /cache/inspect} on the management port, docs/cache-inspector.md) and lifting a ban
 * ({@code DELETE /api/v1/bans/{id}}, docs/control-plane.md), end to end: admin on a real PostgreSQL, shield iad and
 * edge nyc with a disk store, both following admin's log.
 */
class CacheInspectorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path data;
    private static TestStack s;
    private static AdminApi api;
    private static String adminToken;

    @BeforeAll
    static void start() {
        s = TestStack.start(c -> c.withAdmin().edges("nyc").shields("iad").edgeConfig(CacheInspectorIT::withDisk));
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
        return List.of(s.cdn.edge("nyc"), s.cdn.shield());
    }

    private static ContentResponse inspectRaw(ProxyNode node, String query) {
        return s.client.get(URI.create(node.managementUri() + "/cache/inspect?" + query));
    }

    private static JsonNode inspect(ProxyNode node, String url) throws Exception {
        ContentResponse r = inspectRaw(node, "url=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        return JSON.readTree(r.getContentAsString());
    }

    private static String xCache(String path) {
        return s.client.get(s.edge("nyc", path)).getHeaders().get("X-Cache");
    }

    @Test
    void anObjectStoredThroughTheEdgeIsShownOnTheEdgeAndTheShieldWithoutItsBody() throws Exception {
        s.origin.on("/inspect/item/1", Reply.ok("the secret body of item 1").withHeader("Cache-Control", "max-age=600")
                .withHeader("ETag", "\"v7\"").withHeader("Last-Modified", "Tue, 01 Dec 2026 10:00:00 GMT")
                .withHeader("Content-Type", "text/plain").withHeader("Surrogate-Key", "item-1 items"));
        s.client.get(s.edge("nyc", "/inspect/item/1"));
        assertThat(xCache("/inspect/item/1")).isEqualTo("HIT");

        for (ProxyNode node : nodes()) {
            String label = node.identity().name();
            ContentResponse raw = inspectRaw(node, "url=" + URLEncoder.encode("/inspect/item/1", StandardCharsets.UTF_8));
            assertThat(raw.getContentAsString()).as(label).doesNotContain("secret body");
            JsonNode r = JSON.readTree(raw.getContentAsString());
            assertThat(r.path("node").asText()).isEqualTo(label);
            assertThat(r.path("site").asText()).as(label).isEqualTo("default");
            assertThat(r.path("key").asText()).as(label).isEqualTo(node.cache().keyOf("/inspect/item/1"));
            assertThat(r.path("variantCount").asInt()).as(r.toString()).isEqualTo(1);
            JsonNode v = r.path("variants").get(0);
            assertThat(v.path("status").asInt()).isEqualTo(200);
            assertThat(v.path("fresh").asBoolean()).isTrue();
            assertThat(v.path("stale").asBoolean()).isFalse();
            assertThat(v.path("ttlSeconds").asLong()).as(v.toString()).isBetween(1L, 600L);
            assertThat(v.path("ageSeconds").asLong()).isBetween(0L, 600L);
            assertThat(v.path("size").asLong()).isEqualTo("the secret body of item 1".length());
            assertThat(v.path("contentType").asText()).startsWith("text/plain");
            assertThat(v.path("etag").asText()).isEqualTo("\"v7\"");
            assertThat(v.path("lastModified").asText()).isEqualTo("2026-12-01T10:00:00Z");
            assertThat(JSON.convertValue(v.path("tags"), List.class)).as(label).containsExactly("item-1", "items");
            assertThat(v.path("banned").asBoolean()).isFalse();
            assertThat(v.path("bans").size()).isZero();
        }
        JsonNode edge = inspect(s.cdn.edge("nyc"), "/inspect/item/1").path("variants").get(0);
        assertThat(JSON.convertValue(edge.path("tiers"), List.class)).as("a small object on a node with a disk store: both tiers")
                .containsExactly("heap", "disk");
        // an absolute URL of a host no site claims maps to the default site, as a request for it would
        assertThat(inspect(s.cdn.edge("nyc"), "http://any.example/inspect/item/1").path("variantCount").asInt()).isEqualTo(1);
    }

    @Test
    void theInspectorCountsNoHitAndPromotesNothing() throws Exception {
        ProxyNode edge = s.cdn.edge("nyc");
        long hits = edge.cache().store().stats().get(0).hits();
        inspect(edge, "/inspect/nothing-here");
        inspect(edge, "/inspect/item/1");
        assertThat(edge.cache().store().stats().get(0).hits()).isEqualTo(hits);
    }

    @Test
    void aUrlNothingIsStoredUnderHasNoVariants() throws Exception {
        JsonNode r = inspect(s.cdn.edge("nyc"), "/inspect/never/fetched?a=1");
        assertThat(r.path("site").asText()).isEqualTo("default");
        assertThat(r.path("key").asText()).isEqualTo(s.cdn.edge("nyc").cache().keyOf("/inspect/never/fetched?a=1"));
        assertThat(r.path("variantCount").asInt()).isZero();
        assertThat(r.path("variants").size()).isZero();
        assertThat(r.path("explanation").asText()).contains("miss");
    }

    @Test
    void badInputIsA400WithAMessage() throws Exception {
        ProxyNode edge = s.cdn.edge("nyc");
        for (String query : List.of("", "url=", "url=item/1", "url=ftp%3A%2F%2Fh%2Fx", "url=%2Fa%2F..%252e%252e%2Fb%25zz",
                "url=%2Fx&host=bad%20host", "url=%2F" + "a".repeat(4200))) {
            ContentResponse r = inspectRaw(edge, query);
            assertThat(r.getStatus()).as(query + " -> " + r.getContentAsString()).isEqualTo(400);
            assertThat(JSON.readTree(r.getContentAsString()).path("error").asText()).as(query).isNotBlank();
        }
        ContentResponse post = s.client.jetty().POST(edge.managementUri() + "/cache/inspect?url=/x").send();
        assertThat(post.getStatus()).as("read-only").isEqualTo(405);
    }
}
