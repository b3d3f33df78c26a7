package io.blueorigin.cdn.it.caching;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link CachingBasicsIT}'s scenarios against edge.war and shield.war in stock Jetty distributions: the WAR runs the
 * same request path as the launcher (docs/decisions/0004). The two scenarios that need the nodes on the test's clock (a moved clock, exact
 * remaining TTLs) are skipped here; the rest run as they are.
 */
class CachingBasicsOverWarsIT extends CachingBasicsIT {
    /** Hides {@link HarnessPerClass#startHarness()}: this class's harness is the WARs. */
    @BeforeAll
    static void startHarness() {
        h = CdnHarness.overWars();
    }
}
