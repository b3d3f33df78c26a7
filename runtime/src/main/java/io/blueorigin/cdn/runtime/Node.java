package io.blueorigin.cdn.runtime;

import java.net.URI;

/**
 * A started node of any role: what the launcher, the demo and the test kit hold on to. Closing it stops
 * the node gracefully and releases everything it opened (ports, pools, stores).
 */
public interface Node extends AutoCloseable {

    NodeIdentity identity();

    /** Base URI of customer traffic, e.g. {@code http://127.0.0.1:8080}. */
    URI uri();

    /** Base URI of the management port ({@code /healthz}, {@code /readyz}, {@code /metrics}). */
    URI managementUri();

    @Override
    void close();
}
