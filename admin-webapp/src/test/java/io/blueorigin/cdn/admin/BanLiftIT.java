package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code DELETE /api/v1/bans/{id}} over real HTTP and PostgreSQL: a lift is an entry of the log (202, status, the
 * agent's view), the ban is no longer handed to registering nodes nor listed active; 404, 409 x3 and 403 change
 * nothing.
 */
class BanLiftIT {
    private TestAdmin admin;
    private ApiClient api;

    @BeforeEach
    void start() {
        admin = TestAdmin.start();
        api = admin.admin();
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private long ban(String prefix) {
        ApiClient.Reply reply = api.post("/api/v1/bans", "{\"kind\": \"prefix\", \"pattern\": \"" + prefix
                + "\", \"ttlSeconds\": 600}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        return reply.json().path("id").asLong();
    }

    private long entries() {
        return admin.count("SELECT count(*) FROM invalidations");
    }

    private JsonNode registration() {
        ApiClient.Reply reply = admin.node("edge-nyc").post("/api/v1/nodes/register", "{\"name\": \"edge-nyc\", \"role\":"
                + " \"edge\", \"pop\": \"nyc\", \"trafficUrl\": \"http://127.0.0.1:1\", \"managementUrl\":"
                + " \"http://127.0.0.1:2\", \"lastApplied\": 0}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private static List<Long> ids(JsonNode entries) {
        List<Long> ids = new ArrayList<>();
        entries.forEach(e -> ids.add(e.path("id").asLong()));
        return ids;
    }

    @Test
    void aLiftIsAnEntryOfTheLogAndTheBanIsNoLongerHandedOut() {
        long kept = ban("/keep/");
        long lifted = ban("/b/");
        assertThat(ids(registration().path("activeBans"))).containsExactly(kept, lifted);

        ApiClient.Reply reply = api.delete("/api/v1/bans/" + lifted);
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        long lift = reply.json().path("id").asLong();
        assertThat(lift).isGreaterThan(lifted);
        assertThat(reply.json().path("kind").asText()).isEqualTo("ban_lift");
        assertThat(reply.json().path("status").asText()).isEqualTo("/api/v1/invalidations/" + lift);
        assertThat(reply.header("Location")).contains("/api/v1/invalidations/" + lift);

        JsonNode status = api.get("/api/v1/invalidations/" + lift).json();
        assertThat(status.path("kind").asText()).isEqualTo("ban_lift");
        assertThat(status.path("liftedBan").asLong()).isEqualTo(lifted);
        assertThat(status.path("createdBy").asText()).isEqualTo("bootstrap");
        assertThat(status.path("nodes").isArray()).isTrue();

        JsonNode entry = admin.node("edge-nyc").get("/api/v1/invalidations?after=" + lifted).json().path("entries").path(0);
        assertThat(entry.path("id").asLong()).isEqualTo(lift);
        assertThat(entry.path("kind").asText()).isEqualTo("ban_lift");
        assertThat(entry.path("ban").asLong()).isEqualTo(lifted);

        assertThat(ids(registration().path("activeBans"))).containsExactly(kept);
        assertThat(admin.count("SELECT count(*) FROM reporting.active_bans WHERE id = " + lifted)).isZero();
        assertThat(admin.count("SELECT count(*) FROM reporting.active_bans WHERE id = " + kept)).isEqualTo(1);
        assertThat(admin.count("SELECT count(*) FROM reporting.invalidations WHERE id = " + lift
                + " AND target = 'lift of ban " + lifted + "'")).isEqualTo(1);
        assertThat(admin.count("SELECT count(*) FROM invalidations WHERE id = " + lifted + " AND ban_lift_id = " + lift
                + " AND ban_lifted_at = (SELECT created_at FROM invalidations WHERE id = " + lift + ")")).isEqualTo(1);
    }

    @Test
    void anUnknownIdIsA404AndAPathThatIsNoIdToo() {
        long before = entries();
        ApiClient.Reply unknown = api.delete("/api/v1/bans/999999");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.message()).contains("no ban 999999");
        assertThat(api.delete("/api/v1/bans/abc").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/bans/-1").status()).isEqualTo(404);
        assertThat(entries()).isEqualTo(before);
    }

    @Test
    void anEntryThatIsNoBanIsA409NamingItsKind() {
        long purge = api.post("/api/v1/purge", "{\"urls\": [\"/a\"]}").json().path("id").asLong();
        long before = entries();
        ApiClient.Reply reply = api.delete("/api/v1/bans/" + purge);
        assertThat(reply.status()).as(reply.body()).isEqualTo(409);
        assertThat(reply.message()).contains("entry " + purge + " is a purge, not a ban");
        assertThat(entries()).isEqualTo(before);
    }

    @Test
    void anExpiredBanIsA409() {
        long ban = ban("/old/");
        admin.sql("UPDATE invalidations SET ban_expires_at = now() - interval '1 second' WHERE id = " + ban);
        long before = entries();
        ApiClient.Reply reply = api.delete("/api/v1/bans/" + ban);
        assertThat(reply.status()).as(reply.body()).isEqualTo(409);
        assertThat(reply.message()).contains("ban " + ban + " expired at ");
        assertThat(entries()).isEqualTo(before);
    }

    @Test
    void aBanLiftedAlreadyIsA409NamingTheLift() {
        long ban = ban("/b/");
        long lift = api.delete("/api/v1/bans/" + ban).json().path("id").asLong();
        long before = entries();
        ApiClient.Reply again = api.delete("/api/v1/bans/" + ban);
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.message()).contains("ban " + ban + " was already lifted").contains("by entry " + lift)
                .contains("/api/v1/invalidations/" + lift);
        assertThat(entries()).isEqualTo(before);
        // a lift is no ban either
        assertThat(api.delete("/api/v1/bans/" + lift).message()).contains("is a ban_lift, not a ban");
    }

    @Test
    void concurrentLiftsOfOneBanAppendOneEntry() {
        long ban = ban("/b/");
        List<CompletableFuture<ApiClient.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replies.add(CompletableFuture.supplyAsync(() -> api.delete("/api/v1/bans/" + ban)));
        }
        List<Integer> statuses = replies.stream().map(f -> f.join().status()).sorted().toList();
        assertThat(statuses).containsExactly(202, 409, 409, 409);
        assertThat(admin.count("SELECT count(*) FROM invalidations WHERE kind = 'ban_lift'")).isEqualTo(1);
    }

    @Test
    void liftingNeedsThePurgeScope() {
        long ban = ban("/b/");
        ApiClient.Reply read = admin.as(admin.token("dashboard", Scope.READ)).delete("/api/v1/bans/" + ban);
        assertThat(read.status()).as(read.body()).isEqualTo(403);
        assertThat(read.message()).contains("DELETE /api/v1/bans/{id} needs a token with scope purge");
        assertThat(admin.anonymous().delete("/api/v1/bans/" + ban).status()).isEqualTo(401);
        assertThat(admin.as(admin.token("purger", Scope.PURGE)).delete("/api/v1/bans/" + ban).status()).isEqualTo(202);
    }
}
