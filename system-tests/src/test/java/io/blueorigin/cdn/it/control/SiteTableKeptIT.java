package io.blueorigin.cdn.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestOrigin;
import io.blueorigin.cdn.testkit.TestStack;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node keeps the site table beside its cache: restarted while admin is down, it serves the sites it served
 * (the right origin per host, its stored objects as hits), instead of one default site for every host.
 */
class SiteTableKeptIT {
    @TempDir
    static Path data;

    private static ProxyConfig node(ProxyConfig c) {
        // admin down at restart: serve after a short wait for it rather than control.startup-wait's default
        return io.blueorigin.cdn.testkit.NodeDisks.withDisk(c, data).withControl(c.control().withWaits(Duration.ofSeconds(1), Duration.ofMillis(200),
                Duration.ofMillis(500)));
    }

    private static ContentResponse get(TestStack s, String host, String path) {
        return TestClient.send(s.client.request(s.edge("nyc", path)).headers(h -> h.put(HttpHeader.HOST, host)));
    }

    @Test
    void aNodeRestartedWhileAdminIsDownServesTheSitesItHad() {
        try (TestOrigin img = TestOrigin.start();
                TestStack s = TestStack.start(c -> c.withAdmin().edges("nyc").shields("iad").edgeConfig(SiteTableKeptIT::node)
                        .shieldConfig(SiteTableKeptIT::node))) {
            AdminApi api = new AdminApi(s.cdn.admin().uri());
            String token = s.cdn.admin().bootstrapToken().orElseThrow();
            for (ProxyNode node : s.cdn.edges()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> node.control().readiness().ready());
            }
            s.origin.onPrefix("/", r -> Reply.ok("www " + r.path()).withHeader("Cache-Control", "max-age=300"));
            img.onPrefix("/", r -> Reply.ok("img " + r.path()).withHeader("Cache-Control", "max-age=300"));
            AdminApi.Answer www = api.put("/sites/www", "{\"hosts\": [\"www.example.test\"], \"origins\": [{\"url\": \""
                    + s.origin.uri() + "\"}]}", token);
            AdminApi.Answer put = api.put("/sites/img", "{\"hosts\": [\"img.example.test\"], \"origins\": [{\"url\": \""
                    + img.uri() + "\"}]}", token);
            assertThat(www.status()).isEqualTo(201);
            assertThat(put.status()).isEqualTo(201);
            long version = put.body().path("version").asLong();
            ProxyNode edge = s.cdn.edge("nyc");
            await().atMost(Duration.ofSeconds(10)).until(() -> edge.cache().sites().table().version() >= version
                    && s.cdn.shield().cache().sites().table().version() >= version);
            assertThat(get(s, "img.example.test", "/kept/1").getContentAsString()).isEqualTo("img /kept/1");

            s.cdn.admin().close();
            ProxyNode restarted = s.cdn.restart(edge);
            assertThat(restarted.cache().sites().table().version()).isEqualTo(version);
            ContentResponse hit = get(s, "img.example.test", "/kept/1");
            assertThat(hit.getContentAsString()).isEqualTo("img /kept/1");
            assertThat(hit.getHeaders().get("X-Cache")).isEqualTo("HIT");
            assertThat(get(s, "img.example.test", "/kept/2").getContentAsString()).isEqualTo("img /kept/2");
            assertThat(get(s, "www.example.test", "/kept/2").getContentAsString()).isEqualTo("www /kept/2");
            assertThat(get(s, "other.example.test", "/kept/2").getStatus()).isEqualTo(421);
        }
    }
}
