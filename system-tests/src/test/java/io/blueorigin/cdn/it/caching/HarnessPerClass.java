package io.blueorigin.cdn.it.caching;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One default {@link CdnHarness} (client, edge nyc, shield iad, test origin, one clock) per test class;
 * tests use distinct paths. Classes needing other settings build their own harness.
 */
abstract class HarnessPerClass {
    /** Started before the class's first test, closed after its last. Test classes run one at a time. */
    static CdnHarness h;

    @BeforeAll
    static void startHarness() {
        h = new CdnHarness();
    }

    @AfterAll
    static void stopHarness() {
        h.close();
    }
}
