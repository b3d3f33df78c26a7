package io.blueorigin.cdn.testkit;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Clock;
import java.util.function.UnaryOperator;

/**
 * What an end-to-end test talks to: a {@link TestOrigin}, a {@link TestCluster} in front of it and a
 * {@link TestClient}, on one clock; closed in reverse order.
 *
 * <pre>{@code
 * try (TestStack s = TestStack.start(c -> c.edges("nyc", "lhr").shields("iad", "ord"))) {
 *     s.origin.on("/a", Reply.ok("a").withHeader("Cache-Control", "max-age=60"));
 *     s.client.get(s.edge("nyc", "/a"));
 * }
 * }</pre>
 */
public final class TestStack implements AutoCloseable {
    public final TestOrigin origin;
    public final TestCluster cdn;
    public final TestClient client;

    private TestStack(TestOrigin origin, TestCluster cdn, TestClient client) {
        this.origin = origin;
        this.cdn = cdn;
        this.client = client;
    }

    /** Starts an origin, then the cluster {@code cluster} configures (default: edges nyc, lhr; shield iad), then a client. */
    public static TestStack start(UnaryOperator<TestCluster.Builder> cluster) {
        return start(Clock.systemUTC(), cluster);
    }

    /** A stack whose cluster configuration depends on the origin's URI (e.g. sites naming it as their origin). */
    public static TestStack startWithOrigin(java.util.function.Function<java.net.URI, UnaryOperator<TestCluster.Builder>> cluster) {
        requireNonNull(cluster, "cluster is null");
        TestOrigin origin = TestOrigin.start(Clock.systemUTC());
        try {
            TestCluster cdn = cluster.apply(origin.uri()).apply(TestCluster.builder(origin.uri())).start();
            return new TestStack(origin, cdn, new TestClient());
        } catch (RuntimeException e) {
            origin.close();
            throw e;
        }
    }

    /** The same, with every node and the origin on {@code clock} (a {@link TestClock} to move time). */
    public static TestStack start(Clock clock, UnaryOperator<TestCluster.Builder> cluster) {
        requireNonNull(cluster, "cluster is null");
        TestOrigin origin = TestOrigin.start(clock);
        try {
            TestCluster cdn = cluster.apply(TestCluster.builder(origin.uri()).clock(clock)).start();
            return new TestStack(origin, cdn, new TestClient());
        } catch (RuntimeException e) {
            origin.close();
            throw e;
        }
    }

    /** {@code pathAndQuery} at the edge of point of presence {@code pop}. */
    public URI edge(String pop, String pathAndQuery) {
        return URI.create(cdn.edge(pop).uri() + pathAndQuery);
    }

    /** {@code pathAndQuery} at the first shield. */
    public URI shield(String pathAndQuery) {
        return URI.create(cdn.shield().uri() + pathAndQuery);
    }

    @Override
    public void close() {
        try {
            client.close();
            cdn.close();
        } finally {
            origin.close();
        }
    }
}
