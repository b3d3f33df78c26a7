package io.blueorigin.cdn.proxy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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

/** Which failures of one admin replica make the client move on to the next, and which do not (issue 17). */
class AdminClientTest {
    private final HttpClient http = new HttpClient();
    private final List<Server> servers = new java.util.ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        http.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (Server s : servers) {
            s.stop();
        }
        http.stop();
    }

    /** A replica answering every call with {@code status} and a heartbeat's JSON; counts the calls. */
    private URI replica(int status, AtomicInteger calls) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                calls.incrementAndGet();
                response.setStatus(status);
                response.write(true, java.nio.ByteBuffer.wrap(("{\"latest\": 7, \"message\": \"status " + status + "\"}")
                        .getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        server.start();
        servers.add(server);
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    private static URI closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    private AdminClient.Beat beat(AdminClient client) throws IOException {
        return client.heartbeat("edge-nyc", 0, JsonNodeFactory.instance.objectNode());
    }

    @Test
    void aReplicaThatRefusesConnectionsOrSaysItIsUnavailableIsLeftForTheNextWhichKeepsTheCalls() throws Exception {
        AtomicInteger unavailableCalls = new AtomicInteger();
        AtomicInteger goodCalls = new AtomicInteger();
        URI down = closedPort();
        URI unavailable = replica(503, unavailableCalls);
        URI good = replica(200, goodCalls);
        AdminClient client = new AdminClient(http, List.of(down, unavailable, good), "t");

        assertThat(beat(client).latest()).isEqualTo(7);
        assertThat(client.currentAdmin()).isEqualTo(good);
        assertThat(client.failovers()).isEqualTo(2);
        assertThat(unavailableCalls).hasValue(1);

        assertThat(beat(client).latest()).as("the next call goes straight to the replica that answered").isEqualTo(7);
        assertThat(goodCalls).hasValue(2);
        assertThat(unavailableCalls).hasValue(1);
        assertThat(client.failovers()).isEqualTo(2);
    }

    @Test
    void anErrorOfTheCallItselfIsNotTheReplicasAndIsNotTriedElsewhere() throws Exception {
        AtomicInteger refusingCalls = new AtomicInteger();
        AtomicInteger otherCalls = new AtomicInteger();
        AdminClient client = new AdminClient(http, List.of(replica(403, refusingCalls), replica(200, otherCalls)), "t");

        assertThatThrownBy(() -> beat(client)).isInstanceOf(AdminClient.AdminError.class).hasMessageContaining("403");
        assertThat(otherCalls).hasValue(0);
        assertThat(client.failovers()).isZero();
    }

    @Test
    void whenEveryReplicaFailsTheCallFailsAsAdminUnavailableAfterOneRoundOfTheList() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AdminClient client = new AdminClient(http, List.of(closedPort(), replica(503, calls)), "t");

        assertThatThrownBy(() -> beat(client)).isInstanceOf(IOException.class).hasMessageContaining("503")
                .satisfies(e -> assertThat(InvalidationAgent.classify((Exception) e)).isEqualTo(InvalidationAgent.Failure.ADMIN_UNAVAILABLE));
        assertThat(calls).hasValue(1);
    }
}
