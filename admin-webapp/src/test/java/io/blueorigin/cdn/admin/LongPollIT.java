package io.blueorigin.cdn.admin;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.admin.db.NotificationListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/invalidations?after=N&wait=S}: immediate answers, waking on commit (also across two
 * admin replicas over one database, through LISTEN/NOTIFY), timeouts, batching, and no thread held while
 * waiting.
 */
class LongPollIT {
    private static String url;
    private static TestAdmin a;
    private static TestAdmin b;
    private static ApiClient agentOnA;
    private static ApiClient agentOnB;

    @BeforeAll
    static void start() {
        url = TestPostgres.freshDatabase();
        a = TestAdmin.start(url, Duration.ofSeconds(5));
        b = TestAdmin.start(url, Duration.ofSeconds(5));
        String token = a.nodeToken("edge-nyc");
        agentOnA = a.as(token);
        agentOnB = b.as(token);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.node.isListening() && b.node.isListening());
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    private static long latest() {
        return agentOnA.get("/api/v1/invalidations?after=0").json().path("latest").asLong();
    }

    private static long purge(TestAdmin admin, String path) {
        ApiClient.Reply reply = admin.admin().post("/api/v1/purge", "{\"urls\": [\"" + path + "\"]}");
        assertThat(reply.status()).isEqualTo(202);
        return reply.json().path("id").asLong();
    }

    @Test
    void answersAtOnceWhenEntriesExist() throws Exception {
        long before = latest();
        long id = purge(a, "/now");
        JsonNode answer = agentOnA.getAsync("/api/v1/invalidations?after=" + before + "&wait=25").get(10, SECONDS).json();
        assertThat(answer.path("entries").path(0).path("id").asLong()).isEqualTo(id);
        assertThat(answer.path("latest").asLong()).isGreaterThanOrEqualTo(id);
        assertThat(answer.path("oldestRetained").asLong()).isEqualTo(1);
    }

