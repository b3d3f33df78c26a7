package io.blueorigin.cdn.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blueorigin.cdn.edge.EdgePolicy;
import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.Field;
import io.blueorigin.cdn.proxy.control.LocalInvalidations;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import io.blueorigin.cdn.runtime.metrics.NodeMetrics;
import io.blueorigin.cdn.storage.ObjectWriter;
import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /cache/inspect?tag=} on a real Jetty server over a real heap store: the count of keys a tag purge would
 * hit, the first {@link CacheInspector#MAX_TAG_KEYS} listed with their tagged variants, and 400s for bad input.
 */
class CacheInspectorTagTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private TieredStore store;
    private Server server;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        ProxyConfig config = ProxyConfig.of(NodeIdentity.of(Role.EDGE, "nyc"), ServerConfig.ephemeral(),
                UpstreamConfig.of(URI.create("http://127.0.0.1:9")));
        store = TieredStore.open(config.cache().storage(), "inspector-tag-test");
        ProxyCache cache = new ProxyCache(config, EdgePolicy.INSTANCE, store,
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), new ProxyMetrics(new NodeMetrics(config.identity())));
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new CacheInspector(cache, new LocalInvalidations()));
        server.start();
        client = new HttpClient();
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        server.stop();
        store.close();
    }

    private void put(String key, String varyKey, int size, String... tags) {
        CachedResponse response = new CachedResponse(200, List.of(new Field("Content-Type", "text/plain")), NOW - 1000,
                NOW - 1000, 0, 60_000, 0, 0, false, false, false, Optional.empty(), -1, -1,
                varyKey.isEmpty() ? List.of() : List.of("accept-language"), varyKey, List.of(tags), -1);
        ObjectWriter writer = store.begin(key, response, size);
        writer.write(ByteBuffer.wrap(new byte[size]));
        assertThat(writer.commit(response)).isPresent();
    }

    private ContentResponse get(String query) throws Exception {
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        return client.GET("http://127.0.0.1:" + port + CacheInspector.PATH + "?" + query);
    }

    private JsonNode tag(String tag) throws Exception {
        ContentResponse r = get("tag=" + URLEncoder.encode(tag, StandardCharsets.UTF_8));
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        return JSON.readTree(r.getContentAsString());
    }

    @Test
    void listsTheObjectsATagPurgeWouldHitWithKeyTiersAndSize() throws Exception {
        put("default /b", "", 20, "item-1", "items");
        put("default /a", "en", 10, "items");
        put("default /a", "fr", 11, "other");
        put("default /c", "", 5, "other");

        JsonNode items = tag("items");
        assertThat(items.path("node").asText()).isEqualTo("edge-nyc");
        assertThat(items.path("tag").asText()).isEqualTo("items");
        assertThat(items.path("keyCount").asInt()).isEqualTo(2);
        assertThat(items.path("truncated").asBoolean()).isFalse();
        assertThat(items.path("objectsListed").asInt()).isEqualTo(2);
        assertThat(items.path("bytesListed").asLong()).isEqualTo(30);
        JsonNode first = items.path("objects").get(0);
        assertThat(first.path("key").asText()).isEqualTo("default /a");
        assertThat(first.path("varyKey").asText()).isEqualTo("en");
        assertThat(first.path("size").asLong()).isEqualTo(10);
        assertThat(first.path("tiers").get(0).asText()).isEqualTo("heap");
        assertThat(first.path("stale").asBoolean()).isFalse();
        assertThat(items.path("objects").get(1).path("key").asText()).isEqualTo("default /b");
        assertThat(items.has("explanation")).isFalse();

        JsonNode none = tag("nothing-here");
        assertThat(none.path("keyCount").asInt()).isZero();
        assertThat(none.path("objects").size()).isZero();
        assertThat(none.path("explanation").asText()).contains("carries tag 'nothing-here'");
    }

    @Test
    void listsAtMostTheFirstHundredKeysAndCountsThemAll() throws Exception {
        for (int i = 0; i < CacheInspector.MAX_TAG_KEYS + 5; i++) {
            put(String.format("default /k%03d", i), "", 1, "bulk");
        }
        JsonNode bulk = tag("bulk");
        assertThat(bulk.path("keyCount").asInt()).isEqualTo(CacheInspector.MAX_TAG_KEYS + 5);
        assertThat(bulk.path("truncated").asBoolean()).isTrue();
        assertThat(bulk.path("objects").size()).isEqualTo(CacheInspector.MAX_TAG_KEYS);
        assertThat(bulk.path("objects").get(0).path("key").asText()).isEqualTo("default /k000");
    }

    @Test
    void badTagsAre400sThatSayWhy() throws Exception {
        assertThat(get("tag=").getContentAsString()).contains("the tag parameter is empty");
        assertThat(get("tag=").getStatus()).isEqualTo(400);
        assertThat(get("tag=a%20b").getContentAsString()).contains("space or control character");
        assertThat(get("tag=" + "x".repeat(CacheInspector.MAX_TAG_LENGTH + 1)).getContentAsString())
                .contains("at most " + CacheInspector.MAX_TAG_LENGTH);
        ContentResponse both = get("tag=a&url=/x");
        assertThat(both.getStatus()).isEqualTo(400);
        assertThat(both.getContentAsString()).contains("either tag or url");
        assertThat(get("").getContentAsString()).contains("or give tag=<surrogate key> instead");
    }
}
