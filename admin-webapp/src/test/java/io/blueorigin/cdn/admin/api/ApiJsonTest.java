package io.blueorigin.cdn.admin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiJsonTest {

    private static <T> T read(String json, Class<T> type) throws ApiException {
        return ApiJson.read(json.getBytes(StandardCharsets.UTF_8), type);
    }

    @Test
    void bindsTheDocumentedShape() throws ApiException {
        assertThat(read("{\"urls\": [\"/a\", \"/b\"], \"soft\": true}", Bodies.Purge.class))
                .isEqualTo(new Bodies.Purge(List.of("/a", "/b"), true, null));
        assertThat(read("{\"kind\": \"prefix\", \"pattern\": \"/s/\", \"ttlSeconds\": 60}", Bodies.Ban.class))
                .isEqualTo(new Bodies.Ban("prefix", "/s/", 60L, null));
        assertThat(read("{}", Bodies.PurgeAll.class)).isEqualTo(new Bodies.PurgeAll(null, null));
        assertThat(read("{\"soft\": null}", Bodies.PurgeAll.class)).isEqualTo(new Bodies.PurgeAll(null, null));
    }

    /** body | the 400's message. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"urls\": [\"/a\"], \"sfot\": true}     | sfot: unknown field (expected: site, soft, urls)",
        "{\"urls\": [1]}                          | urls[0]: expected a string",
        "{\"urls\": [{}]}                         | urls[0]: expected a string",
        "{\"urls\": \"/a\"}                       | urls: expected a list",
        "{\"urls\": [\"/a\"], \"soft\": \"true\"} | soft: expected true or false",
        "{\"urls\": [\"/a\"], \"soft\": 1}        | soft: expected true or false",
        "[\"/a\"]                                 | body: expected a JSON object",
        "\"/a\"                                   | body: expected a JSON object",
        "{\"urls\": [\"/a\"]} x                   | body: malformed JSON at line 1, column 18: Unrecognized token 'x'",
        "{\"urls\": [\"/a\"]} {}                  | body: unexpected content after the JSON object",
        "{\"urls\": [\"/a\"], \"urls\": []}       | body: malformed JSON at line 1, column 24: Duplicate field 'urls'",
        "{\"urls\": [\"/a\"]                      | body: malformed JSON",
        "{urls: [\"/a\"]}                         | body: malformed JSON at line 1, column 2: Unexpected character ('u'",
    })
    void refusesAnythingButTheShapeNamingTheField(String json, String message) {
        assertThatThrownBy(() -> read(json, Bodies.Purge.class))
                .isInstanceOf(ApiException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
    }

    @Test
    void refusesCoercedAndOutOfRangeNumbers() {
        assertThatThrownBy(() -> read("{\"lastApplied\": 1.5}", Bodies.Heartbeat.class))
                .hasMessage("lastApplied: expected an integer");
        assertThatThrownBy(() -> read("{\"lastApplied\": 1e3}", Bodies.Heartbeat.class))
                .hasMessage("lastApplied: expected an integer");
        assertThatThrownBy(() -> read("{\"lastApplied\": \"5\"}", Bodies.Heartbeat.class))
                .hasMessage("lastApplied: expected an integer");
        assertThatThrownBy(() -> read("{\"lastApplied\": 99999999999999999999}", Bodies.Heartbeat.class))
                .hasMessageStartingWith("lastApplied: Numeric value (99999999999999999999) out of range of long");
        assertThatThrownBy(() -> read("{\"acks\": [{\"id\": \"1\"}]}", Bodies.Acks.class))
                .hasMessage("acks[0].id: expected an integer");
        assertThatThrownBy(() -> read("{\"acks\": [{\"id\": 1, \"extra\": 2}]}", Bodies.Acks.class))
                .hasMessage("acks[0].extra: unknown field (expected: appliedAt, id, objectsAffected)");
    }

    @Test
    void refusesAnEmptyBody() {
        assertThatThrownBy(() -> read("", Bodies.PurgeAll.class)).hasMessage("body: expected a JSON object (the body is empty)");
        assertThatThrownBy(() -> read("   ", Bodies.PurgeAll.class)).hasMessageStartingWith("body: expected a JSON object");
    }

    @Test
    void aBodyThatLooksLikeTruncatedUtf32IsA400NotA500() {
        // found by ApiBodiesProperties (seed 7822224222007507297): Jackson guesses UTF-32 from "00 00 00 7B", then
        // runs out of bytes mid-character and throws a CharConversionException, an IOException it does not wrap
        for (byte[] body : List.of(new byte[] {0, 0, 0, '{', '}'}, new byte[] {0, 0, 0, '{', 0}, new byte[] {'{', 0, 0, 0, 0})) {
            assertThatThrownBy(() -> ApiJson.read(body, Bodies.PurgeAll.class)).isInstanceOf(ApiException.class)
                    .hasMessageStartingWith("body: ");
        }
    }
}
