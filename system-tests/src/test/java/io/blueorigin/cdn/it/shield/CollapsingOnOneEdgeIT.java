package io.blueorigin.cdn.it.shield;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestClock;
import io.blueorigin.cdn.testkit.TestCluster;
import io.blueorigin.cdn.testkit.TestOrigin;
import io.blueorigin.cdn.testkit.TestStack;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Collapsing where time matters, on one edge in front of the origin with a test clock: a follower's wait
 * is bounded by {@code cache.collapse-timeout} (here 300 ms), after which it gets a clear 504 or the stale
 * response it has, the leader unaffected; revalidations of an expired object collapse like misses.
 */
class CollapsingOnOneEdgeIT {
    private static final TestClock clock = new TestClock();

    private static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.start(clock, c -> c.edges("nyc").shields()
                .edgeConfig(e -> e.withCache(e.cache().withCollapseTimeout(Duration.ofMillis(300)))));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static URI edge(String path) {
        return URI.create(stack.cdn.edge("nyc").uri() + path);
    }

    @Test
    void aFollowerThatWaitsTooLongGetsA504NamingTheSettingAndTheLeaderItsResponse() {
        CompletableFuture<Void> release = new CompletableFuture<>();
        stack.origin.on("/slow", Reply.ok("at last").withHeader("Cache-Control", "max-age=60").heldUntil(release));
        CompletableFuture<ContentResponse> leader = new CompletableResponseListener(stack.client.request(edge("/slow"))).send();
        org.awaitility.Awaitility.await().until(() -> stack.origin.count("/slow") == 1);

        ContentResponse follower = stack.client.get(edge("/slow"));
        assertThat(follower.getStatus()).isEqualTo(504);
        assertThat(follower.getContentAsString()).contains("cache.collapse-timeout").contains("edge-nyc");
        assertThat(follower.getHeaders().get("Cache-Status")).contains("collapsed");

        release.complete(null);
        ContentResponse led = leader.join();
        assertThat(led.getStatus()).isEqualTo(200);
        assertThat(led.getContentAsString()).isEqualTo("at last");
        assertThat(stack.origin.count("/slow")).isEqualTo(1);
    }

    @Test
    void concurrentRevalidationsOfAnExpiredObjectShareOneConditionalRequest() {
        stack.origin.on("/reval", request -> request.header("If-None-Match").isPresent()
                ? Reply.status(304).withHeader("ETag", "\"v1\"").withHeader("Cache-Control", "max-age=60")
                        .withDelay(Duration.ofMillis(150))
                : Reply.ok("version 1").withHeader("ETag", "\"v1\"").withHeader("Cache-Control", "max-age=1"));
        assertThat(stack.client.get(edge("/reval")).getContentAsString()).isEqualTo("version 1");
        clock.advance(Duration.ofSeconds(5));

        List<URI> uris = java.util.Collections.nCopies(50, edge("/reval"));
        List<ContentResponse> responses = Concurrent.getAll(stack.client, uris);
        assertThat(responses).allSatisfy(r -> {
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(r.getContentAsString()).isEqualTo("version 1");
        });
        assertThat(stack.origin.requests("/reval")).hasSize(2);
        assertThat(stack.origin.last("/reval").orElseThrow().header("If-None-Match")).contains("\"v1\"");
        assertThat(responses).anySatisfy(r -> assertThat(r.getHeaders().get("X-Cache")).isEqualTo("REVALIDATED"));
    }

    @Test
    void aFollowerWithAStaleResponseGetsItInsteadOfA504() {
        CompletableFuture<Void> release = new CompletableFuture<>();
        stack.origin.onSequence("/stale", Reply.ok("old").withHeader("Cache-Control", "max-age=1"),
                Reply.ok("new").withHeader("Cache-Control", "max-age=60").heldUntil(release));
        assertThat(stack.client.get(edge("/stale")).getContentAsString()).isEqualTo("old");
        clock.advance(Duration.ofSeconds(5));

        CompletableFuture<ContentResponse> leader = new CompletableResponseListener(stack.client.request(edge("/stale"))).send();
        org.awaitility.Awaitility.await().until(() -> stack.origin.count("/stale") == 2);
        ContentResponse follower = stack.client.get(edge("/stale"));
        assertThat(follower.getStatus()).isEqualTo(200);
        assertThat(follower.getContentAsString()).isEqualTo("old");
        assertThat(follower.getHeaders().get("X-Cache")).isEqualTo("STALE");

        release.complete(null);
        assertThat(leader.join().getContentAsString()).isEqualTo("new");
        assertThat(stack.client.get(edge("/stale")).getContentAsString()).isEqualTo("new");
    }
}
