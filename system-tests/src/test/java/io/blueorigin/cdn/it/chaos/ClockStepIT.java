package io.blueorigin.cdn.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestClock;
import io.blueorigin.cdn.testkit.TestCluster;
import io.blueorigin.cdn.testkit.TestOrigin;
import java.net.URI;
import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One node's clock steps (an NTP step, a VM resumed): issue 17's clock jump. The origin and the other tier keep the
 * true time; the test steps the one node's clock. Two failures were seen before {@code Age} learnt of clock skew:
 * a shield an hour ahead took every response for an hour old, stale on arrival, and sent every request to the
 * origin; an edge stepped back an hour took what it had stored for fresh for an extra hour (its resident time
 * clamped at 0), and served a changed object from cache long past its max-age.
 */
class ClockStepIT {
    private final TestClock trueClock = new TestClock();
    private final TestClock steppedClock = new TestClock(trueClock.millis());
    private final TestClient client = new TestClient();
    private TestOrigin origin;
    private TestCluster cdn;

    @AfterEach
    void stop() {
        client.close();
        if (cdn != null) {
            cdn.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void aShieldAnHourAheadStillCachesAndSparesTheOrigin() {
        origin = TestOrigin.start(trueClock);
        cdn = TestCluster.builder(origin.uri()).edges("nyc").shields("iad").clock(trueClock).shieldClock(steppedClock).start();
        origin.on("/ahead", Reply.ok("v1").withHeader("Cache-Control", "max-age=60").withHeader("ETag", "\"v1\""));
        steppedClock.advance(Duration.ofHours(1));

        for (int i = 0; i < 5; i++) {
            ContentResponse r = client.get(shield("/ahead"));
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(r.getContentAsString()).isEqualTo("v1");
        }
        assertThat(origin.count("/ahead")).as("the origin's Date an hour behind the shield is a wrong clock, not age")
                .isEqualTo(1);
        assertThat(client.get(shield("/ahead")).getHeaders().get("X-Cache")).isEqualTo("HIT");
    }

    @Test
    void anEdgeSteppedBackRevalidatesWhatItStoredOnceAndCachesAgain() {
        origin = TestOrigin.start(trueClock);
        cdn = TestCluster.builder(origin.uri()).edges("nyc").shields("iad").clock(trueClock).edgeClock(steppedClock).start();
        origin.on("/back", Reply.ok("v1").withHeader("Cache-Control", "max-age=60"));
        assertThat(client.get(edge("/back")).getContentAsString()).isEqualTo("v1");
        origin.on("/back", Reply.ok("v2").withHeader("Cache-Control", "max-age=60"));

        // 61 s pass, in which the edge's clock is stepped back an hour: v1 is past its max-age everywhere
        trueClock.advance(Duration.ofSeconds(61));
        steppedClock.advance(Duration.ofSeconds(61).minusHours(1));

        ContentResponse after = client.get(edge("/back"));
        assertThat(after.getContentAsString()).as("v1, stored in the stepped clock's future, is not taken as fresh")
                .isEqualTo("v2");
        assertThat(origin.count("/back")).isEqualTo(2);
        ContentResponse again = client.get(edge("/back"));
        assertThat(again.getContentAsString()).isEqualTo("v2");
        assertThat(again.getHeaders().get("X-Cache")).as("stored again, with the new time").isEqualTo("HIT");
        assertThat(origin.count("/back")).isEqualTo(2);
    }

    private URI edge(String path) {
        return URI.create(cdn.edge("nyc").uri() + path);
    }

    private URI shield(String path) {
        return URI.create(cdn.shield().uri() + path);
    }
}
