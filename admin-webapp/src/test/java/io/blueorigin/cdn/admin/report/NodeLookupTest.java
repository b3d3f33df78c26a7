package io.blueorigin.cdn.admin.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.admin.db.Node;
import io.blueorigin.cdn.runtime.Role;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link NodeLookup} against small real Jetty servers standing in for nodes' management ports: one answering the
 * inspector's JSON, one a 400, one too much, one nothing at all, and a closed port.
 */
class NodeLookupTest {
    private final List<Server> servers = new ArrayList<>();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        client = new HttpClient();
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        client.stop();
        for (Server server : servers) {
            server.stop();
        }
    }

    /** A server answering {@code status} with {@code body}; its URL. */
    private String server(int status, String body) throws Exception {
        return server(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                queries.add(request.getHttpURI().getPath() + "?" + request.getHttpURI().getQuery());
                response.setStatus(status);
                response.getHeaders().put("Content-Type", "application/json");
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
    }

    private String server(Handler handler) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    private static Node node(String name, String managementUrl) {
        Instant t = Instant.parse("2026-12-04T00:00:00Z");
        return new Node(1, name, Role.EDGE, "nyc", "http://127.0.0.1:1", managementUrl, t, t, 0);
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void everyNodeIsAskedAndEachAnswerOrErrorIsItsOwn() throws Exception {
        String ok = server(200, "{\"node\": \"edge-a\", \"key\": \"default /item/1\", \"variantCount\": 1}");
        String bad = server(400, "{\"error\": \"url '/x' is ambiguous\", \"usage\": \"...\"}");
        String big = server(200, "{\"pad\": \"" + "x".repeat(10_000) + "\"}");
        String notJson = server(200, "<html>");
        List<Node> nodes = List.of(node("edge-a", ok + "/"), node("edge-b", bad), node("edge-c", big),
                node("edge-d", notJson), node("edge-e", "http://127.0.0.1:" + closedPort()), node("edge-f", "not a url"));
        NodeLookup lookup = new NodeLookup(client, Duration.ofSeconds(30), 4096);

        List<NodeLookup.Answer> answers = lookup.url(nodes, "/item/1?a=b&c=d", Optional.of("www.example.com"));

        assertThat(answers).extracting(NodeLookup.Answer::node)
                .containsExactly("edge-a", "edge-b", "edge-c", "edge-d", "edge-e", "edge-f");
        NodeLookup.Answer a = answers.get(0);
        assertThat(a.reachable()).isTrue();
        assertThat(a.error()).isEmpty();
        assertThat(a.json().orElseThrow().path("key").asText()).isEqualTo("default /item/1");
        assertThat(queries).contains("/cache/inspect?url=%2Fitem%2F1%3Fa%3Db%26c%3Dd&host=www.example.com");
        assertThat(answers.get(1).status()).hasValue(400);
        assertThat(answers.get(1).error()).contains("answered 400: url '/x' is ambiguous");
        assertThat(answers.get(2).reachable()).isFalse();
        assertThat(answers.get(2).error().orElseThrow()).contains("larger than 4096 bytes");
        assertThat(answers.get(3).error()).contains("answered 200 with a body that is not JSON");
        assertThat(answers.get(4).reachable()).isFalse();
        assertThat(answers.get(4).error().orElseThrow()).startsWith("unreachable");
        assertThat(answers.get(5).error().orElseThrow()).contains("is not a URL");
    }

    @Test
    void aTagLookupAsksForTheTag() throws Exception {
        String ok = server(200, "{\"tag\": \"item-1\", \"keyCount\": 3}");
        List<NodeLookup.Answer> answers = new NodeLookup(client, Duration.ofSeconds(30), 4096)
                .tag(List.of(node("edge-a", ok)), "item-1");
        assertThat(answers.get(0).json().orElseThrow().path("keyCount").asInt()).isEqualTo(3);
        assertThat(queries).containsExactly("/cache/inspect?tag=item-1");
    }

    @Test
    void aNodeThatDoesNotAnswerIsReportedWhenTheLookupTimesOut() throws Exception {
        String silent = server(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                release.await(60, TimeUnit.SECONDS); // held until the test ends
                callback.succeeded();
                return true;
            }
        });
        String ok = server(200, "{\"node\": \"edge-a\"}");
        List<NodeLookup.Answer> answers = new NodeLookup(client, Duration.ofMillis(500), 4096)
                .url(List.of(node("edge-silent", silent), node("edge-a", ok)), "/x", Optional.empty());
        assertThat(answers.get(0).reachable()).isFalse();
        assertThat(answers.get(0).error()).contains("no answer within 500 ms");
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        NodeLookup lookup = new NodeLookup(client, Duration.ofSeconds(1), 4096);
        List<Node> none = List.of();
        assertField(() -> lookup.url(none, " ", Optional.empty()), "url");
        assertField(() -> lookup.url(none, "/" + "x".repeat(NodeLookup.MAX_URL_LENGTH), Optional.empty()), "url");
        assertField(() -> lookup.url(none, "/x", Optional.of("a b")), "host");
        assertField(() -> lookup.tag(none, ""), "tag");
        assertField(() -> lookup.tag(none, "a b"), "tag");
        assertField(() -> lookup.tag(none, "x".repeat(NodeLookup.MAX_TAG_LENGTH + 1)), "tag");
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertField(Call call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ReportException.class,
                e -> assertThat(e.field()).contains(field));
    }
}
