package io.blueorigin.cdn.router;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * A stand-in for admin's {@code GET /api/v1/routing?after=V&wait=S} (the contract in docs/routing.md) on a real
 * Jetty server on an ephemeral loopback port: answers at once when its version is above {@code after} or the
 * wait is 0, else when {@link #publish} raises it, else after the wait with the same version. Refuses other
 * tokens with 401. The real admin end to end is system-tests' business; this lets a test change the view at
 * will and stop admin.
 */
final class StubAdmin implements AutoCloseable {
    static final String TOKEN = "bo_router_test";

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final AtomicInteger polls = new AtomicInteger();
    private long version;
    private String nodes = "[]";
    private boolean stopping;

    StubAdmin() throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                return serve(request, response, callback);
            }
        });
        server.setStopTimeout(1000);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    /** Replaces the node list and raises the version (wakes waiting polls). */
    synchronized void publish(String... nodeEntries) {
        version++;
        nodes = "[" + String.join(",", nodeEntries) + "]";
        notifyAll();
    }

    synchronized long version() {
        return version;
    }

    int polls() {
        return polls.get();
    }

    /** One node entry of the contract. */
    static String edge(String name, String pop, double latitude, double longitude, String publicUrl, String state,
            String... addresses) {
        List<String> quoted = new ArrayList<>();
        for (String address : addresses) {
            quoted.add("\"" + address + "\"");
        }
        return "{\"name\":\"" + name + "\",\"role\":\"edge\",\"pop\":\"" + pop + "\",\"publicUrl\":\"" + publicUrl
                + "\",\"trafficUrl\":\"" + publicUrl + "\",\"addresses\":" + quoted + ",\"latitude\":" + latitude
                + ",\"longitude\":" + longitude + ",\"weight\":100,\"state\":\"" + state
                + "\",\"stateSince\":\"2026-12-04T03:20:01.127Z\"}";
    }

    static String lhr(String state) {
        return edge("edge-lhr", "lhr", 51.4700, -0.4543, "http://lhr.edge.test:8081", state, "192.0.2.10");
    }

    static String nyc(String state) {
        return edge("edge-nyc", "nyc", 40.6413, -73.7781, "http://nyc.edge.test", state, "198.51.100.20");
    }

    private boolean serve(Request request, Response response, Callback callback) throws InterruptedException {
        if (!request.getHttpURI().getPath().equals("/api/v1/routing")) {
            return false;
        }
        polls.incrementAndGet();
        if (!("Bearer " + TOKEN).equals(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            response.setStatus(401);
            Content.Sink.write(response, true, "{\"error\":\"unauthorized\"}", callback);
            return true;
        }
        Fields query = Request.extractQueryParameters(request);
        long after = Long.parseLong(query.getValue("after") == null ? "0" : query.getValue("after"));
        long waitMillis = 1000L * Long.parseLong(query.getValue("wait") == null ? "0" : query.getValue("wait"));
        String body;
        synchronized (this) {
            long deadline = System.nanoTime() + waitMillis * 1_000_000;
            while (version <= after && !stopping) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                wait(left); // the long-poll itself, as admin holds it; woken by publish() or close()
            }
            body = "{\"version\":" + version + ",\"pops\":[],\"nodes\":" + nodes + "}";
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, body, callback);
        return true;
    }

    @Override
    public void close() throws Exception {
        synchronized (this) {
            stopping = true;
            notifyAll();
        }
        server.stop();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
