package io.blueorigin.cdn.it.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.blueorigin.cdn.proxy.ProxyNode;
import io.blueorigin.cdn.proxy.control.TierKeys;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestStack;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An edge signs the {@code Blue-Origin-Invalidation} field of its fetches with the tier key admin handed it
 * (here the edge fetches from the origin directly, so the origin shows what a shield would receive), and
 * after a rotation it switches to the new version only once that version has settled.
 */
class OrderingFieldIT {

    private static TierKeys keysOf(TestStack s) throws Exception {
        Map<Integer, byte[]> secrets = new HashMap<>();
        try (Connection c = s.cdn.admin().database().dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version, secret FROM tier_keys")) {
            while (rs.next()) {
                secrets.put(rs.getInt(1), rs.getBytes(2));
            }
        }
        return TierKeys.of(secrets.keySet().iterator().next(), secrets);
    }

    @Test
    void anEdgeSignsItsPositionWithTheTierKey() throws Exception {
        try (TestStack s = TestStack.start(c -> c.withAdmin().edges("nyc").shields())) {
            ProxyNode edge = s.cdn.edge("nyc");
            await().atMost(Duration.ofSeconds(20)).until(() -> edge.control().readiness().ready());
            AdminApi api = new AdminApi(s.cdn.admin().uri());
            String token = s.cdn.admin().bootstrapToken().orElseThrow();
            long id = api.invalidate("/purge", "{\"urls\": [\"/elsewhere\"]}", token);
            await().atMost(Duration.ofSeconds(10)).until(() -> edge.control().local().lastApplied() == id);

            s.origin.on("/signed", Reply.ok("x").withHeader("Cache-Control", "max-age=60"));
            s.client.get(s.edge("nyc", "/signed"));
            String field = s.origin.last("/signed").orElseThrow().header("Blue-Origin-Invalidation").orElseThrow();
            assertThat(field).startsWith(id + "; node=edge-nyc; key=1; sig=");
            assertThat(keysOf(s).verifiedId(field)).isEqualTo(id);

            // a new version: verified everywhere at once, signed with only once it settled (3 heartbeat intervals)
            assertThat(api.post("/tier-keys", "{}", token).status()).isEqualTo(201);
            try (Connection c = s.cdn.admin().database().dataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE tier_keys SET created_at = now() - interval '1 hour' WHERE version = 2");
            }
            s.origin.on("/signed2", Reply.ok("x").withHeader("Cache-Control", "max-age=60"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                s.client.get(s.edge("nyc", "/signed2?" + System.nanoTime()));
                assertThat(s.origin.last("/signed2").orElseThrow().header("Blue-Origin-Invalidation").orElseThrow())
                        .as("after a heartbeat the edge signs with version 2").contains("; key=2; ");
            });
            assertThat(keysOf(s).verifiedId(s.origin.last("/signed2").orElseThrow().header("Blue-Origin-Invalidation")
                    .orElseThrow())).isEqualTo(id);
        }
    }
}
