package io.blueorigin.cdn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeServerIT {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private NodeServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Handler hello() {
        return new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, Response response,
                    org.eclipse.jetty.util.Callback callback) {
                response.setStatus(200);
                Content.Sink.write(response, true, "hello", callback);
                return true;
            }
        };
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void trafficAndManagementAnswerOnTheirOwnPorts() throws Exception {
        HealthRegistry health = new HealthRegistry(NodeIdentity.of(Role.EDGE, "nyc"));
        server = NodeServer.builder(health, ServerConfig.ephemeral()).traffic(hello()).build().start();

        assertThat(server.port()).isNotEqualTo(server.managementPort());
        assertThat(get(server.uri().resolve("/healthz")).body()).isEqualTo("hello");
        HttpResponse<String> healthz = get(server.managementUri().resolve("/healthz"));
        assertThat(healthz.statusCode()).isEqualTo(200);
        assertThat(healthz.body()).contains("\"node\" : \"edge-nyc\"").contains("\"role\" : \"edge\"");
        assertThat(get(server.managementUri().resolve("/nope")).statusCode()).isEqualTo(404);
    }

    /**
     * A burst of new connections waits in the kernel's accept queue. With the node at its connection limit nothing
     * is accepted, so every connect beyond the queue's size would hang (its handshake dropped and retried a second
     * later, then three): Java's own backlog of 50 fails this with the 52nd connection.
     */
    @Test
    void aBurstOfConnectionsWaitsInTheAcceptQueue() throws Exception {
        HealthRegistry health = new HealthRegistry(NodeIdentity.of(Role.EDGE, "nyc"));
        ServerConfig.Limits d = ServerConfig.Limits.defaults();
        ServerConfig.Limits oneAtATime = new ServerConfig.Limits(1, 1, d.headerTimeout(), d.minRequestRate(),
                d.requestHeaderSize(), d.responseHeaderSize(), d.acceptQueueSize());
        server = NodeServer.builder(health, ServerConfig.ephemeral().withLimits(oneAtATime)).traffic(hello()).build()
                .start();
        List<Socket> burst = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket();
                burst.add(s);
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            }
            assertThat(burst).hasSize(200).allMatch(Socket::isConnected);
        } finally {
            for (Socket s : burst) {
                s.close();
            }
        }
        assertThat(d.acceptQueueSize()).isEqualTo(1024);
    }

    @Test
    void everyManagementRouteIsReadOnly() throws Exception {
        HealthRegistry health = new HealthRegistry(NodeIdentity.of(Role.EDGE, "nyc"));
        server = NodeServer.builder(health, ServerConfig.ephemeral()).traffic(hello()).managementRoute("/extra", hello())
                .build().start();

        assertThat(get(server.managementUri().resolve("/extra")).body()).isEqualTo("hello");
        for (String path : new String[] {"/extra", "/healthz", "/readyz"}) {
            HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(server.managementUri().resolve(path))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).as(path).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).as(path).contains("GET, HEAD");
        }
    }

    @Test
    void readinessFollowsItsChecks() throws Exception {
        HealthRegistry health = new HealthRegistry(NodeIdentity.of(Role.SHIELD, "iad"));
        AtomicBoolean storeOpen = new AtomicBoolean(false);
        health.register("store", () -> new ReadinessCheck.Result(storeOpen.get(), Map.of("path", "/var/cache")));
        server = NodeServer.builder(health, ServerConfig.ephemeral()).traffic(hello()).build().start();

        HttpResponse<String> notReady = get(server.managementUri().resolve("/readyz"));
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("\"status\" : \"not-ready\"").contains("/var/cache");

        storeOpen.set(true);
        HttpResponse<String> ready = get(server.managementUri().resolve("/readyz"));
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\" : \"ready\"");
    }

    @Test
    void aCheckThatThrowsIsNotReadyAndShowsWhy() throws Exception {
        HealthRegistry health = new HealthRegistry(NodeIdentity.of(Role.ADMIN, "local"));
        health.register("database", () -> {
            throw new IllegalStateException("connection refused");
        });
        server = NodeServer.builder(health, ServerConfig.ephemeral()).traffic(hello()).build().start();
        HttpResponse<String> readyz = get(server.managementUri().resolve("/readyz"));
        assertThat(readyz.statusCode()).isEqualTo(503);
        assertThat(readyz.body()).contains("connection refused");
    }

    @Test
    void aBusyTrafficPortIsAStartupErrorNamingTheKeyAndNothingStaysBound() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            ServerConfig config = new ServerConfig("127.0.0.1", port, "127.0.0.1", 0, 16,
                    Duration.ofSeconds(5), Duration.ZERO, Optional.empty());
            NodeServer node = NodeServer.builder(new HealthRegistry(NodeIdentity.of(Role.EDGE, "nyc")), config)
                    .traffic(hello()).build();
            assertThatThrownBy(node::start)
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("server.port")
                    .hasMessageContaining("edge-nyc");
            assertThat(node.isRunning()).isFalse();
        }
    }

    @Test
    void aBusyManagementPortIsAStartupErrorNamingItsKey() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            ServerConfig config = new ServerConfig("127.0.0.1", 0, "127.0.0.1", port, 16,
                    Duration.ofSeconds(5), Duration.ZERO, Optional.empty());
            NodeServer node = NodeServer.builder(new HealthRegistry(NodeIdentity.of(Role.EDGE, "nyc")), config)
                    .traffic(hello()).build();
            assertThatThrownBy(node::start)
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("management.port");
        }
    }
}
