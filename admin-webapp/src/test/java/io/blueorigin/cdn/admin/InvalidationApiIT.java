package io.blueorigin.cdn.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The operator invalidation endpoints over real HTTP: every kind, its validation, and that bad input changes nothing. */
class InvalidationApiIT {
    private static TestAdmin admin;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        admin = TestAdmin.start();
        api = admin.admin();
    }

    @AfterAll
    static void stop() {
        admin.close();
    }

    private static JsonNode accepted(ApiClient.Reply reply, String kind) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        JsonNode json = reply.json();
        long id = json.path("id").asLong();
        assertThat(id).isPositive();
        assertThat(json.path("kind").asText()).isEqualTo(kind);
        assertThat(json.path("status").asText()).isEqualTo("/api/v1/invalidations/" + id);
        assertThat(reply.header("Location")).contains("/api/v1/invalidations/" + id);
        return api.get("/api/v1/invalidations/" + id).json();
    }

    /** The agent's view of entry {@code id} (the long-poll answers at once: entries exist). */
    private static JsonNode entry(long id) {
        JsonNode entries = admin.node("edge-nyc").get("/api/v1/invalidations?after=" + (id - 1)).json().path("entries");
        assertThat(entries.path(0).path("id").asLong()).isEqualTo(id);
        return entries.path(0);
    }

    @Test
    void aPurgeOfPathsAndAbsoluteUrlsIsCommittedAndShownBothWays() {
        JsonNode status = accepted(api.post("/api/v1/purge",
                "{\"urls\": [\"/item/1\", \"https://WWW.Example.com:8443/a?b=1\"], \"soft\": false}"), "purge");
        assertThat(status.path("urls").toString()).isEqualTo("[\"/item/1\",\"https://WWW.Example.com:8443/a?b=1\"]");
        assertThat(status.path("tags").isEmpty()).isTrue();
        assertThat(status.path("ban").isNull()).isTrue();
        assertThat(status.path("soft").asBoolean()).isFalse();
        assertThat(status.path("createdBy").asText()).isEqualTo("bootstrap");
        assertThat(Instant.parse(status.path("createdAt").asText())).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        assertThat(status.path("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(status.path("nodes").isArray()).isTrue();

        JsonNode entry = entry(status.path("id").asLong());
        assertThat(entry.path("kind").asText()).isEqualTo("purge");
        assertThat(entry.path("urls").toString()).isEqualTo("[{\"site\":null,\"path\":\"/item/1\",\"query\":null},"
                + "{\"site\":\"www.example.com\",\"path\":\"/a\",\"query\":\"b=1\"}]");
        assertThat(entry.path("tags").isEmpty()).isTrue();
        assertThat(entry.path("ban").isNull()).isTrue();
        assertThat(entry.has("createdBy")).isFalse();
    }

    @Test
    void aSoftTagPurgeKeepsItsTagsAndAnAuditRowPerTag() {
        JsonNode status = accepted(api.post("/api/v1/purge/tags", "{\"tags\": [\"item-3\", \"items\", \"item-3\"], \"soft\": true}"),
                "purge_tags");
        long id = status.path("id").asLong();
        assertThat(status.path("soft").asBoolean()).isTrue();
        assertThat(entry(id).path("tags").toString()).isEqualTo("[\"item-3\",\"items\",\"item-3\"]");
        assertThat(entry(id).path("urls").isEmpty()).isTrue();
        assertThat(admin.count("SELECT count(*) FROM surrogate_key_audit WHERE invalidation_id = " + id)).isEqualTo(2);
        assertThat(admin.count("SELECT count(*) FROM surrogate_key_audit WHERE tag = 'items' AND invalidation_id = " + id))
                .isEqualTo(1);
    }

    @Test
    void bansOfEachKindExpireTtlSecondsAfterTheirCreation() {
        for (String[] ban : new String[][] {{"prefix", "/static/", "/static/"}, {"host", "WWW.Example.com", "www.example.com"},
                {"regex", "(a+)+$", "(a+)+$"}, {"regex", "^/item/[0-9]+\\\\?x=.*$", "^/item/[0-9]+\\?x=.*$"}}) {
            JsonNode status = accepted(api.post("/api/v1/bans", "{\"kind\": \"" + ban[0] + "\", \"pattern\": \"" + ban[1]
                    + "\", \"ttlSeconds\": 86400}"), "ban");
            JsonNode entry = entry(status.path("id").asLong());
            assertThat(entry.path("ban").path("kind").asText()).isEqualTo(ban[0]);
            assertThat(entry.path("ban").path("pattern").asText()).isEqualTo(ban[2]);
            assertThat(Duration.between(Instant.parse(entry.path("createdAt").asText()),
                    Instant.parse(entry.path("ban").path("expiresAt").asText()))).isEqualTo(Duration.ofDays(1));
            assertThat(entry.path("soft").asBoolean()).isFalse();
            assertThat(status.path("ban")).isEqualTo(entry.path("ban"));
        }
    }

    @Test
    void purgeAllTakesAnEmptyObjectOrSoft() {
        assertThat(accepted(api.post("/api/v1/purge-all", "{}"), "purge_all").path("soft").asBoolean()).isFalse();
        assertThat(accepted(api.post("/api/v1/purge-all", "{\"soft\": true}"), "purge_all").path("soft").asBoolean()).isTrue();
    }

    @Test
    void aThousandUrlsAreAcceptedAndEachIsKept() {
        String urls = IntStream.range(0, 1000).mapToObj(i -> "\"/item/" + i + "\"").collect(Collectors.joining(","));
        JsonNode status = accepted(api.post("/api/v1/purge", "{\"urls\": [" + urls + "]}"), "purge");
        assertThat(status.path("urls").size()).isEqualTo(1000);
        assertThat(status.path("urls").path(999).asText()).isEqualTo("/item/999");
    }

    @Test
    void sqlLookingStringsAreDataAndRoundTripUnchanged() {
        String url = "/item/1'; DROP TABLE invalidations; -- ?q=1' OR '1'='1";
        String tag = "x';DELETE/**/FROM/**/api_tokens;--";
        String prefix = "/'); TRUNCATE nodes; --";
        JsonNode purge = accepted(api.post("/api/v1/purge", "{\"urls\": [\"" + url + "\"]}"), "purge");
        JsonNode tags = accepted(api.post("/api/v1/purge/tags", "{\"tags\": [\"" + tag + "\"]}"), "purge_tags");
        JsonNode ban = accepted(api.post("/api/v1/bans", "{\"kind\": \"prefix\", \"pattern\": \"" + prefix
                + "\", \"ttlSeconds\": 60}"), "ban");

        assertThat(purge.path("urls").path(0).asText()).isEqualTo(url);
        assertThat(entry(purge.path("id").asLong()).path("urls").path(0).path("query").asText()).isEqualTo("q=1' OR '1'='1");
        assertThat(tags.path("tags").path(0).asText()).isEqualTo(tag);
        assertThat(ban.path("ban").path("pattern").asText()).isEqualTo(prefix);
        assertThat(admin.count("SELECT count(*) FROM api_tokens")).isPositive();
        assertThat(admin.count("SELECT count(*) FROM surrogate_key_audit WHERE tag = 'x'';DELETE/**/FROM/**/api_tokens;--'"))
                .isEqualTo(1);
    }

    /** endpoint | body | the 400's message starts with. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "/api/v1/purge      | {\"urls\": [\"/a\"]                          | body: malformed JSON",
        "/api/v1/purge      | {\"urls\": [\"/a\"]} trailing                | body: malformed JSON at line 1",
        "/api/v1/purge      | {\"urls\": [\"/a\"]}{}                       | body: unexpected content after the JSON object",
        "/api/v1/purge      | {\"urls\": [\"/a\"], \"hard\": true}         | hard: unknown field (expected: site, soft, urls)",
        "/api/v1/purge      | {\"urls\": \"/a\"}                           | urls: expected a list",
        "/api/v1/purge      | {\"urls\": [\"/a\"], \"soft\": \"no\"}       | soft: expected true or false",
        "/api/v1/purge      | {}                                           | urls: required (a list of 1-1000 URLs",
        "/api/v1/purge      | {\"urls\": []}                               | urls: empty (expected 1-1000 URLs",
        "/api/v1/purge      | {\"urls\": [null]}                           | urls[0]: null",
        "/api/v1/purge      | {\"urls\": [\"/a\", \"a\"]}                  | urls[1]: 'a' is neither a path",
        "/api/v1/purge      | {\"urls\": [\"/a\\u0007\"]}                  | urls[0]: control character U+0007 at position 2",
        "/api/v1/purge      | {\"urls\": [\"/a#x\"]}                       | urls[0]: has a fragment",
        "/api/v1/purge/tags | {\"tags\": []}                               | tags: empty (expected 1-1000 surrogate keys)",
        "/api/v1/purge/tags | {\"tags\": [\"a b\"]}                        | tags[0]: 'a b' has a space at position 1",
        "/api/v1/purge/tags | {\"tags\": [\"a,b\"]}                        | tags[0]: 'a,b' has a comma",
        "/api/v1/purge/tags | {\"tags\": [\"\"]}                           | tags[0]: 0 characters (expected 1-256)",
        "/api/v1/purge/tags | {\"tags\": [7]}                              | tags[0]: expected a string",
        "/api/v1/bans       | {\"kind\": \"regex\", \"pattern\": \"(a\", \"ttlSeconds\": 60}  | pattern: invalid regular expression at position 0 (`(a`): missing closing )",
        "/api/v1/bans       | {\"kind\": \"regex\", \"pattern\": \"((a{1000}){1000}){1000}\", \"ttlSeconds\": 60} | pattern: nested counted repetitions multiply to 1000000000",
        "/api/v1/bans       | {\"kind\": \"glob\", \"pattern\": \"/a\", \"ttlSeconds\": 60}    | kind: 'glob' (expected: prefix, host or regex)",
        "/api/v1/bans       | {\"kind\": \"prefix\", \"pattern\": \"/a\"}                     | ttlSeconds: required",
        "/api/v1/bans       | {\"kind\": \"prefix\", \"pattern\": \"/a\", \"ttlSeconds\": 0}  | ttlSeconds: 0 (expected 1..2592000, 30 days)",
        "/api/v1/bans       | {\"kind\": \"prefix\", \"pattern\": \"/a\", \"ttlSeconds\": 1.5} | ttlSeconds: expected an integer",
        "/api/v1/bans       | {\"kind\": \"prefix\", \"pattern\": \"/a\", \"ttlSeconds\": 60, \"soft\": true} | soft: unknown field",
        "/api/v1/purge-all  | []                                           | body: expected a JSON object",
        "/api/v1/purge-all  | {\"soft\": 0}                                | soft: expected true or false",
    })
    void badInputIs400NamingTheFieldAndCommitsNothing(String endpoint, String body, String message) {
        long before = admin.count("SELECT count(*) FROM invalidations");
        ApiClient.Reply reply = api.post(endpoint, body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("bad_request");
        assertThat(reply.message()).startsWith(message);
        assertThat(admin.count("SELECT count(*) FROM invalidations")).isEqualTo(before);
    }

    @Test
    void listsAboveTheLimitsAreRefusedWithTheCount() {
        String urls = String.join(",", Collections.nCopies(1001, "\"/a\""));
        ApiClient.Reply tooMany = api.post("/api/v1/purge", "{\"urls\": [" + urls + "]}");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.message()).isEqualTo("urls: at most 1000 entries (got 1001)");

        String tags = String.join(",", Collections.nCopies(1001, "\"t\""));
        assertThat(api.post("/api/v1/purge/tags", "{\"tags\": [" + tags + "]}").message())
                .isEqualTo("tags: at most 1000 entries (got 1001)");
        assertThat(api.post("/api/v1/purge/tags", "{\"tags\": [\"" + "t".repeat(257) + "\"]}").message())
                .isEqualTo("tags[0]: 257 characters (expected 1-256)");
        assertThat(api.post("/api/v1/purge", "{\"urls\": [\"/" + "a".repeat(8192) + "\"]}").message())
                .isEqualTo("urls[0]: longer than 8 KiB (8193 bytes)");
    }

    @Test
    void aBodyAbove1MiBIs413WhetherDeclaredOrChunked() {
        long before = admin.count("SELECT count(*) FROM invalidations");
        String big = "{\"urls\": [\"/" + "a".repeat(1 << 20) + "\"]}";
        ApiClient.Reply declared = api.post("/api/v1/purge", big);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.error()).isEqualTo("payload_too_large");

        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        ApiClient.Reply chunked = api.send(api.request("/api/v1/purge").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.message()).startsWith("body: at most 1048576 bytes (1 MiB)");
        assertThat(admin.count("SELECT count(*) FROM invalidations")).isEqualTo(before);
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        ApiClient.Reply reply = api.send(api.request("/api/v1/purge").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"urls\": [\"/a\"]}")));
        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.error()).isEqualTo("unsupported_media_type");
        assertThat(reply.message()).isEqualTo("Content-Type: expected application/json (got 'text/plain')");
        ApiClient.Reply latin1 = api.send(api.request("/api/v1/purge").header("Content-Type", "application/json; charset=iso-8859-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"urls\": [\"/a\"]}")));
        assertThat(latin1.status()).isEqualTo(415);
        ApiClient.Reply utf8 = api.send(api.request("/api/v1/purge").header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"urls\": [\"/a\"]}")));
        assertThat(utf8.status()).isEqualTo(202);
    }

    /**
     * {@code curl -X POST -H "Authorization: Bearer $TOKEN" -d '{"urls": ["/item/1"]}' .../api/v1/purge} (the
     * README's example) sends {@code Content-Type: application/x-www-form-urlencoded}: a JSON object in such a
     * body is taken as JSON, a real form is still refused.
     */
    @Test
    void curlsDefaultFormContentTypeWithAJsonBodyIsAcceptedAndARealFormIsNot() {
        long before = admin.count("SELECT count(*) FROM invalidations");
        ApiClient.Reply curlDefault = api.send(api.request("/api/v1/purge").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"urls\": [\"/item/1\"]}")));
        assertThat(curlDefault.status()).as(curlDefault.body()).isEqualTo(202);
        assertThat(api.get(curlDefault.json().path("status").asText()).json().path("urls").toString()).isEqualTo("[\"/item/1\"]");
        ApiClient.Reply curlJson = api.send(api.request("/api/v1/purge").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"urls\": [\"/item/1\"]}")));
        assertThat(curlJson.status()).isEqualTo(202);
        ApiClient.Reply padded = api.send(api.request("/api/v1/purge-all").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(" \n{\"soft\": true}")));
        assertThat(padded.status()).isEqualTo(202);
        assertThat(admin.count("SELECT count(*) FROM invalidations")).isEqualTo(before + 3);

        ApiClient.Reply form = api.send(api.request("/api/v1/purge").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("urls=%2Fitem%2F1")));
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.message()).isEqualTo("Content-Type: expected application/json (got"
                + " 'application/x-www-form-urlencoded' with a body that is not a JSON object); send -H 'Content-Type:"
                + " application/json'");
        ApiClient.Reply formLatin1 = api.send(api.request("/api/v1/purge")
                .header("Content-Type", "application/x-www-form-urlencoded; charset=iso-8859-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"urls\": [\"/item/1\"]}")));
        assertThat(formLatin1.status()).isEqualTo(415);
        ApiClient.Reply malformed = api.send(api.request("/api/v1/purge").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"urls\": ")));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(admin.count("SELECT count(*) FROM invalidations")).isEqualTo(before + 3);
    }

    @Test
    void unknownEndpointsAre404AndWrongMethods405() {
        ApiClient.Reply unknown = api.get("/api/v1/purges");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("not_found");
        ApiClient.Reply wrongMethod = api.get("/api/v1/purge");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.error()).isEqualTo("method_not_allowed");
        assertThat(wrongMethod.header("Allow")).contains("POST");
        assertThat(api.get("/api/v1/invalidations/999999").status()).isEqualTo(404);
        ApiClient.Reply query = api.post("/api/v1/purge?soft=true", "{\"urls\": [\"/a\"]}");
        assertThat(query.status()).isEqualTo(400);
        assertThat(query.message()).isEqualTo("query: POST /api/v1/purge takes no query parameters (got 'soft=true')");
        assertThat(api.get("/api/v1/invalidations/abc").message()).isEqualTo("no invalidation 'abc' (ids are positive integers)");
    }

    @Test
    void recentListsTheNewestFirstWithCounts() {
        long first = api.post("/api/v1/purge", "{\"urls\": [\"/recent/1\"]}").json().path("id").asLong();
        long second = api.post("/api/v1/purge/tags", "{\"tags\": [\"recent\"]}").json().path("id").asLong();
        JsonNode recent = api.get("/api/v1/invalidations/recent?limit=2").json().path("invalidations");
        assertThat(recent.size()).isEqualTo(2);
        assertThat(recent.path(0).path("id").asLong()).isEqualTo(second);
        assertThat(recent.path(1).path("id").asLong()).isEqualTo(first);
        assertThat(recent.path(1).path("urls").path(0).asText()).isEqualTo("/recent/1");
        assertThat(recent.path(0).has("applied")).isTrue();
        assertThat(recent.path(0).has("pending")).isTrue();
        assertThat(api.get("/api/v1/invalidations/recent?limit=0").message()).isEqualTo("limit: 0 is out of range (expected 1..1000)");
        assertThat(api.get("/api/v1/invalidations/recent?limt=5").message()).isEqualTo("limt: unknown query parameter (expected: limit)");
        assertThat(api.get("/api/v1/invalidations/recent").json().path("invalidations").size()).isBetween(2, 50);
    }
}
