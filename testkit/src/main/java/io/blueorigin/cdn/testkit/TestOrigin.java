package io.blueorigin.cdn.testkit;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A scriptable origin on a real loopback port: per path, a fixed {@link Reply}, a sequence of replies, or a
 * function of the request. Every request is recorded (method, raw path and query, headers, body) and
 * counted, so tests assert exactly what got through the CDN. Unscripted paths answer 404.
 *
 * <pre>{@code
 * TestOrigin origin = TestOrigin.start();
 * origin.on("/a", Reply.ok("hello").withHeader("Cache-Control", "max-age=60"));
 * origin.on("/slow", Reply.ok("x").withDelay(Duration.ofMillis(300)));
 * origin.on("/down", Reply.failure(Reply.Failure.CLOSE));
 * ...
 * assertThat(origin.count("/a")).isEqualTo(1);
 * }</pre>
 *
 * Thread-safe: scripts and records are concurrent collections; delays run on the server's scheduler.
 */
public final class TestOrigin implements AutoCloseable {
    private static final int MAX_RECORDED_BODY = 64 << 20;

    private final Server server;
    private final ServerConnector connector;
    private final Map<String, Function<RecordedRequest, Reply>> scripts = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<RecordedRequest> received = new ConcurrentLinkedQueue<>();
    /** Scripts for every raw path under a prefix, used when no exact script matches; longest prefix wins. */
    private final Map<String, Function<RecordedRequest, Reply>> prefixScripts = new ConcurrentHashMap<>();

    private final Clock clock;

