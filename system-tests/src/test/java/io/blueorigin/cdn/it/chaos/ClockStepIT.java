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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node's clock steps (an NTP step, a VM resumed): issue 17's clock jump. The origin keeps the true time on
 * a clock of its own; the edge and the shield share another, which the test steps. Two failures were seen
 * before {@code Age} learnt of clock skew: a step forward made every response stale on arrival (its Date an hour
 * "old"), so the tiers sent every request to the origin; a step back made every stored response fresh for an
 * extra hour (its resident time clamped at 0), so a changed object was served from cache long past its max-age.
 */
class ClockStepIT {
    private final TestClock originClock = new TestClock();
    private final TestClock nodesClock = new TestClock(originClock.millis());
    private TestOrigin origin;
    private TestCluster cdn;
    private final TestClient client = new TestClient();

    @BeforeEach
    void start() {
        origin = TestOrigin.start(originClock);
        cdn = TestCluster.builder(origin.uri()).edges("nyc").shields("iad").clock(nodesClock).start();
    }

    @AfterEach
    void stop() {
        client.close();
        cdn.close();
        origin.close();
    }

    @Test
    void aClockAnHourAheadStillCachesAndSparesTheOrigin() {
        origin.on("/ahead", Reply.ok("v1").withHeader("Cache-Control", "max-age=60").withHeader("ETag", "\"v1\""));
        nodesClock.advance(Duration.ofHours(1));

        for (int i = 0; i < 5; i++) {
            ContentResponse r = client.get(edge("/ahead"));
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(r.getContentAsString()).isEqualTo("v1");
        }
        assertThat(origin.count("/ahead")).as("the origin's Date an hour behind the nodes is a wrong clock, not age")
                .isEqualTo(1);
        assertThat(client.get(edge("/ahead")).getHeaders().get("X-Cache")).isEqualTo("HIT");
    }

    @Test
    void aClockSteppedBackRevalidatesWhatItStoredOnceAndCachesAgain() {
        origin.on("/back", Reply.ok("v1").withHeader("Cache-Control", "max-age=60"));
        assertThat(client.get(edge("/back")).getContentAsString()).isEqualTo("v1");
        origin.on("/back", Reply.ok("v2").withHeader("Cache-Control", "max-age=60"));

        // 61 s pass, in which the nodes' clock is stepped back an hour: v1 is past its max-age
        originClock.advance(Duration.ofSeconds(61));
        nodesClock.advance(Duration.ofSeconds(61).minusHours(1));

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
}
