package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blueorigin.cdn.admin.db.Retention;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /api/v1/sites} over real HTTP on PostgreSQL: CRUD, validation naming the field, the one-host-one-site
 * rule under concurrency, scopes, the audit, and the site changes in the ordered log nodes follow (long-poll,
 * registration, {@code sitesVersion}), and invalidations scoped to a site.
 */
class SitesApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
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

    private static String site(String hosts, String origin) {
        return "{\"hosts\": [" + hosts + "], \"origins\": [{\"url\": \"" + origin + "\"}]}";
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }

    /** PUTs a site, expecting {@code status}; answers its version. */
    private long put(String name, String body, int status) {
        ApiClient.Reply reply = api.put("/api/v1/sites/" + name, body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        return reply.json().path("version").asLong();
    }

    /** The long-poll's answer for entries after {@code after}, as node edge-nyc (answers at once). */
    private JsonNode poll(long after) {
        ApiClient.Reply reply = admin.node("edge-nyc").get("/api/v1/invalidations?after=" + after);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private long logSize() {
        return admin.count("SELECT count(*) FROM invalidations");
    }

    private static Set<String> keys(JsonNode object) {
        Set<String> keys = new TreeSet<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void createReadReplaceDeleteWithVersionsFromTheLog() {
        assertThat(api.get("/api/v1/sites").json()).isEqualTo(json("{\"version\": 0, \"sites\": []}"));

        ApiClient.Reply created = api.put("/api/v1/sites/img", "{\"name\": \"img\", \"hosts\": [\"IMG.example.com\","
                + " \"*.img.example.com\"], \"origins\": [{\"url\": \"http://10.0.0.7:8080\", \"host\": \"img.example.com\"}],"
                + " \"caching\": {\"edgeTtlCap\": \"30s\", \"query\": {\"mode\": \"allow-list\", \"allow\": [\"w\"]}}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).contains("/api/v1/sites/img");
        long v1 = created.json().path("version").asLong();
        assertThat(v1).isPositive();
        JsonNode definition = created.json().path("site");
        assertThat(definition.path("name").asText()).isEqualTo("img");
        assertThat(definition.path("hosts")).isEqualTo(json("[\"img.example.com\", \"*.img.example.com\"]"));
        assertThat(definition.path("origins").path(0).path("connectTimeout").asText()).isEqualTo("2s");

        JsonNode one = api.get("/api/v1/sites/img").json();
        assertThat(one.path("site")).isEqualTo(definition);
        assertThat(one.path("version").asLong()).isEqualTo(v1);
        assertThat(one.path("createdBy").asText()).isEqualTo("bootstrap");

        // the name may be left out of the body; a replacement answers 200 with a newer version
        long v2 = put("img", site("\"img.example.com\"", "https://origin.example.com"), 200);
        assertThat(v2).isGreaterThan(v1);
        JsonNode replaced = api.get("/api/v1/sites/img").json();
        assertThat(replaced.path("version").asLong()).isEqualTo(v2);
        assertThat(replaced.path("site").path("origins").path(0).path("url").asText()).isEqualTo("https://origin.example.com");
        assertThat(replaced.path("createdAt").asText()).isEqualTo(one.path("createdAt").asText());

        long v3 = put("www", site("\"www.example.com\"", "http://10.0.0.8"), 201);
        JsonNode table = api.get("/api/v1/sites").json();
        assertThat(table.path("version").asLong()).isEqualTo(v3);
        assertThat(table.path("sites").findValuesAsText("name")).containsExactly("img", "www");

        ApiClient.Reply deleted = api.delete("/api/v1/sites/img");
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        long v4 = deleted.json().path("version").asLong();
        assertThat(v4).isGreaterThan(v3);
        assertThat(api.get("/api/v1/sites/img").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/sites/img").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/sites/nosuch").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/sites/NOT_A_NAME").status()).isEqualTo(404);
        table = api.get("/api/v1/sites").json();
        assertThat(table.path("version").asLong()).as("a delete is a change of the table").isEqualTo(v4);
        assertThat(table.path("sites").findValuesAsText("name")).containsExactly("www");
        assertThat(admin.count("SELECT count(*) FROM sites")).isEqualTo(1);
    }

    /** path name | body | field | message fragment. */
    @ParameterizedTest(name = "{2}: {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "img | {\"hosts\": [\"a.example.com\"], \"origins\": [{\"url\": \"ftp://10.0.0.7\"}]} | origins[0].url | expected an http:// or https:// URL",
            "img | {\"hosts\": [\"*.*.x.com\"], \"origins\": [{\"url\": \"http://10.0.0.7\"}]} | hosts[0] | a wildcard is one '*.' label",
            "img | {\"origins\": [{\"url\": \"http://10.0.0.7\"}], \"caching\": {\"edgeTtlCap\": \"400d\"}} | caching.edgeTtlCap | expected a duration from 0s to 365d",
            "img | {\"origins\": [{\"url\": \"http://10.0.0.7\"}], \"colour\": \"blue\"} | colour | unknown field",
            "img | {\"name\": \"www\", \"origins\": [{\"url\": \"http://10.0.0.7\"}]} | name | 'www' differs from the path's 'img'",
            "IMG | {\"origins\": [{\"url\": \"http://10.0.0.7\"}]} | name | in the path is not a site name",
            "img | {\"hosts\": [\"a.example.com\"]} | origins | expected 1 to 16 origins",
            "img | [1, 2] | body | expected a JSON object",
            "img | {\"origins\": [{\"url\": \"http://10.0.0.7\"}], \"caching\": {\"query\": {\"mode\": \"allow-list\", \"allow\": [\"a\\u0000\"]}}} | caching.query.allow[0] | control character U+0000",
    })
    void anInvalidDefinitionIs400NamingTheFieldAndChangesNothing(String name, String body, String field, String fragment) {
        long before = logSize();
        ApiClient.Reply reply = api.put("/api/v1/sites/" + name, body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("bad_request");
        assertThat(reply.json().path("field").asText()).as(reply.body()).isEqualTo(field);
        assertThat(reply.message()).startsWith(field + ": ").contains(fragment);
        assertThat(logSize()).isEqualTo(before);
        assertThat(admin.count("SELECT count(*) FROM sites") + admin.count("SELECT count(*) FROM site_audit")).isZero();
    }

    @Test
    void malformedJsonIs400AndChangesNothing() {
        for (String body : List.of("{\"hosts\": [", "", "{\"hosts\": []} x", "{\"a\": 1, \"a\": 2}")) {
            ApiClient.Reply reply = api.put("/api/v1/sites/img", body);
            assertThat(reply.status()).as(body + " -> " + reply.body()).isEqualTo(400);
            assertThat(reply.message()).startsWith("body");
        }
        ApiClient.Reply text = api.send(api.request("/api/v1/sites/img").header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(site("", "http://10.0.0.7"))));
        assertThat(text.status()).isEqualTo(415);
        assertThat(logSize()).isZero();
        assertThat(admin.count("SELECT count(*) FROM sites")).isZero();
    }

    /** Whatever the names' order (the table is kept by name), the 400 names the site that holds the host. */
    @ParameterizedTest(name = "existing {0}, new {1}")
    @CsvSource({"www, img", "aaa, zzz", "zzz, aaa"})
    void aHostOfAnotherSiteIs400NamingThatSite(String existing, String added) {
        put(existing, site("\"www.example.com\", \"*.cdn.example.com\"", "http://10.0.0.8"), 201);
        long before = logSize();

        ApiClient.Reply exact = api.put("/api/v1/sites/" + added, site("\"img.example.com\", \"WWW.example.com\"", "http://10.0.0.7"));
        assertThat(exact.status()).as(exact.body()).isEqualTo(400);
        assertThat(exact.json().path("field").asText()).isEqualTo("hosts[1]");
        assertThat(exact.message()).isEqualTo("hosts[1]: 'www.example.com' is already claimed by site '" + existing
                + "'; a host belongs to one site at most (remove it there first)");

        ApiClient.Reply underWildcard = api.put("/api/v1/sites/" + added, site("\"a.cdn.example.com\"", "http://10.0.0.7"));
        assertThat(underWildcard.status()).as(underWildcard.body()).isEqualTo(400);
        assertThat(underWildcard.json().path("field").asText()).isEqualTo("hosts[0]");
        assertThat(underWildcard.message()).contains("'a.cdn.example.com' is already claimed by site '" + existing
                + "' (as '*.cdn.example.com')");

        ApiClient.Reply sameWildcard = api.put("/api/v1/sites/" + added, site("\"*.cdn.example.com\"", "http://10.0.0.7"));
        assertThat(sameWildcard.status()).isEqualTo(400);
        assertThat(sameWildcard.message()).contains("site '" + existing + "'");

        assertThat(logSize()).as("nothing appended").isEqualTo(before);
        assertThat(api.get("/api/v1/sites/" + added).status()).isEqualTo(404);
        // the deeper host is not under the one-level wildcard; and a site may keep its own hosts when replaced
        put(added, site("\"b.a.cdn.example.com\", \"cdn.example.com\"", "http://10.0.0.7"), 201);
        put(existing, site("\"www.example.com\", \"*.cdn.example.com\", \"example.com\"", "http://10.0.0.9"), 200);
    }

    @Test
    void readScopeReadsButCannotWriteAndNodesReadOnlyTheTable() {
        put("img", site("\"img.example.com\"", "http://10.0.0.7"), 201);
        ApiClient reader = admin.as(admin.token("dashboard", Scope.READ));
        assertThat(reader.get("/api/v1/sites").status()).isEqualTo(200);
        assertThat(reader.get("/api/v1/sites/img").status()).isEqualTo(200);
        assertThat(reader.get("/api/v1/sites/img/history").status()).isEqualTo(200);
        ApiClient.Reply refused = reader.put("/api/v1/sites/img", site("\"img.example.com\"", "http://10.0.0.8"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.message()).contains("needs a token with scope admin");
        assertThat(reader.delete("/api/v1/sites/img").status()).isEqualTo(403);
        ApiClient purger = admin.as(admin.token("purger", Scope.PURGE));
        assertThat(purger.put("/api/v1/sites/www", site("", "http://10.0.0.8")).status()).isEqualTo(403);

        ApiClient node = admin.node("edge-nyc");
        ApiClient.Reply table = node.get("/api/v1/sites");
        assertThat(table.status()).as(table.body()).isEqualTo(200);
        assertThat(table.json().path("sites").findValuesAsText("name")).containsExactly("img");
        assertThat(node.get("/api/v1/sites/img").status()).isEqualTo(403);
        assertThat(node.put("/api/v1/sites/img", site("", "http://10.0.0.8")).status()).isEqualTo(403);
        assertThat(node.delete("/api/v1/sites/img").status()).isEqualTo(403);
        assertThat(admin.anonymous().get("/api/v1/sites").status()).isEqualTo(401);
        assertThat(api.get("/api/v1/sites/img").json().path("site").path("origins").path(0).path("url").asText())
                .isEqualTo("http://10.0.0.7");
    }

    @Test
    void historyRecordsWhoWhenBeforeAndAfterOfEachChange() {
        ApiClient alice = admin.as(admin.token("alice", Scope.ADMIN));
        ApiClient.Reply first = alice.send(alice.request("/api/v1/sites/img").header("Content-Type", "application/json")
                .header("X-Request-ID", "change-1").PUT(HttpRequest.BodyPublishers.ofString(site("\"img.example.com\"", "http://10.0.0.7"))));
        assertThat(first.status()).isEqualTo(201);
        long v2 = put("img", site("\"img.example.com\"", "http://10.0.0.8"), 200);
        long v3 = alice.delete("/api/v1/sites/img").json().path("version").asLong();

        ApiClient.Reply reply = api.get("/api/v1/sites/img/history");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode history = reply.json().path("history");
        assertThat(history.size()).isEqualTo(3);
        assertThat(history.findValuesAsText("action")).containsExactly("delete", "put", "put");
        assertThat(history.findValuesAsText("actor")).containsExactly("alice", "bootstrap", "alice");
        assertThat(history.path(0).path("version").asLong()).isEqualTo(v3);
        assertThat(history.path(1).path("version").asLong()).isEqualTo(v2);
        assertThat(history.path(2).path("version").asLong()).isEqualTo(first.json().path("version").asLong());
        assertThat(history.path(2).path("requestId").asText()).isEqualTo("change-1");
        assertThat(history.path(2).path("before").isNull()).isTrue();
        assertThat(history.path(2).path("after")).isEqualTo(first.json().path("site"));
        assertThat(history.path(1).path("before")).isEqualTo(first.json().path("site"));
        assertThat(history.path(1).path("after").path("origins").path(0).path("url").asText()).isEqualTo("http://10.0.0.8");
        assertThat(history.path(0).path("before")).isEqualTo(history.path(1).path("after"));
        assertThat(history.path(0).path("after").isNull()).isTrue();
        for (JsonNode change : history) {
            assertThat(Instant.parse(change.path("at").asText())).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        }
        // the time of a change is its log entry's
        JsonNode entry = poll(v3 - 1).path("entries").path(0);
        assertThat(history.path(0).path("at").asText()).isEqualTo(entry.path("createdAt").asText());

        assertThat(api.get("/api/v1/sites/img/history?limit=1").json().path("history").size()).isEqualTo(1);
        assertThat(api.get("/api/v1/sites/never/history").status()).isEqualTo(404);
    }

    @Test
    void eachChangeAppendsExactlyOneEntryToTheLogNodesFollow() {
        assertThat(poll(0).path("sitesVersion").asLong()).isZero();
        long purge = api.post("/api/v1/purge", "{\"urls\": [\"/a\"]}").json().path("id").asLong();

        ApiClient.Reply created = api.put("/api/v1/sites/img", site("\"img.example.com\"", "http://10.0.0.7"));
        long v1 = created.json().path("version").asLong();
        assertThat(v1).isEqualTo(purge + 1);
        assertThat(logSize()).isEqualTo(2);
        JsonNode answer = poll(purge);
        assertThat(answer.path("latest").asLong()).isEqualTo(v1);
        assertThat(answer.path("sitesVersion").asLong()).isEqualTo(v1);
        assertThat(answer.path("entries").size()).isEqualTo(1);
        JsonNode put = answer.path("entries").path(0);
        assertThat(keys(put)).containsExactly("createdAt", "id", "kind", "site");
        assertThat(put.path("id").asLong()).isEqualTo(v1);
        assertThat(put.path("kind").asText()).isEqualTo("site_put");
        assertThat(put.path("site")).isEqualTo(created.json().path("site"));
        assertThat(put.path("site")).isEqualTo(api.get("/api/v1/sites/img").json().path("site"));

        long v2 = put("img", site("\"img.example.com\", \"*.img.example.com\"", "http://10.0.0.7"), 200);
        assertThat(v2).isEqualTo(v1 + 1);
        assertThat(poll(v1).path("entries").path(0).path("site").path("hosts"))
                .isEqualTo(json("[\"img.example.com\", \"*.img.example.com\"]"));

        long v3 = api.delete("/api/v1/sites/img").json().path("version").asLong();
        assertThat(v3).isEqualTo(v2 + 1);
        assertThat(logSize()).isEqualTo(4);
        answer = poll(v2);
        assertThat(answer.path("sitesVersion").asLong()).isEqualTo(v3);
        assertThat(answer.path("entries").path(0)).isEqualTo(json("{\"id\": " + v3 + ", \"kind\": \"site_remove\","
                + " \"name\": \"img\", \"createdAt\": \"" + answer.path("entries").path(0).path("createdAt").asText() + "\"}"));

        // refused changes append nothing; an invalidation after them does not move the sites version
        api.put("/api/v1/sites/www", site("\"*.*.example.com\"", "http://10.0.0.7"));
        api.delete("/api/v1/sites/img");
        assertThat(logSize()).isEqualTo(4);
        long later = api.post("/api/v1/purge-all", "{}").json().path("id").asLong();
        answer = poll(v3);
        assertThat(answer.path("latest").asLong()).isEqualTo(later);
        assertThat(answer.path("sitesVersion").asLong()).isEqualTo(v3);
    }

    @Test
    void aWaitingLongPollIsWokenBySiteChanges() {
        long latest = poll(0).path("latest").asLong();
        CompletableFuture<ApiClient.Reply> waiting = admin.node("edge-nyc").getAsync("/api/v1/invalidations?after=" + latest + "&wait=30");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> admin.node.waitingLongPolls() == 1);
        long v1 = put("img", site("\"img.example.com\"", "http://10.0.0.7"), 201);
        ApiClient.Reply reply = waiting.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(reply.json().path("entries").path(0).path("id").asLong()).isEqualTo(v1);
        assertThat(reply.json().path("entries").path(0).path("kind").asText()).isEqualTo("site_put");
    }

    @Test
    void concurrentPutsClaimingOneHostLetExactlyOneWin() {
        for (int round = 0; round < 5; round++) {
            String host = "round" + round + ".example.com";
            List<CompletableFuture<ApiClient.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                replies.add(api.putAsync("/api/v1/sites/r" + round + "-s" + i, site("\"" + host + "\"", "http://10.0.0.7")));
            }
            List<ApiClient.Reply> done = replies.stream().map(CompletableFuture::join).toList();
            List<ApiClient.Reply> won = done.stream().filter(r -> r.status() == 201).toList();
            assertThat(won).as(done.toString()).hasSize(1);
            String winner = won.get(0).json().path("site").path("name").asText();
            for (ApiClient.Reply lost : done) {
                if (lost.status() != 201) {
                    assertThat(lost.status()).as(lost.body()).isEqualTo(400);
                    assertThat(lost.message()).contains("is already claimed by site '" + winner + "'");
                }
            }
            assertThat(admin.count("SELECT count(*) FROM sites WHERE definition -> 'hosts' ? '" + host + "'")).isEqualTo(1);
        }
        assertThat(logSize()).isEqualTo(5);
    }

    @Test
    void registrationCarriesTheTableAndItsVersion() {
        JsonNode empty = admin.node("edge-nyc").post("/api/v1/nodes/register", registration(0)).json();
        assertThat(empty.path("sites")).isEqualTo(json("{\"version\": 0, \"sites\": []}"));

        put("www", site("\"www.example.com\"", "http://10.0.0.8"), 201);
        long v = put("img", site("\"img.example.com\"", "http://10.0.0.7"), 201);
        ApiClient.Reply reply = admin.node("edge-nyc").post("/api/v1/nodes/register", registration(0));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode sites = reply.json().path("sites");
        assertThat(sites.path("version").asLong()).isEqualTo(v);
        assertThat(sites.path("sites").findValuesAsText("name")).containsExactly("img", "www");
        assertThat(sites).isEqualTo(admin.node("edge-nyc").get("/api/v1/sites").json());
        assertThat(reply.json().path("latest").asLong()).isEqualTo(v);
    }

    private static String registration(long lastApplied) {
        return "{\"name\": \"edge-nyc\", \"role\": \"edge\", \"pop\": \"nyc\", \"trafficUrl\": \"http://127.0.0.1:8080\","
                + " \"managementUrl\": \"http://127.0.0.1:18080\", \"lastApplied\": " + lastApplied + "}";
    }

    @Test
    void invalidationsTakeAKnownSiteAndCarryItToNodes() {
        put("img", site("\"img.example.com\"", "http://10.0.0.7"), 201);
        long before = logSize();
        for (String[] request : new String[][] {{"/api/v1/purge", "{\"urls\": [\"/a\"], \"site\": \"nope\"}"},
                {"/api/v1/purge/tags", "{\"tags\": [\"t\"], \"site\": \"nope\"}"},
                {"/api/v1/bans", "{\"kind\": \"prefix\", \"pattern\": \"/s/\", \"ttlSeconds\": 60, \"site\": \"nope\"}"},
                {"/api/v1/purge-all", "{\"site\": \"nope\"}"}, {"/api/v1/purge-all", "{\"site\": \"IMG\"}"}}) {
            ApiClient.Reply reply = api.post(request[0], request[1]);
            assertThat(reply.status()).as(request[0] + " " + reply.body()).isEqualTo(400);
            assertThat(reply.json().path("field").asText()).isEqualTo("site");
            assertThat(reply.message()).startsWith("site: ");
        }
        assertThat(logSize()).isEqualTo(before);

        for (String[] request : new String[][] {{"/api/v1/purge", "{\"urls\": [\"/a\", \"http://img.example.com/b\"], \"site\": \"img\"}", "purge"},
                {"/api/v1/purge/tags", "{\"tags\": [\"t\"], \"site\": \"img\", \"soft\": true}", "purge_tags"},
                {"/api/v1/bans", "{\"kind\": \"prefix\", \"pattern\": \"/s/\", \"ttlSeconds\": 60, \"site\": \"img\"}", "ban"},
                {"/api/v1/purge-all", "{\"site\": \"img\"}", "purge_all"}}) {
            ApiClient.Reply reply = api.post(request[0], request[1]);
            assertThat(reply.status()).as(reply.body()).isEqualTo(202);
            long id = reply.json().path("id").asLong();
            JsonNode entry = poll(id - 1).path("entries").path(0);
            assertThat(entry.path("kind").asText()).isEqualTo(request[2]);
            assertThat(entry.path("site").asText()).isEqualTo("img");
            assertThat(api.get("/api/v1/invalidations/" + id).json().path("site").asText()).isEqualTo("img");
        }
        JsonNode urls = poll(before).path("entries").path(0).path("urls");
        assertThat(urls.path(1).path("site").asText()).as("a URL's host is still sent").isEqualTo("img.example.com");

        long all = api.post("/api/v1/purge-all", "{}").json().path("id").asLong();
        JsonNode entry = poll(all - 1).path("entries").path(0);
        assertThat(entry.has("site")).isTrue();
        assertThat(entry.path("site").isNull()).as("every site").isTrue();
    }

    /**
     * A purge naming a site waits for a site change in progress (here: a transaction holding the sites lock that
     * deletes the site) and then sees its outcome, so no entry names a site deleted before it in the log.
     */
    @Test
    void aScopedPurgeIsOrderedAfterASiteChangeInProgress() throws Exception {
        put("img", site("\"img.example.com\"", "http://10.0.0.7"), 201);
        long before = logSize();
        try (java.sql.Connection change = admin.node.database().dataSource().getConnection()) {
            change.setAutoCommit(false);
            try (java.sql.Statement s = change.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(x'7369746573'::bigint)"); // Sites.LOCK, "sites"
                s.execute("DELETE FROM sites WHERE name = 'img'");
            }
            CompletableFuture<ApiClient.Reply> purge = CompletableFuture.supplyAsync(
                    () -> api.post("/api/v1/purge", "{\"urls\": [\"/a\"], \"site\": \"img\"}"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> admin.count(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") == 1);
            assertThat(purge).isNotDone();
            change.commit();
            ApiClient.Reply reply = purge.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(reply.status()).as(reply.body()).isEqualTo(400);
            assertThat(reply.json().path("field").asText()).isEqualTo("site");
        }
        assertThat(logSize()).isEqualTo(before);
    }

    @Test
    void siteEntriesAreListedWithTheirKindAndRetentionDeletesThemButKeepsTheTable() throws Exception {
        admin.node("edge-nyc").post("/api/v1/nodes/register", registration(0));
        long v1 = put("img", site("\"img.example.com\"", "http://10.0.0.7"), 201);
        long v2 = put("www", site("\"www.example.com\"", "http://10.0.0.8"), 201);
        long v3 = api.delete("/api/v1/sites/www").json().path("version").asLong();

        JsonNode recent = api.get("/api/v1/invalidations/recent").json().path("invalidations");
        assertThat(recent.findValuesAsText("kind")).containsExactly("site_remove", "site_put", "site_put");
        assertThat(recent.findValuesAsText("site")).containsExactly("www", "www", "img");
        JsonNode status = api.get("/api/v1/invalidations/" + v1).json();
        assertThat(status.path("kind").asText()).isEqualTo("site_put");
        assertThat(status.path("nodes").path(0).path("status").asText()).isEqualTo("pending");
        admin.node("edge-nyc").post("/api/v1/nodes/edge-nyc/acks", "{\"acks\": [{\"id\": " + v1
                + ", \"objectsAffected\": 0, \"appliedAt\": \"2026-01-01T00:00:00Z\"}]}");
        assertThat(api.get("/api/v1/invalidations/" + v1).json().path("applied").asInt()).isEqualTo(1);
        assertThat(api.get("/api/v1/nodes").json().path("nodes").path(0).path("lag").asLong()).isEqualTo(v3);

        admin.sql("UPDATE invalidations SET created_at = created_at - interval '8 days'");
        Retention.Result result = new Retention(admin.node.database(), Duration.ofDays(7)).run();
        assertThat(result.entriesDeleted()).isEqualTo(3);
        assertThat(logSize()).isZero();
        JsonNode table = api.get("/api/v1/sites").json();
        assertThat(table.path("version").asLong()).isEqualTo(v3);
        assertThat(table.path("sites").findValuesAsText("name")).containsExactly("img");
        JsonNode answer = poll(0);
        assertThat(answer.path("oldestRetained").asLong()).isEqualTo(v3 + 1);
        assertThat(answer.path("sitesVersion").asLong()).as("a node that lost the entries learns it is behind").isEqualTo(v3);
        assertThat(api.get("/api/v1/sites/www/history").json().path("history").size()).isEqualTo(2);
        assertThat(v2).isBetween(v1, v3);
    }
}
