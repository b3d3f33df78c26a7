package io.blueorigin.cdn.it.shield;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.it.shield.Concurrent.StreamedGet;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestCluster;
import io.blueorigin.cdn.testkit.TestOrigin;
import io.blueorigin.cdn.testkit.TestStack;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request collapsing end to end: edges nyc and lhr over shields iad and ord (a ring), each node with a
 * disk tier, in front of a real origin. Whatever the number of clients, the origin sees one request per
 * object; followers read the body as it streams in; a leader that goes away does not hurt them.
 */
class CollapsingIT {
    @TempDir
    static Path data;

    private static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.start(c -> c.edges("nyc", "lhr").shields("iad", "ord")
                .edgeConfig(CollapsingIT::withDisk).shieldConfig(CollapsingIT::withDisk));
    }

    private static ProxyConfig withDisk(ProxyConfig c) {
        Path dir = data.resolve(c.identity().name());
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return c.withCache(c.cache().withStorage(c.cache().storage().withDisk(dir, 512L << 20)));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** No fetch outlives its requests: every node's in-flight map drains and nobody is left waiting. */
    @AfterEach
    void nothingLeftInFlight() {
        List<ProxyNode> nodes = new ArrayList<>(stack.cdn.edges());
        nodes.addAll(stack.cdn.shields());
        for (ProxyNode node : nodes) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(node.collapsing().inFlight()).as(node.identity().name() + " in flight").isZero();
                assertThat(node.collapsing().waiting()).as(node.identity().name() + " waiting").isZero();
            });
        }
    }

    private static URI at(String pop, String path) {
        return URI.create(stack.cdn.edge(pop).uri() + path);
    }

    @Test
    void twoHundredConcurrentFirstRequestsOverTwoEdgesReachTheOriginOnce() {
        for (String key : List.of("a", "b", "c", "d")) {
            String path = "/herd/" + key;
            stack.origin.on(path, Reply.ok("object " + key).withHeader("Cache-Control", "max-age=60")
                    .withDelay(Duration.ofMillis(300)));
            List<URI> uris = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                uris.add(at(i % 2 == 0 ? "nyc" : "lhr", path));
            }
            List<ContentResponse> responses = Concurrent.getAll(stack.client, uris);

            assertThat(responses).allSatisfy(r -> {
                assertThat(r.getStatus()).isEqualTo(200);
                assertThat(r.getContentAsString()).isEqualTo("object " + key);
            });
            assertThat(stack.origin.count(path)).as("origin requests for " + path + " from 200 clients").isEqualTo(1);
            assertThat(responses).as("followers say so in Cache-Status")
                    .anySatisfy(r -> assertThat(r.getHeaders().get("Cache-Status")).contains("collapsed"));
        }
    }

    @Test
    void aHundredMebibyteObjectForTwentyClientsAtOnceIsFetchedOnceAndArrivesIntact() {
        byte[] big = new byte[100 << 20];
        new Random(5).nextBytes(big);
        String expected = Concurrent.sha256(big);
        stack.origin.on("/big/100m", Reply.ok("").withBody(big).withHeader("Cache-Control", "max-age=600")
                .withHeader("Content-Type", "application/octet-stream"));
        big = null; // the origin holds its own copy

        List<StreamedGet> gets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            gets.add(new StreamedGet(stack.client, at(i % 2 == 0 ? "nyc" : "lhr", "/big/100m")));
        }
        for (StreamedGet get : gets) {
            assertThat(get.status.join()).isEqualTo(200);
            assertThat(get.sha256.join()).isEqualTo(expected);
            assertThat(get.received.get()).isEqualTo(100L << 20);
        }
        assertThat(stack.origin.count("/big/100m")).isEqualTo(1);
    }

    @Test
    void followersReadTheBodyAsItStreamsInNotAfterTheDownload() {
        CompletableFuture<Void> rest = new CompletableFuture<>();
        byte[] body = pattern(2 << 20);
        stack.origin.on("/rww", Reply.ok("").withBody(body).withHeader("Cache-Control", "max-age=60").pausedMidBodyUntil(rest));
        StreamedGet leader = new StreamedGet(stack.client, at("nyc", "/rww"));
        await().atMost(Duration.ofSeconds(10)).until(() -> leader.received.get() > 0);

        List<StreamedGet> followers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            followers.add(new StreamedGet(stack.client, at(i % 2 == 0 ? "nyc" : "lhr", "/rww")));
        }
        // the origin has sent half and waits: whatever the followers hold now was streamed to them mid-download
        for (StreamedGet f : followers) {
            await().atMost(Duration.ofSeconds(10)).until(() -> f.received.get() >= body.length / 4);
            assertThat(f.sha256).isNotDone();
        }
        rest.complete(null);
        String expected = Concurrent.sha256(body);
        assertThat(leader.sha256.join()).isEqualTo(expected);
        for (StreamedGet f : followers) {
            assertThat(f.sha256.join()).isEqualTo(expected);
        }
        assertThat(stack.origin.count("/rww")).isEqualTo(1);
    }

    @Test
    void aLeaderThatDisconnectsDoesNotCancelTheFetchForItsFollowers() {
        CompletableFuture<Void> rest = new CompletableFuture<>();
        byte[] body = pattern(1 << 20);
        stack.origin.on("/leader-leaves", Reply.ok("").withBody(body).withHeader("Cache-Control", "max-age=60")
                .pausedMidBodyUntil(rest));
        StreamedGet leader = new StreamedGet(stack.client, at("nyc", "/leader-leaves"));
        await().atMost(Duration.ofSeconds(10)).until(() -> leader.received.get() > 0);
        List<StreamedGet> followers = List.of(new StreamedGet(stack.client, at("nyc", "/leader-leaves")),
                new StreamedGet(stack.client, at("nyc", "/leader-leaves")));
        for (StreamedGet f : followers) {
            await().atMost(Duration.ofSeconds(10)).until(() -> f.received.get() > 0);
        }

        leader.disconnect();
        assertThat(leader.sha256).failsWithin(Duration.ofSeconds(10));
        rest.complete(null);

        String expected = Concurrent.sha256(body);
        for (StreamedGet f : followers) {
            assertThat(f.sha256.join()).isEqualTo(expected);
        }
        ContentResponse after = stack.client.get(at("nyc", "/leader-leaves"));
        assertThat(after.getHeaders().get("X-Cache")).isEqualTo("HIT");
        assertThat(after.getContent()).isEqualTo(body);
        assertThat(stack.origin.count("/leader-leaves")).isEqualTo(1);
    }

    @Test
    void aLeaderAloneThatDisconnectsStillCompletesTheEntryWholeNeverHalfWritten() {
        CompletableFuture<Void> rest = new CompletableFuture<>();
        byte[] body = pattern(1 << 20);
        stack.origin.on("/alone", Reply.ok("").withBody(body).withHeader("Cache-Control", "max-age=60").pausedMidBodyUntil(rest));
        StreamedGet leader = new StreamedGet(stack.client, at("lhr", "/alone"));
        await().atMost(Duration.ofSeconds(10)).until(() -> leader.received.get() > 0);
        leader.disconnect();
        assertThat(leader.sha256).failsWithin(Duration.ofSeconds(10));

        rest.complete(null);
        ContentResponse next = stack.client.get(at("lhr", "/alone"));
        assertThat(next.getStatus()).isEqualTo(200);
        assertThat(next.getContent()).as("whole, whether it joined the fetch or hit the entry").isEqualTo(body);
        assertThat(stack.client.get(at("lhr", "/alone")).getHeaders().get("X-Cache")).isEqualTo("HIT");
        assertThat(stack.origin.count("/alone")).isEqualTo(1);
    }

    @Test
    void anUncacheableAnswerReleasesTheWaitersToGoUpstreamThemselves() {
        stack.origin.on("/no-store", Reply.ok("yours").withHeader("Cache-Control", "no-store").withDelay(Duration.ofMillis(300)));
        List<URI> uris = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            uris.add(at("nyc", "/no-store"));
        }
        List<ContentResponse> responses = Concurrent.getAll(stack.client, uris);
        assertThat(responses).allSatisfy(r -> {
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(r.getContentAsString()).isEqualTo("yours");
        });
        assertThat(stack.origin.count("/no-store")).as("every client got its own answer").isEqualTo(5);
    }

    @Test
    void aKeyRememberedAsHitForMissFetchesAtOnceInsteadOfQueueing() {
        AtomicInteger arrivals = new AtomicInteger();
        CompletableFuture<Void> allArrived = new CompletableFuture<>();
        stack.origin.on("/mine", request -> {
            Reply reply = Reply.ok("private to you").withHeader("Cache-Control", "private, max-age=60");
            // the first answer is immediate; later ones wait until every one of them has reached the origin
            return arrivals.incrementAndGet() == 1 ? reply : reply.heldUntil(allArrived);
        });
        assertThat(stack.client.get(at("nyc", "/mine")).getStatus()).isEqualTo(200);

        List<CompletableFuture<ContentResponse>> pending = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pending.add(new org.eclipse.jetty.client.CompletableResponseListener(stack.client.request(at("nyc", "/mine")))
                    .send());
        }
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stack.origin.count("/mine"))
                    .as("all 10 reach the origin together: nobody queues behind a fetch it could not share")
                    .isEqualTo(11));
        } finally {
            allArrived.complete(null);
        }
        for (CompletableFuture<ContentResponse> p : pending) {
            ContentResponse r = p.join();
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(r.getHeaders().get("Cache-Status")).doesNotContain("collapsed");
        }
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >>> 11));
        }
        return b;
    }
}
