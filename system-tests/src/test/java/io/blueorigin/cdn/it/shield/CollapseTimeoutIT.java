package io.blueorigin.cdn.it.shield;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestClock;
import io.blueorigin.cdn.testkit.TestCluster;
import io.blueorigin.cdn.testkit.TestOrigin;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A follower's wait is bounded by {@code cache.collapse-timeout} (here 300 ms): then it gets a clear 504,
 * or the stale response it has. The leader is unaffected.
 */
class CollapseTimeoutIT {
    private static final TestClock clock = new TestClock();
    private static TestOrigin origin;
    private static TestCluster cdn;
    private static TestClient client;

    @BeforeAll
    static void start() {
        origin = TestOrigin.start(clock);
        cdn = TestCluster.builder(origin.uri()).edges("nyc").shields().clock(clock)
                .edgeConfig(c -> c.withCache(c.cache().withCollapseTimeout(Duration.ofMillis(300)))).start();
        client = new TestClient();
    }

    @AfterAll
    static void stop() {
        client.close();
        cdn.close();
        origin.close();
    }

    private static URI edge(String path) {
        return URI.create(cdn.edge("nyc").uri() + path);
    }

    @Test
    void aFollowerThatWaitsTooLongGetsA504NamingTheSettingAndTheLeaderItsResponse() {
        CompletableFuture<Void> release = new CompletableFuture<>();
        origin.on("/slow", Reply.ok("at last").withHeader("Cache-Control", "max-age=60").heldUntil(release));
        CompletableFuture<ContentResponse> leader = new CompletableResponseListener(client.request(edge("/slow"))).send();
        org.awaitility.Awaitility.await().until(() -> origin.count("/slow") == 1);

        ContentResponse follower = client.get(edge("/slow"));
        assertThat(follower.getStatus()).isEqualTo(504);
        assertThat(follower.getContentAsString()).contains("cache.collapse-timeout").contains("edge-nyc");
        assertThat(follower.getHeaders().get("Cache-Status")).contains("collapsed");

        release.complete(null);
        ContentResponse led = leader.join();
        assertThat(led.getStatus()).isEqualTo(200);
        assertThat(led.getContentAsString()).isEqualTo("at last");
        assertThat(origin.count("/slow")).isEqualTo(1);
    }

    @Test
    void aFollowerWithAStaleResponseGetsItInsteadOfA504() {
        CompletableFuture<Void> release = new CompletableFuture<>();
        origin.onSequence("/stale", Reply.ok("old").withHeader("Cache-Control", "max-age=1"),
                Reply.ok("new").withHeader("Cache-Control", "max-age=60").heldUntil(release));
        assertThat(client.get(edge("/stale")).getContentAsString()).isEqualTo("old");
        clock.advance(Duration.ofSeconds(5));

        CompletableFuture<ContentResponse> leader = new CompletableResponseListener(client.request(edge("/stale"))).send();
        org.awaitility.Awaitility.await().until(() -> origin.count("/stale") == 2);
        ContentResponse follower = client.get(edge("/stale"));
        assertThat(follower.getStatus()).isEqualTo(200);
        assertThat(follower.getContentAsString()).isEqualTo("old");
        assertThat(follower.getHeaders().get("X-Cache")).isEqualTo("STALE");

        release.complete(null);
        assertThat(leader.join().getContentAsString()).isEqualTo("new");
        assertThat(client.get(edge("/stale")).getContentAsString()).isEqualTo("new");
    }
}
