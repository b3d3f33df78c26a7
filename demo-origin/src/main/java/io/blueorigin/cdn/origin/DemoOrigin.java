package io.blueorigin.cdn.origin;

import io.blueorigin.cdn.runtime.HealthRegistry;
import io.blueorigin.cdn.runtime.Node;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.NodeServer;
import java.net.URI;
import java.time.Instant;

/** A started demo origin: its node server and the request counts it keeps. */
public final class DemoOrigin implements Node {
    private final NodeServer server;
    private final OriginStats stats;

    private DemoOrigin(NodeServer server, OriginStats stats) {
        this.server = server;
        this.stats = stats;
    }

    /** Starts the origin on the configured ports. */
    public static DemoOrigin start(OriginConfig config) {
        OriginStats stats = new OriginStats();
        HealthRegistry health = new HealthRegistry(config.identity());
        NodeServer server = NodeServer.builder(health, config.server())
                .traffic(new OriginHandler(config, stats, Instant.now()))
                .build()
                .start();
        return new DemoOrigin(server, stats);
    }

    public OriginStats stats() {
        return stats;
    }

    @Override
    public NodeIdentity identity() {
        return server.identity();
    }

    @Override
    public URI uri() {
        return server.uri();
    }

    @Override
    public URI managementUri() {
        return server.managementUri();
    }

    @Override
    public void close() {
        server.close();
    }
}
