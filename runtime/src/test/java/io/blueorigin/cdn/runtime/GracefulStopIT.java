package io.blueorigin.cdn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.junit.jupiter.api.Test;

/**
 * {@link NodeServer#close()} is graceful: a request in flight finishes (within {@code server.stop-timeout}) and
 * requests arriving meanwhile get 503 marked {@code shutting-down} (so a downstream node retries elsewhere), while
 * an idle keep-alive connection is open. That the stop then closes idle connections at once rather than after
 * Jetty's one-second shutdown idle timeout is a matter of time, measured by the suite (SitesApiIT 41 s -> 20 s),
 * not asserted here.
 */
class GracefulStopIT {
    @Test
    void aRequestInFlightFinishesAndNewOnesGet503WhileAnIdleConnectionIsOpen() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Handler handler = new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, Response response,
                    org.eclipse.jetty.util.Callback callback) throws Exception {
                if (request.getHttpURI().getPath().equals("/hold")) {
                    entered.countDown();
                    release.await(30, TimeUnit.SECONDS);
                }
                response.setStatus(200);
                response.write(true, java.nio.ByteBuffer.wrap("done".getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        };
        ServerConfig config = new ServerConfig("127.0.0.1", 0, "127.0.0.1", 0, 16, Duration.ofSeconds(30),
                Duration.ofSeconds(20), Optional.empty());
        NodeServer server = NodeServer.builder(new HealthRegistry(NodeIdentity.of(Role.EDGE, "nyc")), config)
                .traffic(handler).build().start();
        HttpClient idle = HttpClient.newHttpClient();
        HttpClient client = HttpClient.newHttpClient();
        URI base = server.uri();
        // a keep-alive connection that stays open and idle through the stop
        assertThat(idle.send(HttpRequest.newBuilder(base.resolve("/warm")).build(), HttpResponse.BodyHandlers.ofString())
                .body()).isEqualTo("done");
        CompletableFuture<HttpResponse<String>> held = client.sendAsync(
                HttpRequest.newBuilder(base.resolve("/hold")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::close);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            HttpResponse<String> refused = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(base.resolve("/new")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue(NodeServer.ERROR_FIELD)).hasValue(NodeServer.SHUTTING_DOWN);
        });
        assertThat(stopped).isNotDone();

        release.countDown();
        HttpResponse<String> finished = held.get(10, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).isEqualTo("done");
        stopped.get(10, TimeUnit.SECONDS);
        assertThat(server.isRunning()).isFalse();
    }
}
