package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.site.Origin;
import io.blueorigin.cdn.proxy.upstream.Upstream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.eclipse.jetty.client.HttpClient;

/**
 * The HTTP client for each upstream. Jetty's client sets the connect timeout and the TLS check per client, not
 * per request, so a site origin whose {@code connectTimeout} or {@code verifyTls} differs from the node's
 * ({@code upstream.connect-timeout}, TLS checked) gets a client of its own, one per distinct pair, made on
 * first use and kept (and stopped) with the node. Sites rarely differ in these: the map stays small, and is
 * bounded by the number of distinct pairs among at most {@code SiteTable.MAX_SITES × Site.MAX_ORIGINS} origins.
 */
final class OriginClients {
    private record Settings(Duration connectTimeout, boolean verifyTls) {}

    private final HttpClient node;
    private final Settings nodeSettings;
    private final BiFunction<Duration, Boolean, HttpClient> factory;
    private final Map<Settings, HttpClient> others = new ConcurrentHashMap<>();

    /**
     * @param node the node's own client
     * @param connectTimeout its connect timeout
     * @param factory makes (and starts) a client with a connect timeout and a TLS check
     */
    OriginClients(HttpClient node, Duration connectTimeout, BiFunction<Duration, Boolean, HttpClient> factory) {
        this.node = requireNonNull(node, "node is null");
        this.nodeSettings = new Settings(connectTimeout, true);
        this.factory = requireNonNull(factory, "factory is null");
    }

    HttpClient clientFor(Upstream upstream) {
        Origin origin = upstream.origin();
        if (origin == null) {
            return node;
        }
        Settings wanted = new Settings(origin.connectTimeout(), origin.verifyTls());
        return wanted.equals(nodeSettings) ? node
                : others.computeIfAbsent(wanted, s -> factory.apply(s.connectTimeout(), s.verifyTls()));
    }

    /** Stops the clients made here (the node's own is the server's bean). */
    void stop() {
        for (HttpClient client : others.values()) {
            try {
                client.stop();
            } catch (Exception e) {
                // stopping: nothing left to do with it
            }
        }
        others.clear();
    }
}
