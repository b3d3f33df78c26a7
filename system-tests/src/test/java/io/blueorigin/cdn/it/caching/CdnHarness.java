package io.blueorigin.cdn.it.caching;

import io.blueorigin.cdn.it.war.WarTiers;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestClock;
import io.blueorigin.cdn.testkit.TestCluster;
import io.blueorigin.cdn.testkit.TestOrigin;
import java.net.URI;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Request;
import org.junit.jupiter.api.Assumptions;

/**
 * Client → edge nyc → shield iad → test origin, for the caching ITs. Each test uses its own paths, so one
 * harness serves a whole class. Two forms: in process, every node and the origin on one {@link TestClock}
 * (the default), or edge.war and shield.war in stock Jetty distributions ({@link #overWars()}), where the
 * nodes keep their own clocks: a scenario that moves time calls {@link #assumeSharedClock()}.
 */
final class CdnHarness implements AutoCloseable {
    final TestClock clock = new TestClock();
    final TestOrigin origin;
    final TestClient client = new TestClient();
    /** The in-process tiers; null over the WARs. */
    final TestCluster cdn;
    private final URI edge;
    private final URI shield;
    private final AutoCloseable tiers;
    private final boolean sharedClock;

    CdnHarness() {
        this(UnaryOperator.identity(), UnaryOperator.identity());
    }

    CdnHarness(UnaryOperator<ProxyConfig> edge, UnaryOperator<ProxyConfig> shield) {
        origin = TestOrigin.start(clock);
        cdn = TestCluster.builder(origin.uri()).edges("nyc").shields("iad").clock(clock)
                .edgeConfig(edge).shieldConfig(shield).start();
        this.edge = cdn.edge("nyc").uri();
        this.shield = cdn.shield().uri();
        this.tiers = cdn;
        this.sharedClock = true;
    }

    private CdnHarness(TestOrigin origin, WarTiers wars) {
        this.origin = origin;
        this.cdn = null;
        this.edge = wars.edge.uri("");
        this.shield = wars.shield.uri("");
        this.tiers = wars;
        this.sharedClock = false;
    }

    /** The same tiers as edge.war and shield.war, each in a stock Jetty of its own (a separate JVM). */
    static CdnHarness overWars() {
        TestOrigin origin = TestOrigin.start();
        try {
            return new CdnHarness(origin, WarTiers.start(origin.uri()));
        } catch (RuntimeException | AssertionError e) {
            origin.close();
            throw e;
        } catch (Exception e) {
            origin.close();
            throw new IllegalStateException("the WARs did not start", e);
        }
    }

    /** Skips the calling scenario when the nodes do not run on {@link #clock} (the WARs keep their own). */
    void assumeSharedClock() {
        Assumptions.assumeTrue(sharedClock, "moves the nodes' clock: the WARs run on their own");
    }

    URI edge(String pathAndQuery) {
        return URI.create(edge + pathAndQuery);
    }

    URI shield(String pathAndQuery) {
        return URI.create(shield + pathAndQuery);
    }

    ContentResponse get(String pathAndQuery) {
        return client.get(edge(pathAndQuery));
    }

    Request request(String pathAndQuery) {
        return client.request(edge(pathAndQuery));
    }

    static String xCache(ContentResponse response) {
        return response.getHeaders().get("X-Cache");
    }

    @Override
    public void close() {
        try {
            client.close();
            tiers.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the tiers", e);
        } finally {
            origin.close();
        }
    }
}