    private TestOrigin(int port, Clock clock) {
        this.clock = clock;
        QueuedThreadPool pool = new QueuedThreadPool(256, 8);
        pool.setName("test-origin");
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        // Record whatever arrives, however odd: the CDN's handling of odd targets is what tests check.
        http.setUriCompliance(UriCompliance.UNSAFE);
        // Date comes from this origin's clock (a TestClock in tests that move time), not from Jetty's.
        http.setSendDateHeader(false);
        http.setSendServerVersion(false);
        // an origin may send header sections larger than a CDN node writes: tests script them
        http.setResponseHeaderSize(256 * 1024);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new ScriptHandler());
    }

    /** Starts an origin on a free loopback port. */
    public static TestOrigin start() {
        return start(0);
    }

    /** Starts an origin on a free port whose {@code Date} fields come from {@code clock}. */
    public static TestOrigin start(Clock clock) {
        return start(0, clock);
    }

    /** Starts an origin on {@code port} (0: a free one), e.g. to restart it where it was. */
    public static TestOrigin start(int port) {
        return start(port, Clock.systemUTC());
    }

    public static TestOrigin start(int port, Clock clock) {
        TestOrigin origin = new TestOrigin(port, clock);
        try {
            origin.server.start();
        } catch (Exception e) {
            throw new IllegalStateException("test origin failed to start on port " + port, e);
        }
        return origin;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Answers every request for {@code path} (exact raw path, query ignored) with {@code reply}. */
    public TestOrigin on(String path, Reply reply) {
        requireNonNull(reply, "reply is null");
        scripts.put(path, request -> reply);
        return this;
    }

    /** Answers requests for {@code path} with {@code replies} in turn, repeating the last one. */
    public TestOrigin onSequence(String path, Reply... replies) {
        List<Reply> list = List.of(replies);
        AtomicInteger next = new AtomicInteger();
        scripts.put(path, request -> list.get(Math.min(next.getAndIncrement(), list.size() - 1)));
        return this;
    }

    /** Answers requests for {@code path} with whatever {@code responder} returns for each. */
    public TestOrigin on(String path, Function<RecordedRequest, Reply> responder) {
        scripts.put(path, requireNonNull(responder, "responder is null"));
        return this;
    }

    /** Answers every request whose raw path starts with {@code prefix} (and has no exact script) with {@code responder}. */
    public TestOrigin onPrefix(String prefix, Function<RecordedRequest, Reply> responder) {
        prefixScripts.put(prefix, requireNonNull(responder, "responder is null"));
        return this;
    }

    private @org.jspecify.annotations.Nullable Function<RecordedRequest, Reply> scriptFor(String path) {
        Function<RecordedRequest, Reply> exact = scripts.get(path);
        if (exact != null) {
            return exact;
        }
        String best = null;
        for (String prefix : prefixScripts.keySet()) {
            if (path.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? null : prefixScripts.get(best);
    }

    /** Requests received for {@code path}, in arrival order. */
    public List<RecordedRequest> requests(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Every request received, in arrival order. */
    public List<RecordedRequest> requests() {
        return new ArrayList<>(received);
    }

    public int count(String path) {
        return requests(path).size();
    }

    public int count() {
        return received.size();
    }

    /** The last request for {@code path}. */
    public Optional<RecordedRequest> last(String path) {
        List<RecordedRequest> all = requests(path);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Forgets recorded requests (scripts stay). */
    public void clearRecords() {
        received.clear();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("test origin failed to stop", e);
        }
    }

    private final class ScriptHandler extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            readBody(request, body -> {
                List<Map.Entry<String, String>> headers = new ArrayList<>();
                for (HttpField field : request.getHeaders()) {
                    headers.add(Map.entry(field.getName(), field.getValue()));
                }
                RecordedRequest recorded = new RecordedRequest(request.getMethod(), request.getHttpURI().getPath(),
                        Optional.ofNullable(request.getHttpURI().getQuery()), headers, body);
                received.add(recorded);
                Function<RecordedRequest, Reply> script = scriptFor(recorded.path());
                Reply reply = script == null
                        ? Reply.status(404).withBody("not scripted: " + recorded.path())
                        : script.apply(recorded).forRange(request.getHeaders().get("Range"));
                Runnable answer = () -> reply.hold().whenComplete((ignored, error) -> answer(request, response, callback, reply));
                if (reply.delay().isZero()) {
                    answer.run();
                } else {
                    request.getComponents().getScheduler().schedule(answer, reply.delay().toMillis(), TimeUnit.MILLISECONDS);
                }
            }, callback);
            return true;
        }
    }

    /** Reads the whole request body without blocking, then calls {@code then}. */
    private static void readBody(Request request, java.util.function.Consumer<byte[]> then, Callback callback) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Runnable[] reader = new Runnable[1];
        reader[0] = () -> {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(reader[0]);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    callback.failed(chunk.getFailure());
                    return;
                }
                ByteBuffer buffer = chunk.getByteBuffer();
                if (out.size() + buffer.remaining() > MAX_RECORDED_BODY) {
                    chunk.release();
                    callback.failed(new IOException("test origin records bodies up to " + MAX_RECORDED_BODY + " bytes"));
                    return;
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                out.write(bytes, 0, bytes.length);
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    then.accept(out.toByteArray());
                    return;
                }
            }
        };
        reader[0].run();
    }

    private void answer(Request request, Response response, Callback callback, Reply reply) {
        switch (reply.failure()) {
            case HANG -> {
                return;
            }
            case CLOSE -> {
                request.getConnectionMetaData().getConnection().getEndPoint().close();
                callback.failed(new IOException("test origin closed the connection"));
                return;
            }
            default -> {
            }
        }
        if (!reply.earlyHints().isEmpty()) {
            org.eclipse.jetty.http.HttpFields.Mutable hints = org.eclipse.jetty.http.HttpFields.build();
            reply.earlyHints().forEach(h -> hints.add(h.getKey(), h.getValue()));
            // the 103 goes out first, then the final response (RFC 8297)
            response.writeInterim(HttpStatus.EARLY_HINTS_103, hints)
                    .whenComplete((ignored, error) -> answerFinal(request, response, callback, reply));
            return;
        }
        answerFinal(request, response, callback, reply);
    }

    private void answerFinal(Request request, Response response, Callback callback, Reply reply) {
        response.setStatus(reply.status());
        if (reply.headers().stream().noneMatch(h -> h.getKey().equalsIgnoreCase("Date"))) {
            response.getHeaders().put("Date", org.eclipse.jetty.http.DateGenerator.formatDate(clock.millis()));
        }
        reply.headers().forEach(h -> response.getHeaders().add(h.getKey(), h.getValue()));
        byte[] body = reply.body();
        boolean noBody = HttpMethod.HEAD.is(request.getMethod()) || reply.status() == HttpStatus.NOT_MODIFIED_304
                || reply.status() == HttpStatus.NO_CONTENT_204 || HttpStatus.isInformational(reply.status());
        if (reply.failure() == Reply.Failure.ABORT_MID_BODY) {
            if (!response.getHeaders().contains("Content-Length")) {
                response.getHeaders().put("Content-Length", Integer.toString(body.length));
            }
            int half = body.length / 2;
            response.write(false, ByteBuffer.wrap(body, 0, half), Callback.from(() -> {
                request.getConnectionMetaData().getConnection().getEndPoint().close();
                callback.failed(new IOException("test origin aborted mid-body"));
            }, callback::failed));
            return;
        }
        if (noBody) {
            callback.succeeded();
        } else if (reply.midBodyPause() != null) {
            response.getHeaders().put("Content-Length", Integer.toString(body.length));
            int half = body.length / 2;
            response.write(false, ByteBuffer.wrap(body, 0, half), Callback.from(
                    () -> reply.midBodyPause().whenComplete((ignored, error) ->
                            response.write(true, ByteBuffer.wrap(body, half, body.length - half), callback)),
                    callback::failed));
        } else {
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
