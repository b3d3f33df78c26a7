package io.blueorigin.cdn.it.caching;

import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestClock;
import io.blueorigin.cdn.testkit.TestCluster;
import io.blueorigin.cdn.testkit.TestOrigin;
import java.net.URI;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Request;

/**
 * Client → edge nyc → shield iad → test origin, all on one {@link TestClock}, for the caching ITs. Each
 * test uses its own paths, so one harness serves a whole class.
 */
final class CdnHarness implements AutoCloseable {
    final TestClock clock = new TestClock();
    final TestOrigin origin = TestOrigin.start(clock);
    final TestCluster cdn;
    final TestClient client = new TestClient();

    CdnHarness() {
        this(UnaryOperator.identity(), UnaryOperator.identity());
    }

    CdnHarness(UnaryOperator<ProxyConfig> edge, UnaryOperator<ProxyConfig> shield) {
        cdn = TestCluster.builder(origin.uri()).edges("nyc").shields("iad").clock(clock)
                .edgeConfig(edge).shieldConfig(shield).start();
    }

    URI edge(String pathAndQuery) {
        return URI.create(cdn.edge("nyc").uri() + pathAndQuery);
    }

    URI shield(String pathAndQuery) {
        return URI.create(cdn.shield().uri() + pathAndQuery);
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
        client.close();
        cdn.close();
        origin.close();
    }
}
