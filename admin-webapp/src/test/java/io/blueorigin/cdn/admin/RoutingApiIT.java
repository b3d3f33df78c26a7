package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.blueorigin.cdn.admin.health.HealthCheckConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The registry's operator side and the routing view: registration placement and its 400s, POPs, drain and
 * undrain with their rows, and the {@code GET /api/v1/routing} long-poll. Health checks are slowed to once a
 * minute here, so no probe changes a state while a test runs.
 */
class RoutingApiIT {
    private static final HealthCheckConfig QUIET = new HealthCheckConfig(Duration.ofMinutes(1), Duration.ofSeconds(1),
            2, 2, Duration.ofSeconds(30), Duration.ofSeconds(60));
    private TestAdmin admin;

    @BeforeEach
    void start() {
        admin = TestAdmin.start(TestPostgres.freshDatabase(), Duration.ofSeconds(5), QUIET);
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private static String registration(String name, String extra) {
        return "{\"name\": \"" + name + "\", \"role\": \"edge\", \"pop\": \"lhr\", \"trafficUrl\": \"http://127.0.0.1:8081\","
                + " \"managementUrl\": \"http://127.0.0.1:18081\", \"lastApplied\": 0" + extra + "}";
    }

    private ApiClient.Reply register(String name, String extra) {
        return admin.node(name).post("/api/v1/nodes/register", registration(name, extra));
    }

    private JsonNode routing() {
        ApiClient.Reply reply = admin.admin().get("/api/v1/routing");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    /** extra body fields | field the 400 names. */
    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', textBlock = """
        , "latitude": 91, "longitude": 0          | latitude
        , "latitude": 0, "longitude": -180.5      | longitude
        , "latitude": "51", "longitude": 0        | latitude
        , "latitude": 51.47                       | longitude
        , "longitude": -0.45                      | latitude
        , "weight": 0                             | weight
        , "weight": 1001                          | weight
        , "addresses": ["edge.example.com"]       | addresses[0]
        , "addresses": ["127.0.0.1", "01.2.3.4"]  | addresses[1]
        , "addresses": ["fe80::1%eth0"]           | addresses[0]
        , "publicUrl": "ftp://x"                  | publicUrl
        """)
    void registrationValidatesThePlacementFields(String extra, String field) {
        ApiClient.Reply reply = register("edge-lhr", extra);
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.message()).startsWith(field + ":");
    }

    @Test
    void theRoutingViewPlacesNodesAtTheirOwnOrTheirPopsCoordinates() {
        assertThat(register("edge-lhr", ", \"weight\": 250, \"publicUrl\": \"http://198.51.100.7:8081\"").status()).isEqualTo(200);
        assertThat(register("edge-own", ", \"latitude\": 40, \"longitude\": -74, \"addresses\": [\"192.0.2.1\", \"2001:db8::1\"]")
                .status()).isEqualTo(200);
        JsonNode before = routing();
        JsonNode lhr = node(before, "edge-lhr");
        assertThat(lhr.path("latitude").isNull()).isTrue(); // no POP declared yet

        ApiClient.Reply put = admin.admin().put("/api/v1/pops/lhr", "{\"latitude\": 51.47, \"longitude\": -0.4543}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        JsonNode view = routing();
        assertThat(view.path("version").asLong()).isGreaterThan(before.path("version").asLong());
        List<String> fields = iterable(view.fieldNames());
        assertThat(fields).containsExactly("version", "pops", "nodes");
        assertThat(view.path("pops").path(0).path("name").asText()).isEqualTo("lhr");
        lhr = node(view, "edge-lhr");
        assertThat(iterable(lhr.fieldNames())).containsExactly("name", "role", "pop", "publicUrl", "trafficUrl",
                "addresses", "latitude", "longitude", "weight", "state", "stateSince");
        assertThat(lhr.path("latitude").asDouble()).isEqualTo(51.47);
        assertThat(lhr.path("weight").asInt()).isEqualTo(250);
        assertThat(lhr.path("publicUrl").asText()).isEqualTo("http://198.51.100.7:8081");
        assertThat(lhr.path("addresses").toString()).isEqualTo("[\"198.51.100.7\"]");
        assertThat(lhr.path("state").asText()).isEqualTo("healthy");
        JsonNode own = node(view, "edge-own");
        assertThat(own.path("latitude").asDouble()).isEqualTo(40.0);
        assertThat(own.path("addresses").toString()).isEqualTo("[\"192.0.2.1\",\"2001:db8::1\"]");
        assertThat(own.path("publicUrl").asText()).isEqualTo("http://127.0.0.1:8081");

        assertThat(admin.node("edge-lhr").get("/api/v1/routing").status()).isEqualTo(200); // node tokens may read it
        assertThat(admin.as(admin.token("ops", Scope.READ)).delete("/api/v1/pops/lhr").status()).isEqualTo(403);
        assertThat(admin.admin().delete("/api/v1/pops/lhr").status()).isEqualTo(204);
        assertThat(admin.admin().delete("/api/v1/pops/lhr").status()).isEqualTo(404);
        assertThat(node(routing(), "edge-lhr").path("latitude").isNull()).isTrue();
    }

    @Test
    void drainAndUndrainWriteOneRowEachAreIdempotentAndSurviveARestart() {
        register("edge-lhr", "");
        ApiClient.Reply drained = admin.admin().post("/api/v1/nodes/edge-lhr/drain", "{}");
        assertThat(drained.status()).as(drained.body()).isEqualTo(200);
        assertThat(drained.json().path("state").asText()).isEqualTo("draining");
        assertThat(drained.json().path("changed").asBoolean()).isTrue();
        assertThat(admin.admin().post("/api/v1/nodes/edge-lhr/drain", "{}").json().path("changed").asBoolean()).isFalse();
        register("edge-lhr", ""); // a drained node that restarts stays drained
        assertThat(node(routing(), "edge-lhr").path("state").asText()).isEqualTo("draining");

        JsonNode history = admin.admin().get("/api/v1/nodes/edge-lhr/history").json().path("history");
        assertThat(history.size()).isEqualTo(2); // registered, drained
        assertThat(history.path(0).path("to").asText()).isEqualTo("draining");
        assertThat(history.path(0).path("from").asText()).isEqualTo("healthy");
        assertThat(history.path(0).path("actor").asText()).matches("token .+ \\(id \\d+\\)");
        assertThat(history.path(1).path("from").isNull()).isTrue();
        assertThat(history.path(1).path("actor").asText()).isEqualTo("node edge-lhr");

        assertThat(admin.admin().post("/api/v1/nodes/edge-lhr/undrain", "{}").json().path("state").asText()).isEqualTo("healthy");
        assertThat(admin.admin().post("/api/v1/nodes/edge-lhr/undrain", "{}").json().path("changed").asBoolean()).isFalse();
        assertThat(admin.count("SELECT count(*) FROM node_state_changes")).isEqualTo(3);
        assertThat(admin.admin().get("/api/v1/nodes/edge-lhr/history?limit=1").json().path("history").size()).isEqualTo(1);
        assertThat(admin.admin().get("/api/v1/nodes/edge-lhr/history?limit=0").status()).isEqualTo(400);

        assertThat(admin.admin().post("/api/v1/nodes/edge-nope/drain", "{}").status()).isEqualTo(404);
        assertThat(admin.admin().get("/api/v1/nodes/edge-nope/history").status()).isEqualTo(404);
        assertThat(admin.as(admin.token("ops", Scope.READ)).post("/api/v1/nodes/edge-lhr/drain", "{}").status()).isEqualTo(403);
        JsonNode listed = admin.admin().get("/api/v1/nodes").json().path("nodes").path(0);
        assertThat(listed.path("state").asText()).isEqualTo("healthy");
        assertThat(listed.path("weight").asInt()).isEqualTo(100);
    }

    @Test
    void theLongPollAnswersWhenTheVersionRisesAndAtTheDeadlineWithTheSameVersion() throws Exception {
        register("edge-lhr", "");
        long version = routing().path("version").asLong();

        CompletableFuture<ApiClient.Reply> waiting = CompletableFuture.supplyAsync(
                () -> admin.admin().get("/api/v1/routing?after=" + version + "&wait=20"));
        await().until(() -> admin.node.waitingRoutingPolls() == 1);
        assertThat(waiting).isNotDone();
        admin.admin().post("/api/v1/nodes/edge-lhr/drain", "{}");
        ApiClient.Reply woken = waiting.get(10, TimeUnit.SECONDS);
        assertThat(woken.status()).isEqualTo(200);
        assertThat(woken.json().path("version").asLong()).isGreaterThan(version);
        assertThat(node(woken.json(), "edge-lhr").path("state").asText()).isEqualTo("draining");

        long now = woken.json().path("version").asLong();
        ApiClient.Reply deadline = admin.admin().get("/api/v1/routing?after=" + now + "&wait=1");
        assertThat(deadline.status()).isEqualTo(200);
        assertThat(deadline.json().path("version").asLong()).isEqualTo(now);
        assertThat(admin.admin().get("/api/v1/routing?after=0&wait=31").status()).isEqualTo(400);
        assertThat(admin.admin().get("/api/v1/routing?after=-1").status()).isEqualTo(400);
    }

    @Test
    void everyPollOfAVersionGetsTheSameViewRenderedOnce() throws Exception {
        // issue 17: with 500 nodes registered, each routing poller rendering the whole fleet again on every health
        // change was most of admin's CPU
        register("edge-lhr", "");
        long version = routing().path("version").asLong();
        List<CompletableFuture<ApiClient.Reply>> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(CompletableFuture.supplyAsync(() -> admin.admin().get("/api/v1/routing?after=" + version + "&wait=20")));
        }
        await().until(() -> admin.node.waitingRoutingPolls() == 5);
        long renders = admin.node.routingRenders();
        admin.admin().post("/api/v1/nodes/edge-lhr/drain", "{}");
        String first = waiting.get(0).get(10, TimeUnit.SECONDS).body();
        for (CompletableFuture<ApiClient.Reply> poll : waiting) {
            ApiClient.Reply woken = poll.get(10, TimeUnit.SECONDS);
            assertThat(woken.body()).isEqualTo(first);
            assertThat(node(woken.json(), "edge-lhr").path("state").asText()).isEqualTo("draining");
        }
        assertThat(routing().toString()).isEqualTo(admin.admin().get("/api/v1/routing").json().toString());
        assertThat(admin.node.routingRenders() - renders).as("5 polls woken by one change, then 2 reads of it").isEqualTo(1);
    }

    private static JsonNode node(JsonNode view, String name) {
        for (JsonNode node : view.path("nodes")) {
            if (node.path("name").asText().equals(name)) {
                return node;
            }
        }
        throw new AssertionError("no node " + name + " in " + view);
    }

    private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
        java.util.ArrayList<T> list = new java.util.ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }
}
