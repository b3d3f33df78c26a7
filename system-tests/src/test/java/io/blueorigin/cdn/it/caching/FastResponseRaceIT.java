package io.blueorigin.cdn.it.caching;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.Reply;
import org.junit.jupiter.api.Test;

/**
 * Regression: a response not stored is passed through to the one client that asked; if the upstream
 * answered before that client subscribed to the fetch, the body had no reader, the fetch abandoned it and
 * the client got a 502 (about one request in 30). Subscribing before sending fixed it.
 */
class FastResponseRaceIT {

    @Test
    void aPassThroughResponseThatArrivesAtOnceStillReachesItsClient() {
        try (CdnHarness h = new CdnHarness()) {
            h.origin.on("/race", Reply.ok("body").withHeader("Cache-Control", "max-age=soon"));
            int failures = 0;
            for (int i = 0; i < 300; i++) {
                if (h.get("/race").getStatus() != 200) {
                    failures++;
                }
            }
            assertThat(failures).isZero();
        }
    }
}
