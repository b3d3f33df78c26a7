package io.blueorigin.cdn.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.edge.EdgePolicy;
import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.Field;
import io.blueorigin.cdn.httpcache.FieldList;
import io.blueorigin.cdn.httpcache.RequestFacts;
import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.internal.HttpDates;
import io.blueorigin.cdn.proxy.control.ControlConfig;
import io.blueorigin.cdn.proxy.control.ControlPlane;
import io.blueorigin.cdn.proxy.site.ServedSite;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import io.blueorigin.cdn.runtime.metrics.NodeMetrics;
import io.blueorigin.cdn.storage.ObjectWriter;
import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client exchange without sockets: an edge's {@link CacheHandler} behind Jetty's in-memory
 * {@link LocalConnector}, a real heap store filled directly, no upstream (a request that would go upstream is a
 * test failure unless it is meant to be refused first). Each test checks the reply the exchange delivered and
 * that nothing is left in flight.
 */
class ClientExchangeTest {
    private static final long NOW = Instant.parse("2026-12-04T00:00:00Z").toEpochMilli();
    private static final byte[] BODY = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);

    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
    private Server server;
    private LocalConnector local;
    private TieredStore store;
    private ProxyCache cache;
    private Collapser collapser;
    private final List<String> passed = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ProxyConfig config = ProxyConfig.of(NodeIdentity.of(Role.EDGE, "nyc"), ServerConfig.ephemeral(),
                UpstreamConfig.of(URI.create("http://127.0.0.1:9")));
        store = TieredStore.open(config.cache().storage(), "exchange-test");
        cache = new ProxyCache(config, EdgePolicy.INSTANCE, store, clock, new ProxyMetrics(new NodeMetrics(config.identity())));
        collapser = new Collapser(100, Duration.ofSeconds(10));
        ControlPlane control = ControlPlane.create(ControlConfig.none(), config.identity(), store, cache.sites(), clock,
                () -> null, () -> null, () -> null);
        HttpClient never = new HttpClient(); // not started: nothing here may go upstream
        OriginClients clients = new OriginClients(never, Duration.ofSeconds(1), (connect, verify) -> never);
        Handler pass = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                passed.add(request.getMethod() + " " + request.getHttpURI().getPathQuery());
                response.setStatus(299);
                callback.succeeded();
                return true;
            }
        };
        server = new Server();
        local = new LocalConnector(server);
        server.addConnector(local);
        server.setHandler(new CacheHandler(cache, new Fetcher(cache, clients, collapser, control.local()), collapser, control,
                pass));
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        assertThat(collapser.inFlight()).as("no fetch left in flight").isZero();
        assertThat(collapser.waiting().get()).as("no follower left waiting").isZero();
        server.stop();
        store.close();
    }

    /** Stores a 200 for {@code path} received now, fresh for a minute, with ETag "v1". */
    private void stored(String path) {
        ServedSite site = cache.sites().route("localhost");
        String key = site.keyOf(RequestTarget.parse(path, null));
        FieldList fields = new FieldList(List.of(new Field("Cache-Control", "max-age=60"), new Field("ETag", "\"v1\""),
                new Field("Date", HttpDates.format(NOW)), new Field("Content-Type", "text/plain"),
                new Field("Content-Length", Integer.toString(BODY.length))));
        CachedResponse r = site.policy().onResponse(RequestFacts.of("GET", new FieldList(List.of())), 200, fields, NOW, NOW)
                .response();
        ObjectWriter writer = store.begin(key, r, BODY.length);
        writer.write(ByteBuffer.wrap(BODY));
        assertThat(writer.commit(r)).isPresent();
    }

    private HttpTester.Response get(String target, String... fields) throws Exception {
        return send("GET", target, fields);
    }

    /** One request through the in-memory connector, {@code fields} as {@code Name: value} lines. */
    private HttpTester.Response send(String method, String target, String... fields) throws Exception {
        StringBuilder raw = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        for (String f : fields) {
            raw.append(f).append("\r\n");
        }
        return HttpTester.parseResponse(local.getResponse(raw.append("\r\n").toString()));
    }

    @Test
    void aFreshStoredResponseIsAHitWithAgeCacheStatusAndAcceptRanges() throws Exception {
        stored("/a");
        HttpTester.Response r = get("/a");
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getContent()).isEqualTo(new String(BODY, StandardCharsets.US_ASCII));
        assertThat(r.get("X-Cache")).isEqualTo("HIT");
        assertThat(r.get("Cache-Status")).isEqualTo("edge-nyc; hit; ttl=30"); // the edge's cache.ttl-cap clamps max-age=60
        assertThat(r.get("Age")).isEqualTo("0");
        assertThat(r.get("Accept-Ranges")).isEqualTo("bytes");
        assertThat(r.get("X-Request-ID")).matches("[0-9a-f]{16}");
    }

    @Test
    void theClientsValidatorsAreAnsweredFromTheStore() throws Exception {
        stored("/b");
        HttpTester.Response notModified = get("/b", "If-None-Match: \"v1\"");
        assertThat(notModified.getStatus()).isEqualTo(304);
        assertThat(notModified.get("X-Cache")).isEqualTo("HIT");
        assertThat(notModified.get("Content-Type")).as("RFC 9110 §15.4.5: no representation metadata").isNull();
        HttpTester.Response failed = get("/b", "If-Match: \"v0\"");
        assertThat(failed.getStatus()).isEqualTo(412);
    }

    @Test
    void rangesOfTheStoredResponseAre206Or416() throws Exception {
        stored("/c");
        HttpTester.Response part = get("/c", "Range: bytes=2-4");
        assertThat(part.getStatus()).isEqualTo(206);
        assertThat(part.get("Content-Range")).isEqualTo("bytes 2-4/20");
        assertThat(part.getContent()).isEqualTo("234");
        HttpTester.Response none = get("/c", "Range: bytes=50-60");
        assertThat(none.getStatus()).isEqualTo(416);
        assertThat(none.get("Content-Range")).isEqualTo("bytes */20");
        HttpTester.Response stale = get("/c", "Range: bytes=2-4", "If-Range: \"v0\"");
        assertThat(stale.getStatus()).as("If-Range with another tag: the whole").isEqualTo(200);
    }

    @Test
    void onlyIfCachedWithNothingStoredIs504WithoutGoingUpstream() throws Exception {
        HttpTester.Response r = get("/nothing", "Cache-Control: only-if-cached");
        assertThat(r.getStatus()).isEqualTo(504);
        assertThat(r.get("Cache-Status")).isEqualTo("edge-nyc; fwd=uri-miss; detail=only-if-cached");
        assertThat(r.get("X-Cache")).isEqualTo("PASS");
    }

    @Test
    void theDoorRefusesBeforeAnyStateIsTaken() throws Exception {
        HttpTester.Response trace = send("TRACE", "/a");
        assertThat(trace.getStatus()).isEqualTo(405);
        HttpTester.Response bad = get("/a/..;/b");
        assertThat(bad.getStatus()).isEqualTo(400);
        assertThat(passed).isEmpty();
    }

    @Test
    void aHeadThatWouldGoUpstreamPassesAndOtherMethodsPass() throws Exception {
        HttpTester.Response head = send("HEAD", "/missing");
        assertThat(head.getStatus()).isEqualTo(299);
        HttpTester.Response post = send("POST", "/form", "Content-Length: 0");
        assertThat(post.getStatus()).isEqualTo(299);
        assertThat(passed).containsExactly("HEAD /missing", "POST /form");
    }
}
