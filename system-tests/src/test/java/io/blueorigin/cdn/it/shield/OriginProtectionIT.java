package io.blueorigin.cdn.it.shield;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.proxy.upstream.CircuitBreaker;
import io.blueorigin.cdn.proxy.upstream.Upstream;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestClock;
import io.blueorigin.cdn.testkit.TestCluster;
import io.blueorigin.cdn.testkit.TestOrigin;
import io.blueorigin.cdn.testkit.TestStack;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Origin protection at the shield: at most 2 origin requests at a time and 3 queued (the rest get stale or
 * a fast 503 with Retry-After, and the shield's state stays bounded), and a circuit breaker that opens
 * after 3 consecutive failures for 10 s, then lets one probe through.
 */
class OriginProtectionIT {
    private static final TestClock clock = new TestClock();

    private static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.start(clock, c -> c.edges("nyc").shields("iad")
                .shieldConfig(s -> s.withUpstream(s.upstream().withProtection(2, 3, 3, Duration.ofSeconds(10)))));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static ProxyNode shield() {
        return stack.cdn.shield();
    }

    private static URI atShield(String path) {
        return URI.create(shield().uri() + path);
    }

    private static Upstream originOfShield() {
        return shield().cache().upstreams().all().get(0);
    }

    @Test
    void beyondTheConcurrencyLimitAndQueueRequestsGetAFast503AndStateStaysBounded() {
        CompletableFuture<Void> release = new CompletableFuture<>();
        stack.origin.on("/q", Reply.ok("queued answer").withHeader("Cache-Control", "max-age=60").heldUntil(release));
        stack.origin.on("/q-stale", Reply.ok("stale but fine").withHeader("Cache-Control", "max-age=1"));
        assertThat(stack.client.get(atShield("/q-stale")).getStatus()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(5));

        List<CompletableFuture<ContentResponse>> admitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            admitted.add(new CompletableResponseListener(stack.client.request(atShield("/q?i=" + i))).send());
        }
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(originOfShield().gate().inFlight()).isEqualTo(2);
                assertThat(originOfShield().gate().queued()).isEqualTo(3);
            });
            assertThat(stack.origin.count("/q")).isEqualTo(2);

            // a flood of distinct keys: each refused at once, nothing more held
            for (int round = 0; round < 10; round++) {
                List<URI> flood = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    flood.add(atShield("/q?flood=" + round + "-" + i));
                }
                for (ContentResponse r : Concurrent.getAll(stack.client, flood)) {
                    assertThat(r.getStatus()).isEqualTo(503);
                    assertThat(r.getHeaders().get("Retry-After")).isEqualTo("1");
                    assertThat(r.getHeaders().get("Blue-Origin-Error")).isEqualTo("upstream-overloaded");
                    // what happened and the request id; never where (the upstream's address) or an exception's text
                    assertThat(r.getContentAsString()).contains("upstream-overloaded").contains("shield-iad")
                            .contains("request id " + r.getHeaders().get("X-Request-ID"))
                            .doesNotContain(stack.origin.uri().toString()).doesNotContain("Exception");
                }
                assertThat(originOfShield().gate().queued()).isEqualTo(3);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(shield().collapsing().inFlight())
                        .as("only the 5 admitted fetches are in flight").isEqualTo(5));
            }
            assertThat(originOfShield().gate().rejected()).isGreaterThanOrEqualTo(1000);

            ContentResponse stale = stack.client.get(atShield("/q-stale"));
            assertThat(stale.getStatus()).as("a stale copy stands in for the refused fetch").isEqualTo(200);
            assertThat(stale.getContentAsString()).isEqualTo("stale but fine");
            assertThat(stale.getHeaders().get("X-Cache")).isEqualTo("STALE");
        } finally {
            release.complete(null);
        }
        for (CompletableFuture<ContentResponse> r : admitted) {
            assertThat(r.join().getContentAsString()).isEqualTo("queued answer");
        }
        assertThat(stack.origin.count("/q")).isEqualTo(5);
        await().atMost(Duration.ofSeconds(10)).until(() -> originOfShield().gate().inFlight() == 0);
        assertThat(shield().collapsing().inFlight()).isZero();
    }

    @Test
    void theBreakerOpensAfterTheThresholdFailsFastAndClosesAfterAProbeSucceeds() {
        AtomicBoolean failing = new AtomicBoolean(true);
        stack.origin.on("/b", r -> failing.get() ? Reply.status(503).withBody("origin is down")
                : Reply.ok("origin is back").withHeader("Cache-Control", "max-age=60"));
        stack.origin.on("/b-stale", Reply.ok("cached before the outage").withHeader("Cache-Control", "max-age=1"));
        assertThat(stack.client.get(atShield("/b-stale")).getStatus()).isEqualTo(200);

        for (int i = 1; i <= 3; i++) {
            ContentResponse r = stack.client.get(atShield("/b?i=" + i));
            assertThat(r.getStatus()).isEqualTo(503);
            assertThat(r.getContentAsString()).as("the origin's own 503, relayed").isEqualTo("origin is down");
        }
        // the verdict is recorded when the upstream exchange completes, which may be just after the client has the bytes
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(originOfShield().breaker().state()).isEqualTo(CircuitBreaker.State.OPEN));

        ContentResponse fast = stack.client.get(atShield("/b?i=4"));
        assertThat(fast.getStatus()).isEqualTo(503);
        assertThat(fast.getHeaders().get("Blue-Origin-Error")).isEqualTo("circuit-open");
        assertThat(fast.getHeaders().get("Retry-After")).isEqualTo("1");
        assertThat(fast.getHeaders().get("Cache-Status")).contains("detail=circuit-open");
        assertThat(stack.origin.count("/b")).as("an open breaker sends nothing upstream").isEqualTo(3);

        clock.advance(Duration.ofSeconds(2));
        ContentResponse stale = stack.client.get(atShield("/b-stale"));
        assertThat(stale.getContentAsString()).isEqualTo("cached before the outage");
        assertThat(stale.getHeaders().get("X-Cache")).isEqualTo("STALE");
        assertThat(stack.origin.count("/b-stale")).isEqualTo(1);

        // through the edge: the shield's fast failures are relayed, and are not held against the shield
        for (int i = 0; i < 30; i++) {
            assertThat(stack.client.get(URI.create(stack.cdn.edge("nyc").uri() + "/b?edge=" + i)).getStatus()).isEqualTo(503);
        }
        Upstream shieldOfEdge = stack.cdn.edge("nyc").cache().upstreams().all().get(0);
        assertThat(shieldOfEdge.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);

        // half-open: one probe; it fails, so the breaker opens for another period
        clock.advance(Duration.ofSeconds(10));
        assertThat(stack.client.get(atShield("/b?i=5")).getContentAsString()).isEqualTo("origin is down");
        // the verdict is recorded when the upstream exchange completes, which may be just after the client has the bytes
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(originOfShield().breaker().state()).isEqualTo(CircuitBreaker.State.OPEN));
        assertThat(stack.client.get(atShield("/b?i=6")).getHeaders().get("Blue-Origin-Error")).isEqualTo("circuit-open");

        failing.set(false);
        clock.advance(Duration.ofSeconds(10));
        assertThat(stack.client.get(atShield("/b?i=7")).getContentAsString()).as("the probe").isEqualTo("origin is back");
        // the verdict is recorded when the upstream exchange completes, which may be just after the client has the bytes
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(originOfShield().breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED));
        assertThat(stack.client.get(atShield("/b?i=8")).getStatus()).isEqualTo(200);
        assertThat(stack.origin.count("/b")).isEqualTo(6);
    }
}
