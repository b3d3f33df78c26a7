package io.blueorigin.cdn.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.proxy.UpstreamConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UpstreamsTest {
    private static final URI A = URI.create("http://127.0.0.1:8082");
    private static final URI B = URI.create("http://127.0.0.1:8083");
    private static final URI ORIGIN = URI.create("http://127.0.0.1:9001");
    private final AtomicLong now = new AtomicLong(5_000_000);

    private Upstreams tier(Optional<URI> fallback) {
        UpstreamConfig config = UpstreamConfig.of(List.of(A, B), fallback).withDownTime(Duration.ofSeconds(10));
        return new Upstreams(config, now::get);
    }

    @Test
    void keysSpreadOverTheRingAndStayPut() {
        Upstreams u = tier(Optional.empty());
        int onA = 0;
        for (int k = 0; k < 1000; k++) {
            Upstream chosen = u.select("key" + k);
            assertThat(u.select("key" + k)).isSameAs(chosen);
            onA += chosen.url().equals(A) ? 1 : 0;
        }
        assertThat(onA).isBetween(300, 700);
    }

    @Test
    void aMarkedDownShieldsKeysGoToTheNextUntilItsTimeIsUp() {
        Upstreams u = tier(Optional.empty());
        String key = keyOwnedBy(u, A);
        Upstream a = u.select(key);
        u.markDown(a, "test");
        assertThat(u.select(key).url()).isEqualTo(B);
        assertThat(u.select(keyOwnedBy(u, B)).url()).as("other keys stay").isEqualTo(B);
        now.addAndGet(9_999);
        assertThat(u.select(key).url()).isEqualTo(B);
        now.addAndGet(1);
        assertThat(u.select(key)).isSameAs(a);
    }

    @Test
    void withEveryShieldDownEdgesGoToTheFallback() {
        Upstreams u = tier(Optional.of(ORIGIN));
        String key = keyOwnedBy(u, A);
        Upstream a = u.select(key);
        Upstream b = u.next(key, Set.of(a)).orElseThrow();
        assertThat(b.url()).isEqualTo(B);
        u.markDown(a, "test");
        u.markDown(b, "test");
        Upstream chosen = u.select(key);
        assertThat(chosen.url()).isEqualTo(ORIGIN);
        assertThat(chosen.isFallback()).isTrue();
        assertThat(u.next(key, Set.of(a, b, chosen))).as("nothing after the fallback").isEmpty();
        assertThat(u.next(key, Set.of(a))).as("b is marked down: the fallback").contains(chosen);
        u.markDown(chosen, "test");
        assertThat(u.isDown(chosen)).as("the fallback is never marked down").isFalse();
    }

    @Test
    void withoutAFallbackEveryShieldDownMeansTheKeysOwnShield() {
        Upstreams u = tier(Optional.empty());
        String key = keyOwnedBy(u, A);
        Upstream a = u.select(key);
        u.markDown(a, "test");
        u.markDown(u.select(key), "test");
        assertThat(u.select(key)).isSameAs(a);
        assertThat(u.next(key, Set.of(a))).isEmpty();
    }

    @Test
    void aShieldWithAnOpenBreakerIsSkipped() {
        Upstreams u = tier(Optional.empty());
        String key = keyOwnedBy(u, A);
        Upstream a = u.select(key);
        for (int i = 0; i < 20; i++) {
            a.breaker().onFailure();
        }
        assertThat(u.select(key).url()).isEqualTo(B);
    }

    @Test
    void aSingleUpstreamIsAlwaysChosenAndNeverMarkedDown() {
        Upstreams u = new Upstreams(UpstreamConfig.of(ORIGIN), now::get);
        Upstream only = u.select("k");
        u.markDown(only, "test");
        assertThat(u.isDown(only)).isFalse();
        assertThat(u.select("k")).isSameAs(only);
        assertThat(u.all()).containsExactly(only);
    }

    @Test
    void aRegistryChangeMovesAboutOneNthOfTheKeysAndKeepsTheStayingShields() {
        Upstreams u = tier(Optional.of(ORIGIN));
        Upstreams siteView = u.withSiteFallback(null, UpstreamConfig.of(List.of(A, B), Optional.of(ORIGIN)));
        Upstream a = ownerOf(u, A);
        java.util.Map<String, URI> before = new java.util.HashMap<>();
        for (int k = 0; k < 3000; k++) {
            before.put("key" + k, u.select("key" + k).url());
        }
        URI c = URI.create("http://127.0.0.1:8084");

        assertThat(u.replaceMembers(List.of(B, A, c))).isTrue();

        int moved = 0;
        for (var e : before.entrySet()) {
            URI now = u.select(e.getKey()).url();
            assertThat(siteView.select(e.getKey()).url()).as("every site's view sees the new ring").isEqualTo(now);
            if (!now.equals(e.getValue())) {
                moved++;
                assertThat(now).as("keys move only to the new shield").isEqualTo(c);
            }
        }
        assertThat(moved).as("about 1/3 of 3000 keys move").isBetween(700, 1300);
        assertThat(ownerOf(u, A)).as("a shield that stays keeps its breaker").isSameAs(a);
        assertThat(u.all()).hasSize(4); // three shields and the fallback
    }

    @Test
    void anEmptyOrUnchangedMemberListLeavesTheRingAlone() {
        Upstreams u = tier(Optional.empty());
        List<Upstream> members = u.all();
        assertThat(u.replaceMembers(List.of())).isFalse();
        assertThat(u.replaceMembers(List.of(B, A, A))).isFalse();
        assertThat(u.all()).isEqualTo(members);
        assertThat(u.replaceMembers(List.of(B))).isTrue();
        assertThat(u.all()).extracting(Upstream::url).containsExactly(B);
    }

    @Test
    void onlyTheNodesOwnUpstreamsFollowTheRegistry() {
        Upstreams view = tier(Optional.empty()).withSiteFallback(null, UpstreamConfig.of(List.of(A, B), Optional.empty()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> view.replaceMembers(List.of(A)))
                .isInstanceOf(IllegalStateException.class);
    }

    private static Upstream ownerOf(Upstreams u, URI url) {
        return u.all().stream().filter(x -> x.url().equals(url)).findFirst().orElseThrow();
    }

    private static String keyOwnedBy(Upstreams u, URI owner) {
        for (int k = 0; k < 10_000; k++) {
            if (u.select("key" + k).url().equals(owner)) {
                return "key" + k;
            }
        }
        throw new AssertionError("no key of 10,000 maps to " + owner);
    }
}