    @Test
    void aWaitingPollIsAnsweredWhenAPurgeCommits() throws Exception {
        long before = latest();
        CompletableFuture<ApiClient.Reply> poll = agentOnA.getAsync("/api/v1/invalidations?after=" + before + "&wait=25");
        await().atMost(Duration.ofSeconds(10)).until(() -> a.node.waitingLongPolls() == 1);
        assertThat(poll).isNotDone();

        long id = purge(a, "/wake");

        ApiClient.Reply reply = poll.get(10, SECONDS);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("entries").path(0).path("id").asLong()).isEqualTo(id);
        assertThat(reply.json().path("entries").path(0).path("urls").path(0).path("path").asText()).isEqualTo("/wake");
    }

    @Test
    void theReplicaThatCommitsWakesItsOwnPollsWithoutWaitingForTheNotification() throws Exception {
        // Which comes first on A, its own wake-up or the database's notification of the same commit, is a race
        // (the other finds the poll woken), and the own one usually wins; B, which commits nothing, is always
        // woken by the notification.
        long ownBefore = a.node.longPollsWokenByOwnCommits();
        long othersBefore = b.node.longPollsWokenByOwnCommits();
        for (int i = 0; i < 10; i++) {
            long before = latest();
            CompletableFuture<ApiClient.Reply> onA = agentOnA.getAsync("/api/v1/invalidations?after=" + before + "&wait=25");
            CompletableFuture<ApiClient.Reply> onB = agentOnB.getAsync("/api/v1/invalidations?after=" + before + "&wait=25");
            await().atMost(Duration.ofSeconds(10)).until(() -> a.node.waitingLongPolls() == 1 && b.node.waitingLongPolls() == 1);

            long id = purge(a, "/own-commit-" + i);

            assertThat(onA.get(10, SECONDS).json().path("entries").path(0).path("id").asLong()).isEqualTo(id);
            assertThat(onB.get(10, SECONDS).json().path("entries").path(0).path("id").asLong()).isEqualTo(id);
        }
        assertThat(a.node.longPollsWokenByOwnCommits() - ownBefore).isBetween(1L, 10L);
        assertThat(b.node.longPollsWokenByOwnCommits()).isEqualTo(othersBefore);
    }

    @Test
    void pollsTheCommittingReplicaWakesWriteTheAnswerRenderedInItsTransactionWithoutReadingTheLog() throws Exception {
        // each poll arrives after the newest entry: it parks, reading the log at most once; woken by a commit on its
        // own replica it writes the answer that commit rendered, unless the database's notification woke it first
        long reads = a.node.longPollReads();
        long skipped = a.node.longPollSkippedReads();
        for (int i = 0; i < 10; i++) {
            long before = agentOnB.get("/api/v1/invalidations?after=0").json().path("latest").asLong();
            CompletableFuture<ApiClient.Reply> onA = agentOnA.getAsync("/api/v1/invalidations?after=" + before + "&wait=25");
            await().atMost(Duration.ofSeconds(10)).until(() -> a.node.waitingLongPolls() == 1);

            long id = purge(a, "/rendered-" + i);

            JsonNode answer = onA.get(10, SECONDS).json();
            assertThat(answer.path("entries").size()).isEqualTo(1);
            assertThat(answer.path("entries").path(0).path("id").asLong()).isEqualTo(id);
            assertThat(answer.path("entries").path(0).path("urls").path(0).path("path").asText()).isEqualTo("/rendered-" + i);
            assertThat(answer.path("latest").asLong()).isEqualTo(id);
            assertThat(answer.path("oldestRetained").asLong()).isEqualTo(1);
        }
        long arrivals = a.node.longPollSkippedReads() - skipped;
        assertThat(a.node.longPollReads() - reads).as("10 arrivals (%d parked without a read), and fewer than 10 reads"
                + " after a wake-up", arrivals).isBetween(10L - arrivals, 19L - arrivals);
    }

    @Test
    void aPollAfterTheNewestCommittedEntryParksWithoutReadingTheLogAndIsStillWoken() throws Exception {
        // issue 17: at 500 nodes every purge brought one read per node as each came back to wait
        long first = purge(a, "/newest-0");
        await().atMost(Duration.ofSeconds(10)).until(() -> agentOnA.get("/api/v1/invalidations?after=0").json()
                .path("latest").asLong() == first);
        long reads = a.node.longPollReads();
        long skipped = a.node.longPollSkippedReads();
        CompletableFuture<ApiClient.Reply> waiting = agentOnA.getAsync("/api/v1/invalidations?after=" + first + "&wait=25");
        await().atMost(Duration.ofSeconds(10)).until(() -> a.node.waitingLongPolls() == 1);
        assertThat(a.node.longPollSkippedReads() - skipped).isEqualTo(1);
        assertThat(a.node.longPollReads()).isEqualTo(reads);

        long second = purge(b, "/newest-1"); // the other replica: this one hears of it by the database's notification
        JsonNode answer = waiting.get(10, SECONDS).json();
        assertThat(answer.path("entries").path(0).path("id").asLong()).isEqualTo(second);
        // a node behind the newest entry still reads
        assertThat(agentOnA.get("/api/v1/invalidations?after=" + first + "&wait=25").json().path("entries").path(0)
                .path("id").asLong()).isEqualTo(second);
    }

    @Test
    void aPollWaitingOnOneReplicaIsAnsweredWhenAnotherCommits() throws Exception {
        long before = latest();
        CompletableFuture<ApiClient.Reply> poll = agentOnB.getAsync("/api/v1/invalidations?after=" + before + "&wait=25");
        await().atMost(Duration.ofSeconds(10)).until(() -> b.node.waitingLongPolls() == 1);

        long id = purge(a, "/replica");

        // well before the 25 s wait: B heard A's commit through NOTIFY (B's fallback re-query is off while it listens)
        ApiClient.Reply reply = poll.get(10, SECONDS);
        assertThat(reply.json().path("entries").path(0).path("id").asLong()).isEqualTo(id);
        assertThat(b.node.isListening()).isTrue();
    }

    @Test
    void theListenerReconnectsWhenItsConnectionIsKilledAndWakesPollsAgain() throws Exception {
        String listener = "'" + a.name() + "-listener'";
        long killed = a.count("SELECT pid FROM pg_stat_activity WHERE application_name = " + listener);
        assertThat(a.count("SELECT count(*) FROM (SELECT pg_terminate_backend(" + killed + ")) t")).isEqualTo(1);

        // a new backend for the listener: it reconnected by itself
        await().atMost(Duration.ofSeconds(10)).until(() -> a.count("SELECT count(*) FROM pg_stat_activity"
                + " WHERE application_name = " + listener + " AND pid <> " + killed) == 1);
        await().atMost(Duration.ofSeconds(10)).until(a.node::isListening);

        long before = latest();
        CompletableFuture<ApiClient.Reply> poll = agentOnA.getAsync("/api/v1/invalidations?after=" + before + "&wait=25");
        await().atMost(Duration.ofSeconds(10)).until(() -> a.node.waitingLongPolls() == 1);
        long id = purge(b, "/reconnected");
        assertThat(poll.get(10, SECONDS).json().path("entries").path(0).path("id").asLong()).isEqualTo(id);
    }

    @Test
    void aPollWithNothingNewAnswersEmptyAfterItsWait() throws Exception {
        long before = latest();
        ApiClient.Reply reply = agentOnA.getAsync("/api/v1/invalidations?after=" + before + "&wait=1").get(10, SECONDS);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("entries").isArray()).isTrue();
        assertThat(reply.json().path("entries").isEmpty()).isTrue();
        assertThat(reply.json().path("latest").asLong()).isEqualTo(before);
        assertThat(reply.json().path("oldestRetained").asLong()).isEqualTo(1);
        assertThat(a.node.waitingLongPolls()).isZero();

        ApiClient.Reply immediate = agentOnA.get("/api/v1/invalidations?after=" + before);
        assertThat(immediate.json().path("entries").isEmpty()).isTrue();
    }

    @Test
    void waitingPollsHoldNoThreads() throws Exception {
        long before = latest();
        // more polls than the traffic pool has threads (64 in ServerConfig.ephemeral())
        List<CompletableFuture<ApiClient.Reply>> polls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            polls.add(agentOnA.getAsync("/api/v1/invalidations?after=" + before + "&wait=25"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> a.node.waitingLongPolls() == 100);
        assertThat(a.admin().getAsync("/api/v1/nodes").get(10, SECONDS).status()).isEqualTo(200);
        long readsBefore = a.node.longPollReads();

        long id = purge(a, "/many");

        for (CompletableFuture<ApiClient.Reply> poll : polls) {
            assertThat(poll.get(10, SECONDS).json().path("entries").path(0).path("id").asLong()).isEqualTo(id);
        }
        // the 100 polls the purge woke at the same position shared reads of the log (SharedReads)
        assertThat(a.node.longPollReads() - readsBefore).isLessThan(100);
    }

    /**
     * Polls a notification wakes share one read when its answer is small, and each streams its own when it is not:
     * both end with the same entries in id order, whatever the mix (two small purges, then three entries of about
     * 1 MiB committed in one go while the polls wait).
     */
    @Test
    void wokenPollsGetTheSameEntriesWhetherTheirReadIsSharedOrStreamed() throws Exception {
        for (int round = 0; round < 2; round++) {
            long before = latest();
            List<CompletableFuture<ApiClient.Reply>> polls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                polls.add(agentOnA.getAsync("/api/v1/invalidations?after=" + before + "&wait=25"));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> a.node.waitingLongPolls() == 3);
            if (round == 0) {
                purge(a, "/shared");
            } else {
                // three entries of about 1 MiB in one transaction, then the notification the API would send
                bulkPurges(3, 1000);
                a.sql("SELECT pg_notify('" + NotificationListener.CHANNEL + "', (SELECT max(id) FROM invalidations)::text)");
            }
            long latest = latest();
            for (CompletableFuture<ApiClient.Reply> poll : polls) {
                JsonNode answer = poll.get(10, SECONDS).json();
                assertThat(answer.path("latest").asLong()).isEqualTo(latest);
                assertThat(answer.path("entries").path(0).path("id").asLong()).isEqualTo(before + 1);
                long last = before;
                for (JsonNode entry : answer.path("entries")) {
                    assertThat(entry.path("id").asLong()).isEqualTo(last + 1);
                    last++;
                }
            }
        }
    }

    @Test
    void answersAtMost1000EntriesInIdOrder() {
        long before = latest();
        long token = a.count("SELECT min(id) FROM api_tokens");
        a.sql("SELECT pg_advisory_xact_lock(" + 0x696e76616c6f67L + "); INSERT INTO invalidations (kind, payload, created_by)"
                + " SELECT 'purge_all', '{}', " + token + " FROM generate_series(1, 1001)");
        JsonNode first = agentOnA.get("/api/v1/invalidations?after=" + before).json();
        assertThat(first.path("entries").size()).isEqualTo(1000);
        assertThat(first.path("entries").path(0).path("id").asLong()).isEqualTo(before + 1);
        assertThat(first.path("entries").path(999).path("id").asLong()).isEqualTo(before + 1000);
        assertThat(first.path("latest").asLong()).isEqualTo(before + 1001);
        JsonNode rest = agentOnA.get("/api/v1/invalidations?after=" + (before + 1000)).json();
        assertThat(rest.path("entries").size()).isEqualTo(1);
        assertThat(rest.path("entries").path(0).path("kind").asText()).isEqualTo("purge_all");
    }

    /** Appends {@code count} purges of 1000 URLs of about 1 KiB each (about 1 MiB per entry), as the API would store them. */
    private static void bulkPurges(int count, int urlLength) {
        long token = a.count("SELECT min(id) FROM api_tokens");
        a.sql("SELECT pg_advisory_xact_lock(" + 0x696e76616c6f67L + "); INSERT INTO invalidations (kind, payload, created_by)"
                + " SELECT 'purge', jsonb_build_object('urls', (SELECT jsonb_agg(jsonb_build_object('url', u.p, 'site', null,"
                + " 'path', u.p, 'query', null)) FROM (SELECT '/' || repeat('x', " + urlLength + ") || '/' || n || '/' || i AS p"
                + " FROM generate_series(1, 1000) i) u)), " + token + " FROM generate_series(1, " + count + ") n");
    }

    @Test
    void answersStayWithinMaxBytesAndTheRestFollowsInOrder() {
        long before = latest();
        bulkPurges(6, 1000);
        for (long maxBytes : new long[] {2L << 20, 4L << 20}) {
            long after = before;
            int answers = 0;
            while (after < before + 6) {
                ApiClient.Reply reply = agentOnA.get("/api/v1/invalidations?after=" + after + "&maxBytes=" + maxBytes);
                assertThat(reply.status()).isEqualTo(200);
                assertThat((long) reply.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(maxBytes);
                JsonNode entries = reply.json().path("entries");
                assertThat(entries.size()).isPositive();
                for (JsonNode entry : entries) {
                    assertThat(entry.path("id").asLong()).isEqualTo(++after);
                    assertThat(entry.path("urls").size()).isEqualTo(1000);
                }
                assertThat(reply.json().path("latest").asLong()).isEqualTo(before + 6);
                answers++;
            }
            assertThat(answers).as("%d bytes per answer", maxBytes).isGreaterThan(1);
        }
        ApiClient.Reply byDefault = agentOnA.get("/api/v1/invalidations?after=" + before);
        assertThat((long) byDefault.body().length()).isLessThanOrEqualTo(4L << 20);
        assertThat(byDefault.json().path("entries").size()).as("4 MiB by default: room for three or four").isBetween(3, 4);
        assertThat(a.node.waitingLongPolls()).isZero();
        awaitNoActiveConnection("the polls gave their connections back");
    }

    /**
     * A leaked connection stays active for good; admin's health checker borrows one for a moment each
     * {@code health.interval}, so the pool is judged until it is seen idle (a leak never is).
     */
    private static void awaitNoActiveConnection(String why) {
        await(why).atMost(java.time.Duration.ofSeconds(5)).pollInterval(java.time.Duration.ofMillis(10))
                .until(() -> activeConnections(a) == 0);
    }

    private static int activeConnections(TestAdmin admin) {
        return ((com.zaxxer.hikari.HikariDataSource) admin.node.database().dataSource()).getHikariPoolMXBean().getActiveConnections();
    }

    @Test
    void anEntryLargerThanAnAnswerFailsThePollWithoutAPartialAnswer() {
        long before = latest();
        bulkPurges(1, 3000); // about 3 MiB: not made through the API (its requests are 1 MiB at most)
        ApiClient.Reply small = agentOnA.get("/api/v1/invalidations?after=" + before + "&maxBytes=" + (2L << 20));
        assertThat(small.status()).isEqualTo(500);
        assertThat(small.error()).isEqualTo("internal");
        assertThat(agentOnA.get("/api/v1/invalidations?after=" + before + "&maxBytes=" + (4L << 20)).json().path("entries")
                .size()).isEqualTo(1);
        assertThat(a.node.waitingLongPolls()).isZero();
        awaitNoActiveConnection("the failed poll gave its connection back");
    }

    @Test
    void queryParametersAreValidated() {
        assertThat(agentOnA.get("/api/v1/invalidations").message())
                .isEqualTo("after: required query parameter (an integer 0..9223372036854775807)");
        assertThat(agentOnA.get("/api/v1/invalidations?after=-1").message()).startsWith("after: -1 is out of range");
        assertThat(agentOnA.get("/api/v1/invalidations?after=x").message()).startsWith("after: 'x' is not an integer");
        assertThat(agentOnA.get("/api/v1/invalidations?after=0&wait=31").message())
                .isEqualTo("wait: 31 is out of range (expected 0..30)");
        assertThat(agentOnA.get("/api/v1/invalidations?after=0&after=1").message()).isEqualTo("after: given 2 times (expected once)");
        assertThat(agentOnA.get("/api/v1/invalidations?after=0&timeout=5").status()).isEqualTo(400);
        assertThat(agentOnA.get("/api/v1/invalidations?after=0&maxBytes=1048576").message())
                .isEqualTo("maxBytes: 1048576 is out of range (expected 2097152..67108864)");
    }

    @Test
    void stoppingAnAdminAnswersItsWaitingPollsAtOnce() throws Exception {
        TestAdmin c = TestAdmin.start(url, Duration.ofSeconds(5));
        try {
            long before = latest();
            CompletableFuture<ApiClient.Reply> poll = c.node("edge-nyc").getAsync("/api/v1/invalidations?after=" + before + "&wait=25");
            await().atMost(Duration.ofSeconds(10)).until(() -> c.node.waitingLongPolls() == 1);
            c.close();
            ApiClient.Reply reply = poll.get(10, SECONDS);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().path("entries").isEmpty()).isTrue();
        } finally {
            c.close();
        }
    }
}
