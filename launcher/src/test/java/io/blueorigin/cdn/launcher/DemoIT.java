package io.blueorigin.cdn.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.testkit.TestClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo topology in-process (ephemeral ports): every edge answers through the shield and the origin. */
class DemoIT {

    @Test
    void eachEdgeFetchesThroughTheShieldFromTheOrigin(@TempDir Path dataDir) throws Exception {
        try (Demo demo = Demo.start(new Demo.Spec(dataDir, "127.0.0.1", Demo.Ports.EPHEMERAL));
                TestClient client = new TestClient()) {
            assertThat(demo.edges()).extracting(e -> e.identity().name()).containsExactly("edge-nyc", "edge-lhr");
            String token = Files.readString(dataDir.resolve("admin.token")).trim();
            assertThat(demo.admin().bootstrapToken()).contains(token);
            assertThat(demo.describe()).contains("edge-nyc").contains("shield-iad").contains("shield-ord").contains(token);

            int n = 3;
            for (ProxyNode edge : demo.edges()) {
                String path = "/item/" + n++;
                ContentResponse response = client.get(URI.create(edge.uri() + path));
                assertThat(response.getStatus()).isEqualTo(200);
                assertThat(response.getContentAsString()).contains("\"name\":\"Item " + (n - 1) + "\"");
                assertThat(response.getHeaders().get("Via")).matches("1\\.1 shield-(iad|ord), 1\\.1 " + edge.identity().name());
                assertThat(demo.origin().stats().count(path)).isEqualTo(1);
                assertThat(client.get(URI.create(edge.managementUri() + "/healthz")).getStatus()).isEqualTo(200);
            }
            String stats = client.get(URI.create(demo.origin().uri() + "/_origin/stats")).getContentAsString();
            assertThat(stats).containsPattern("1\\.1 edge-nyc, 1\\.1 shield-(iad|ord)")
                    .containsPattern("1\\.1 edge-lhr, 1\\.1 shield-(iad|ord)");
            assertThat(client.get(URI.create(demo.admin().managementUri() + "/readyz")).getStatus()).isEqualTo(200);
        }
    }

    @Test
    void aRestartOnTheSameDataDirectoryKeepsTheTokenAndTheDatabase(@TempDir Path dataDir) {
        String first;
        try (Demo demo = Demo.start(new Demo.Spec(dataDir, "127.0.0.1", Demo.Ports.EPHEMERAL))) {
            first = demo.admin().bootstrapToken().orElseThrow();
        }
        try (Demo again = Demo.start(new Demo.Spec(dataDir, "127.0.0.1", Demo.Ports.EPHEMERAL))) {
            assertThat(again.admin().bootstrapToken()).isEmpty();
            assertThat(again.describe()).contains("created on the first start");
        }
        assertThat(first).startsWith("bo_");
    }
}
