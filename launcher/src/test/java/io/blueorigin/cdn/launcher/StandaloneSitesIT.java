package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.config.ConfigValues;
import io.blueorigin.cdn.edge.EdgeNode;
import io.blueorigin.cdn.origin.DemoOrigin;
import io.blueorigin.cdn.origin.OriginConfig;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.ProxyConfigs;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import io.blueorigin.cdn.shield.ShieldNode;
import io.blueorigin.cdn.testkit.TestClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code ops/examples/edge-sites.yaml} served for real, by a standalone node (no admin): the example as written,
 * with its two origins (:9001 www, :9002 img) moved to free ports and the node's ports picked free. Each
 * site's objects come from its own origin, under its own keys and query policy; a host no site claims is
 * {@code cache.site}'s (www).
 *
 * <p>As an edge this needs the proxy side to fetch a standalone edge's misses from each site's origins (the
 * edge has no shield to ask); as a shield it does so already.
 */
class StandaloneSitesIT {

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"EDGE", "SHIELD"})
    void theTwoSiteExampleServesEachSiteFromItsOwnOrigin(Role role, @TempDir Path dir) throws Exception {
        ServerConfig free = ServerConfig.ephemeral();
        try (DemoOrigin www = DemoOrigin.start(OriginConfig.defaults(free).withDelay(Duration.ZERO).withSite("www"));
                DemoOrigin img = DemoOrigin.start(OriginConfig.defaults(free).withDelay(Duration.ZERO).withSite("img"));
                TestClient client = new TestClient()) {
            String example = Files.readString(Path.of("..", "ops", "examples", "edge-sites.yaml"))
                    .replace("http://127.0.0.1:9001", www.uri().toString())
                    .replace("http://127.0.0.1:9002", img.uri().toString());
            assertThat(example).doesNotContain(":9001").doesNotContain(":9002");
            Path file = Files.writeString(dir.resolve("sites.yaml"), example);
            Map<String, String> flags = Map.of("server.host", "127.0.0.1", "server.port", "0", "management.port", "0");
            ProxyConfig config = ProxyConfigs.proxy(ConfigValues.load(role, Optional.of(file), flags, Map.of(), Map.of()));
            assertThat(config.sites().size()).isEqualTo(2);

            try (ProxyNode node = role == Role.EDGE ? EdgeNode.start(config) : ShieldNode.start(config)) {
                ContentResponse first = get(client, node, "www.example.com", "/item/1");
                assertThat(first.getStatus()).isEqualTo(200);
                assertThat(first.getContentAsString()).contains("\"site\":\"www\"");
                ContentResponse image = get(client, node, "a.img.example.com", "/item/1");
                assertThat(image.getStatus()).isEqualTo(200);
                assertThat(image.getContentAsString()).as("site img's object comes from img's origin")
                        .contains("\"site\":\"img\"");
                assertThat(image.getHeaders().get("X-Cache")).as("cached apart from www's /item/1").isEqualTo("MISS");
                assertThat(www.stats().count("/item/1")).isEqualTo(1);
                assertThat(img.stats().count("/item/1")).isEqualTo(1);

                ContentResponse unclaimed = get(client, node, "127.0.0.1:" + node.uri().getPort(), "/item/1");
                assertThat(unclaimed.getContentAsString()).as("cache.site: www").contains("\"site\":\"www\"");
                assertThat(unclaimed.getHeaders().get("X-Cache")).as("www's key: site + path").isEqualTo("HIT");
                assertThat(get(client, node, "example.com", "/item/1").getHeaders().get("X-Cache")).isEqualTo("HIT");

                // img keeps only w and h of the query: one object for ?w=1&x=2 and ?x=3&w=1
                assertThat(get(client, node, "img.example.com", "/item/2?w=1&x=2").getHeaders().get("X-Cache")).isEqualTo("MISS");
                assertThat(get(client, node, "img.example.com", "/item/2?x=3&w=1").getHeaders().get("X-Cache")).isEqualTo("HIT");
                assertThat(img.stats().count("/item/2")).isEqualTo(1);

                // www's origin is sent the Host its definition names
                ContentResponse echo = get(client, node, "example.com", "/echo/host");
                assertThat(echo.getContentAsString()).contains("\"www.example.com\"");
                assertThat(www.stats().count("/echo/host")).isEqualTo(1);
            }
        }
    }

    private static ContentResponse get(TestClient client, ProxyNode node, String host, String pathAndQuery) {
        return TestClient.send(client.request(URI.create(node.uri() + pathAndQuery)).headers(h -> h.put("Host", host)));
    }
}
