package io.blueorigin.cdn.it.shield;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestCluster;
import io.blueorigin.cdn.testkit.TestOrigin;
import io.blueorigin.cdn.testkit.TestStack;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;

/**
 * The shield tier: edges nyc and lhr hash each key to one of shields iad and ord; Cache-Status shows the
 * path; a shield that goes away mid-load costs no client a failed request.
 */
class ShieldTierIT {
    private static final Pattern SHIELD_MEMBER = Pattern.compile("(shield-(iad|ord)); ([^,]*)");

    @Test
    void cacheStatusShowsThePathEdgeMissShieldMissThenShieldHitThenEdgeHit() {
        try (TestStack s = TestStack.start(c -> c.edges("nyc", "lhr").shields("iad", "ord"))) {
            s.origin.on("/item/1", Reply.ok("item 1").withHeader("Cache-Control", "max-age=60"));

            ContentResponse first = s.client.get(URI.create(s.cdn.edge("nyc").uri() + "/item/1"));
            String status = first.getHeaders().get("Cache-Status");
            Matcher shield = SHIELD_MEMBER.matcher(status);
            assertThat(shield.find()).as(status).isTrue();
            String shieldName = shield.group(1);
            assertThat(shield.group(3)).as("shield miss").startsWith("fwd=uri-miss");
            assertThat(status).contains("edge-nyc; fwd=uri-miss");
            assertThat(first.getHeaders().get("X-Cache")).isEqualTo("MISS");

            ContentResponse second = s.client.get(URI.create(s.cdn.edge("lhr").uri() + "/item/1"));
            assertThat(second.getHeaders().get("Cache-Status")).as("same shield, now a hit; edge lhr misses")
                    .startsWith(shieldName + "; hit").contains("edge-lhr; fwd=uri-miss");
            assertThat(second.getHeaders().get("X-Cache")).isEqualTo("MISS");

            ContentResponse third = s.client.get(URI.create(s.cdn.edge("lhr").uri() + "/item/1"));
            assertThat(third.getHeaders().get("X-Cache")).isEqualTo("HIT");
            assertThat(third.getHeaders().get("Cache-Status")).contains("edge-lhr; hit");
            assertThat(third.getContentAsString()).isEqualTo("item 1");
            assertThat(s.origin.count("/item/1")).isEqualTo(1);
        }
    }

    @Test
    void everyEdgeSendsAKeyToTheSameShieldAndKeysSpreadOverBoth() {
        try (TestStack s = TestStack.start(c -> c.edges("nyc", "lhr").shields("iad", "ord"))) {
            Map<String, Integer> perShield = new HashMap<>();
            for (int k = 0; k < 60; k++) {
                s.origin.on("/spread/" + k, Reply.ok("k" + k).withHeader("Cache-Control", "max-age=60"));
                Matcher nyc = SHIELD_MEMBER.matcher(s.client.get(URI.create(s.cdn.edge("nyc").uri() + "/spread/" + k))
                        .getHeaders().get("Cache-Status"));
                Matcher lhr = SHIELD_MEMBER.matcher(s.client.get(URI.create(s.cdn.edge("lhr").uri() + "/spread/" + k))
                        .getHeaders().get("Cache-Status"));
                assertThat(nyc.find() && lhr.find()).isTrue();
                assertThat(lhr.group(1)).isEqualTo(nyc.group(1));
                assertThat(lhr.group(3)).startsWith("hit");
                perShield.merge(nyc.group(1), 1, Integer::sum);
                assertThat(s.origin.count("/spread/" + k)).isEqualTo(1);
            }
            assertThat(perShield).containsOnlyKeys("shield-iad", "shield-ord");
            assertThat(perShield.values()).allSatisfy(n -> assertThat(n).isBetween(12, 48));
        }
    }

