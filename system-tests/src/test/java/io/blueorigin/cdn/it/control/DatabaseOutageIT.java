package io.blueorigin.cdn.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.testkit.FreePort;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestStack;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops under a running CDN: nodes keep serving what they cache, purges are refused with a 503
 * (never a 2xx for a purge nobody logged), and everything recovers when the database is back.
 */
class DatabaseOutageIT {

    @Test
    void nodesKeepServingPurgesAre503AndTheControlPlaneRecovers(@TempDir Path pgData) throws Exception {
        int port = FreePort.take();
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(port).start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE outage");
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/outage";
        try (TestStack s = TestStack.start(c -> c.withAdmin(url).edges("nyc").shields("iad"))) {
            AdminApi api = new AdminApi(s.cdn.admin().uri());
            String token = s.cdn.admin().bootstrapToken().orElseThrow();
            s.origin.on("/o/1", Reply.ok("one").withHeader("Cache-Control", "max-age=600"));
            s.origin.on("/o/2", Reply.ok("two").withHeader("Cache-Control", "max-age=600"));
            await().atMost(Duration.ofSeconds(20)).until(() -> s.cdn.edge("nyc").control().readiness().ready());
            s.client.get(s.edge("nyc", "/o/1"));
            s.client.get(s.edge("nyc", "/o/2"));

            pg.close();
            ContentResponse hit = s.client.get(s.edge("nyc", "/o/1"));
            assertThat(hit.getHeaders().get("X-Cache")).as("still serving").isEqualTo("HIT");
            AdminApi.Answer refused = api.post("/purge", "{\"urls\": [\"/o/1\"]}", token);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body().path("error").asText()).isEqualTo("database_unavailable");
            ContentResponse edgePurge = TestClient.send(s.client.request(s.edge("nyc", "/o/2")).method("PURGE")
                    .headers(h -> h.put("Authorization", "Bearer " + token)));
            assertThat(edgePurge.getStatus()).isEqualTo(503);
            assertThat(s.client.get(s.edge("nyc", "/o/2")).getHeaders().get("X-Cache")).as("nothing purged").isEqualTo("HIT");
            assertThat(s.cdn.edge("nyc").control().readiness().ready()).as("an edge stays ready without admin").isTrue();

            pg = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(port).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> api.post("/purge", "{\"urls\": [\"/o/1\"]}", token).status() == 202);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    !"HIT".equals(s.client.get(s.edge("nyc", "/o/1")).getHeaders().get("X-Cache")));
        } finally {
            pg.close();
        }
    }
}
