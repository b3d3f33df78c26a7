package io.blueorigin.cdn.it.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.site.SiteRateLimit.AppliesTo;
import io.blueorigin.cdn.proxy.ratelimit.RateLimitConfig;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestStack;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-client rate limits at the edge (token bucket, {@code ratelimit.*}): a burst from one address gets 429s with
 * Retry-After and a clear text, on hits as on misses, while another address is served; a forged
 * X-Forwarded-For from an untrusted peer changes nothing.
 */
class RateLimitIT {
    private static TestStack stack;

    @BeforeAll
    static void start() {
        stack = TestStack.start(c -> c.edges("nyc").edgeConfig(p -> p.withRateLimit(
                RateLimitConfig.defaults().enabled(1, Duration.ofMinutes(1), 5, AppliesTo.ALL))));
        stack.origin.on("/rl/hot", Reply.ok("hot").withHeader("Cache-Control", "max-age=600"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void aBurstFromOneAddressIsRefusedWith429AndRetryAfterWhileAnotherAddressIsServed() throws Exception {
        URI hot = stack.edge("nyc", "/rl/hot");
        int ok = 0;
        ContentResponse refused = null;
        for (int i = 0; i < 8; i++) {
            // a forged X-Forwarded-For from an untrusted peer does not make a new client
            ContentResponse r = TestClient.send(stack.client.request(hot).headers(h -> h.put("X-Forwarded-For", "203.0.113." + 7)));
            if (r.getStatus() == 200) {
                ok++;
            } else {
                refused = r;
                assertThat(r.getStatus()).isEqualTo(429);
            }
        }
        assertThat(ok).as("the burst, then nothing for a minute").isEqualTo(5);
        assertThat(refused).isNotNull();
        assertThat(refused.getHeaders().get("Retry-After")).matches("[1-9][0-9]*");
        assertThat(Long.parseLong(refused.getHeaders().get("Retry-After"))).isBetween(1L, 60L);
        assertThat(refused.getHeaders().get("Blue-Origin-Error")).isEqualTo("rate-limited");
        assertThat(refused.getContentAsString()).startsWith("429 Too Many Requests: rate-limited: ")
                .contains("request id " + refused.getHeaders().get("X-Request-ID"));
        assertThat(stack.origin.count("/rl/hot")).as("hits count against the limit too (applies-to: all)").isEqualTo(1);

        HttpClient other = new HttpClient();
        other.setBindAddress(new InetSocketAddress("127.0.0.2", 0));
        other.start();
        try {
            ContentResponse fromOther = other.newRequest(hot).timeout(30, java.util.concurrent.TimeUnit.SECONDS).send();
            assertThat(fromOther.getStatus()).as("another address has its own bucket").isEqualTo(200);
        } finally {
            other.stop();
        }
    }
}