    @Test
    void killingOneShieldMidLoadFailsNoRequestCachedKeysStayHitsTheRestGoToTheOtherShield() {
        try (TestStack s = TestStack.start(c -> c.edges("nyc", "lhr").shields("iad", "ord"))) {
            List<String> edges = List.of(s.cdn.edge("nyc").uri().toString(), s.cdn.edge("lhr").uri().toString());
            for (int k = 0; k < 40; k++) {
                s.origin.on("/warm/" + k, Reply.ok("warm " + k).withHeader("Cache-Control", "max-age=600"));
                for (String edge : edges) {
                    assertThat(s.client.get(URI.create(edge + "/warm/" + k)).getStatus()).isEqualTo(200);
                }
            }
            for (int k = 0; k < 400; k++) {
                s.origin.on("/cold/" + k, Reply.ok("cold " + k).withHeader("Cache-Control", "max-age=600"));
            }
            ProxyNode victim = s.cdn.shield();
            ProxyNode survivor = s.cdn.shields().get(1);

            List<String> failures = new ArrayList<>();
            int cold = 0;
            for (int round = 0; round < 10; round++) {
                List<CompletableFuture<ContentResponse>> pending = new ArrayList<>();
                List<String> expected = new ArrayList<>();
                for (int k = 0; k < 40; k++) {
                    pending.add(send(s.client, edges.get(k % 2) + "/warm/" + k));
                    expected.add("warm " + k);
                }
                for (int i = 0; i < 40; i++, cold++) {
                    pending.add(send(s.client, edges.get(i % 2) + "/cold/" + cold));
                    expected.add("cold " + cold);
                }
                if (round == 3) {
                    s.cdn.stop(victim); // mid-load: this round's requests are in flight
                }
                for (int i = 0; i < pending.size(); i++) {
                    try {
                        ContentResponse r = pending.get(i).get(30, TimeUnit.SECONDS);
                        if (r.getStatus() != 200 || !r.getContentAsString().equals(expected.get(i))) {
                            failures.add(expected.get(i) + " -> " + r.getStatus() + " " + r.getContentAsString());
                        }
                    } catch (Exception e) {
                        failures.add(expected.get(i) + " -> " + e);
                    }
                }
            }
            assertThat(failures).isEmpty();
            for (int k = 0; k < 40; k++) {
                assertThat(s.origin.count("/warm/" + k)).as("cached keys never went back to the origin").isEqualTo(1);
            }
            for (int k = 0; k < cold; k++) {
                assertThat(s.origin.count("/cold/" + k)).isEqualTo(1);
            }
            // after the stop, every cold key went through the survivor
            ContentResponse late = s.client.get(URI.create(edges.get(0) + "/cold/399"));
            assertThat(late.getHeaders().get("Cache-Status")).contains(survivor.identity().name());
        }
    }

    @Test
    void withEveryShieldDownEdgesGoToTheOriginIfConfiguredElseAnswerAClear502() {
        try (TestOrigin origin = TestOrigin.start();
                TestCluster withFallback = TestCluster.builder(origin.uri()).edges("nyc").shields("iad", "ord")
                        .originFallback().start();
                TestCluster without = TestCluster.builder(origin.uri()).edges("lhr").shields("iad", "ord").start();
                TestClient client = new TestClient()) {
            origin.on("/direct", Reply.ok("from the origin").withHeader("Cache-Control", "max-age=60"));
            for (TestCluster cdn : List.of(withFallback, without)) {
                for (ProxyNode shield : List.copyOf(cdn.shields())) {
                    cdn.stop(shield);
                }
            }
            ContentResponse direct = client.get(URI.create(withFallback.edge("nyc").uri() + "/direct"));
            assertThat(direct.getStatus()).isEqualTo(200);
            assertThat(direct.getContentAsString()).isEqualTo("from the origin");
            assertThat(direct.getHeaders().get("Cache-Status")).startsWith("edge-nyc;").doesNotContain("shield-");

            ContentResponse refused = client.get(URI.create(without.edge("lhr").uri() + "/direct"));
            assertThat(refused.getStatus()).isEqualTo(502);
            assertThat(refused.getContentAsString()).contains("edge-lhr could not get a response from its upstream")
                    .contains("upstream-unreachable").doesNotContain("127.0.0.1").doesNotContain("Exception");
            assertThat(refused.getHeaders().get("Blue-Origin-Error")).isEqualTo("upstream-unreachable");
        }
    }

    private static CompletableFuture<ContentResponse> send(TestClient client, String uri) {
        return new CompletableResponseListener(client.request(URI.create(uri))).send();
    }
}
