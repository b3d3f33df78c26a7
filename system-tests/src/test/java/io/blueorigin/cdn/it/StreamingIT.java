package io.blueorigin.cdn.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.origin.DemoOrigin;
import io.blueorigin.cdn.origin.OriginConfig;
import io.blueorigin.cdn.origin.StaticBody;
import io.blueorigin.cdn.runtime.ServerConfig;
import io.blueorigin.cdn.testkit.TestCluster;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A large body streams through edge and shield byte for byte. */
class StreamingIT {

    @Test
    void aLargeObjectStreamsThroughBothTiersIntact() throws Exception {
        long size = 96L << 20;
        try (DemoOrigin origin = DemoOrigin.start(OriginConfig.defaults(ServerConfig.ephemeral()).withDelay(Duration.ZERO));
                TestCluster cdn = TestCluster.builder(origin.uri()).edges("nyc").start()) {
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(cdn.edge("nyc").uri() + "/static/" + size)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            long position = 0;
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = response.body()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] != StaticBody.byteAt(position + i)) {
                            throw new AssertionError("byte " + (position + i) + " differs");
                        }
                    }
                    position += n;
                }
            }
            assertThat(position).isEqualTo(size);
        }
    }
}
