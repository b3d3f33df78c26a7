package io.blueorigin.cdn.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node restarted behind a backlog of bulk purges catches up: 50 purges of 1,000 URLs (about 5 MB of log,
 * more than fits in one long-poll answer) are read in several answers, each within the bytes the node asked
 * for, and applied before the node serves.
 */
class BacklogIT {
    @TempDir
    Path data;

    private ProxyConfig withDisk(ProxyConfig c) {
        Path dir = data.resolve(c.identity().name());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return c.withCache(c.cache().withStorage(c.cache().storage().withDisk(dir, 256L << 20)));
    }

    /** {@code {"urls": [1000 URLs of about 80 characters]}} for purge {@code n}. */
    private static String bulkPurge(int n) {
        StringBuilder body = new StringBuilder("{\"urls\": [");
        for (int i = 0; i < 1000; i++) {
            body.append(i == 0 ? "" : ", ").append("\"/backlog/").append(n).append('/').append(i).append('/')
                    .append("x".repeat(60)).append('"');
        }
        return body.append("]}").toString();
    }

    @Test
    void aNodeRestartedBehindFiftyBulkPurgesCatchesUpBeforeItServes() {
        try (TestStack s = TestStack.start(c -> c.withAdmin().edges("nyc").shields().edgeConfig(this::withDisk))) {
            ProxyNode edge = s.cdn.edge("nyc");
            await().atMost(Duration.ofSeconds(20)).until(() -> edge.control().readiness().ready());
            String purged = "/backlog/49/999/" + "x".repeat(60);
            for (String path : new String[] {purged, "/kept"}) {
                s.origin.on(path, Reply.ok("v1").withHeader("Cache-Control", "max-age=600"));
                s.client.get(s.edge("nyc", path));
                assertThat(s.client.get(s.edge("nyc", path)).getHeaders().get("X-Cache")).isEqualTo("HIT");
            }
            s.cdn.stop(edge);

            AdminApi api = new AdminApi(s.cdn.admin().uri());
            String token = s.cdn.admin().bootstrapToken().orElseThrow();
            long last = 0;
            for (int n = 0; n < 50; n++) {
                last = api.invalidate("/purge", bulkPurge(n), token);
            }

            ProxyNode restarted = s.cdn.restart(edge);
            assertThat(s.client.get(s.edge("nyc", purged)).getHeaders().get("X-Cache")).as("the first request after the restart")
                    .isEqualTo("MISS");
            assertThat(s.client.get(s.edge("nyc", "/kept")).getHeaders().get("X-Cache")).isEqualTo("HIT");
            long target = last;
            await().atMost(Duration.ofSeconds(30)).until(() -> restarted.control().local().lastApplied() == target);
            assertThat(restarted.control().readiness().ready()).isTrue();
            assertThat(restarted.control().readiness().details()).doesNotContainKey("error").doesNotContainKey("degraded");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(api.get("/invalidations/" + target, token).body().path("applied").asInt()).isEqualTo(1));
        }
    }
}
