package io.blueorigin.cdn.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing admin's request parsing: {@link ApiJson#read} and each endpoint's body validation, over arbitrary
 * JSON-ish text, structurally valid JSON with every field given wrong types, odd strings (control characters,
 * unpaired surrogates, huge lengths), huge numbers and deep nesting. The property: every input ends as a
 * parsed value or a 400 ({@link ApiException}, {@code bad_request}); nothing else escapes (no
 * {@code IllegalArgumentException}, {@code NullPointerException}, {@code StackOverflowError}...).
 */
class ApiBodiesProperties {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** An endpoint's body: its type and its validation (as the handler runs them, minus the database). */
    enum Endpoint {
        PURGE(Bodies.Purge.class, "urls", "soft", "site"),
        PURGE_TAGS(Bodies.PurgeTags.class, "tags", "soft", "site"),
        BAN(Bodies.Ban.class, "kind", "pattern", "ttlSeconds", "site"),
        PURGE_ALL(Bodies.PurgeAll.class, "soft", "site"),
        SITE(Object.class, "name", "hosts", "origins", "caching", "delivery"),
        REGISTER(Bodies.Register.class, "name", "role", "pop", "trafficUrl", "managementUrl", "lastApplied"),
        HEARTBEAT(Bodies.Heartbeat.class, "lastApplied", "stats"),
        ACKS(Bodies.Acks.class, "acks"),
        TOKEN(Bodies.Token.class, "name", "scopes", "node"),
        EMPTY(Bodies.Empty.class);

        final Class<?> type;
        final List<String> fields;

        Endpoint(Class<?> type, String... fields) {
            this.type = type;
            this.fields = List.of(fields);
        }

        /** Parses and validates {@code body}; returns what the handler would go on with. */
        Object parse(byte[] body) throws ApiException {
            Object parsed = ApiJson.read(body, type);
            return switch (this) {
                case PURGE -> InvalidationsApi.purge((Bodies.Purge) parsed);
                case PURGE_TAGS -> InvalidationsApi.purgeTags((Bodies.PurgeTags) parsed);
                case BAN -> InvalidationsApi.ban((Bodies.Ban) parsed);
                case PURGE_ALL -> InvalidationsApi.purgeAll((Bodies.PurgeAll) parsed);
                case SITE -> SitesApi.definition("img", parsed);
                case EMPTY -> parsed;
                case REGISTER -> NodesApi.registration((Bodies.Register) parsed);
                case HEARTBEAT -> NodesApi.beat((Bodies.Heartbeat) parsed);
                case ACKS -> NodesApi.acks((Bodies.Acks) parsed);
                case TOKEN -> TokensApi.request((Bodies.Token) parsed);
            };
        }
    }

    /** The property itself: a value or a 400, nothing else. */
    private static void parsesOrRefuses(Endpoint endpoint, byte[] body) {
        try {
            Object value = endpoint.parse(body);
            assertThat(value).isNotNull();
            Statistics.label("outcome").collect("parsed");
        } catch (ApiException e) {
            assertThat(e.status()).as(e.getMessage()).isEqualTo(400);
            assertThat(e.error()).isEqualTo("bad_request");
            assertThat(e.getMessage()).isNotBlank();
            Statistics.label("outcome").collect("400");
        }
    }

    @Property(tries = 10_000)
    void arbitraryJsonishTextParsesOrIs400(@ForAll Endpoint endpoint, @ForAll("jsonish") String text) {
        parsesOrRefuses(endpoint, text.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 10_000)
    void everyFieldWithAnyValueParsesOrIs400(@ForAll("bodies") Map.Entry<Endpoint, JsonNode> body) throws Exception {
        parsesOrRefuses(body.getKey(), JSON.writeValueAsBytes(body.getValue()));
    }

    @Property(tries = 10_000)
    void deepHugeAndBrokenInputsParseOrAre400(@ForAll Endpoint endpoint, @ForAll("hostile") byte[] body) {
        parsesOrRefuses(endpoint, body);
    }

    // --- generators ---

    /** Text made of JSON's own tokens and a few intruders, so most of it is almost JSON. */
    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "\\", "\"urls\"", "\"tags\"", "\"soft\"",
                "\"kind\"", "\"pattern\"", "\"ttlSeconds\"", "\"name\"", "\"scopes\"", "\"node\"", "\"acks\"", "\"stats\"",
                "\"lastApplied\"", "\"role\"", "\"id\"", "\"appliedAt\"", "\"/a\"", "\"http://h/\"", "true", "false", "null",
                "0", "-1", "1e400", "1.5", "99999999999999999999", "\"\\u0000\"", "\"\\ud800\"", "\u00e9", "\u0000", " ",
                "\n", "/*", "'", "NaN", "\"edge\"", "\"prefix\"", "\"regex\"", "\"(a+)+\"", "\"node\"");
        return token.list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    /** A body of {@code endpoint}'s shape whose fields hold anything (plus, sometimes, an unknown field). */
    @Provide
    Arbitrary<Map.Entry<Endpoint, JsonNode>> bodies() {
        Map<Endpoint, Arbitrary<Map.Entry<Endpoint, JsonNode>>> byEndpoint = new EnumMap<>(Endpoint.class);
        for (Endpoint endpoint : Endpoint.values()) {
            byEndpoint.put(endpoint, body(endpoint));
        }
        return Arbitraries.of(Endpoint.class).flatMap(byEndpoint::get);
    }

    private static Arbitrary<Map.Entry<Endpoint, JsonNode>> body(Endpoint endpoint) {
        {
            List<Arbitrary<JsonNode>> values = new ArrayList<>();
            for (String field : endpoint.fields) {
                values.add(value(field, 3));
            }
            Arbitrary<List<JsonNode>> all = Combinators.combine(values.isEmpty() ? List.of(Arbitraries.just(NODES.nullNode()))
                    : values).as(List::copyOf);
            return Combinators.combine(all, Arbitraries.integers().between(0, 9), Arbitraries.of("extra", "Urls", "soft ")).as(
                    (fieldValues, absentOrExtra, extra) -> {
                        ObjectNode body = NODES.objectNode();
                        for (int i = 0; i < endpoint.fields.size(); i++) {
                            if (absentOrExtra != i) {
                                body.set(endpoint.fields.get(i), fieldValues.get(i));
                            }
                        }
                        if (absentOrExtra == 9) {
                            body.put(extra, 1);
                        }
                        return Map.entry(endpoint, (JsonNode) body);
                    });
        }
    }

    /** Plausible values for {@code field} half of the time, anything the other half. */
    private static Arbitrary<JsonNode> value(String field, int depth) {
        Arbitrary<JsonNode> plausible = switch (field) {
            case "urls" -> strings(url()).map(ApiBodiesProperties::array);
            case "tags", "scopes" -> strings(Arbitraries.oneOf(text(), Arbitraries.of("read", "purge", "admin", "node", "item-3")))
                    .map(ApiBodiesProperties::array);
            case "kind" -> Arbitraries.of("prefix", "host", "regex", "PREFIX", "").map(NODES::textNode);
            case "pattern" -> Arbitraries.oneOf(text(), Arbitraries.of("/static/", "(a+)+$", "((a{1000}){1000}){1000}", "[",
                    "\\p{Greek}", "a{1001}", "x*?*")).map(NODES::textNode);
            case "role" -> Arbitraries.of("edge", "shield", "admin").map(NODES::textNode);
            case "site" -> Arbitraries.oneOf(text(), Arbitraries.of("img", "IMG", "-x", "a".repeat(64))).map(NODES::textNode);
            case "hosts" -> strings(Arbitraries.oneOf(text(), Arbitraries.of("img.example.com", "*.img.example.com",
                    "*.*.example.com", "IMG.example.com", "a..b", "10.0.0.1"))).map(ApiBodiesProperties::array);
            case "origins" -> Arbitraries.oneOf(url(), Arbitraries.of("http://10.0.0.7:8080", "https://o.example.com/p"))
                    .map(url -> {
                        ArrayNode origins = NODES.arrayNode();
                        origins.addObject().put("url", url);
                        return (JsonNode) origins;
                    });
            case "name", "pop", "node" -> Arbitraries.oneOf(text(), Arbitraries.of("edge-nyc", "nyc", "-x", "a".repeat(64)))
                    .map(NODES::textNode);
            case "trafficUrl", "managementUrl" -> url().map(NODES::textNode);
            case "acks" -> ack().list().ofMaxSize(4).map(list -> {
                ArrayNode array = NODES.arrayNode();
                list.forEach(array::add);
                return array;
            });
            default -> anything(depth);
        };
        return Arbitraries.oneOf(plausible, anything(depth));
    }

    private static Arbitrary<JsonNode> ack() {
        return Combinators.combine(anything(1), anything(1), Arbitraries.oneOf(text(),
                Arbitraries.of("2026-11-25T03:20:01.127Z", "0000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59.999999999Z")),
                Arbitraries.longs()).as((id, objects, appliedAt, n) -> {
                    ObjectNode ack = NODES.objectNode();
                    ack.set("id", n % 3 == 0 ? id : NODES.numberNode(n));
                    ack.set("objectsAffected", n % 5 == 0 ? objects : NODES.numberNode(n / 7));
                    ack.put("appliedAt", appliedAt);
                    return (JsonNode) ack;
                });
    }

    private static Arbitrary<String> url() {
        return Combinators.combine(Arbitraries.of("/", "http://", "https://", "HTTP://", "ftp://", "//", ""), text(),
                Arbitraries.of("", "?", "#f", ":8080", "@user", "[::1]", "%00", " ")).as((a, b, c) -> a + b + c);
    }

    /** Strings with every kind of character: controls, NUL, unpaired surrogates, astral planes, very long ones. */
    private static Arbitrary<String> text() {
        return TEXT;
    }

    private static final Arbitrary<String> TEXT = Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.strings().all().ofMaxLength(40)),
            Tuple.of(5, Arbitraries.strings().withChars("\u0000\u0001\u007f\ud800\udc00\ud83d\ude00\u00e9 ,/?#@:[]%")
                    .ofMaxLength(20)),
            Tuple.of(1, Arbitraries.integers().between(255, 9000).map("x"::repeat)));

    private static Arbitrary<List<String>> strings(Arbitrary<String> element) {
        // now and then a list around the 1000-item limit (of short items, so a try stays cheap)
        return Arbitraries.frequencyOf(Tuple.of(19, element.list().ofMaxSize(5)),
                Tuple.of(1, Arbitraries.of("/a", "x", "http://h/p").list().ofMinSize(999).ofMaxSize(1001)));
    }

    private static JsonNode array(List<String> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private static final Map<Integer, Arbitrary<JsonNode>> ANYTHING = new java.util.concurrent.ConcurrentHashMap<>();

    /** Any JSON value, nested up to {@code depth} (built once per depth: building arbitraries is not cheap). */
    private static Arbitrary<JsonNode> anything(int depth) {
        Arbitrary<JsonNode> known = ANYTHING.get(depth);
        if (known == null) {
            known = buildAnything(depth);
            ANYTHING.put(depth, known);
        }
        return known;
    }

    private static Arbitrary<JsonNode> buildAnything(int depth) {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30)).map(NODES::numberNode),
                Arbitraries.of(new BigDecimal("1e-400"), new BigDecimal("-0.0"), new BigDecimal("123456789.123456789e300"))
                        .map(NODES::numberNode),
                text().map(NODES::textNode));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<JsonNode> array = anything(depth - 1).list().ofMaxSize(3).map(list -> {
            ArrayNode a = NODES.arrayNode();
            list.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> object = Combinators.combine(text().list().ofMaxSize(3), anything(depth - 1).list().ofSize(3))
                .as((keys, values) -> {
                    ObjectNode o = NODES.objectNode();
                    for (int i = 0; i < keys.size(); i++) {
                        o.set(keys.get(i), values.get(i));
                    }
                    return o;
                });
        return Arbitraries.frequencyOf(Tuple.of(4, scalar), Tuple.of(1, array), Tuple.of(1, object));
    }

    /** Nesting far past the limit, numbers with thousands of digits, truncations, raw bytes that are not UTF-8. */
    @Provide
    Arbitrary<byte[]> hostile() {
        Arbitrary<String> deep = Combinators.combine(Arbitraries.integers().between(1, 5000), Arbitraries.of("[", "{\"a\":",
                "{\"stats\":", "{\"urls\":[")).as((n, open) -> open.repeat(n));
        Arbitrary<String> deepStats = Arbitraries.integers().between(20, 100).map(n -> "{\"lastApplied\": 0, \"stats\": "
                + "{\"a\": ".repeat(n) + "1" + "}".repeat(n + 1));
        Arbitrary<String> bigNumber = Combinators.combine(Arbitraries.integers().between(1, 3000),
                Arbitraries.of("{\"ttlSeconds\": ", "{\"lastApplied\": ", "{\"soft\": ", "{\"acks\": [{\"id\": ",
                        "{\"lastApplied\": 0, \"stats\": {\"n\": "), Arbitraries.of("", ".5", "e99999", "e-99999"))
                .as((digits, prefix, suffix) -> prefix + "9".repeat(digits) + suffix + "}");
        Arbitrary<String> truncated = Combinators.combine(Arbitraries.of(
                "{\"urls\": [\"/a\", \"https://www.example.com/b?c=1\"], \"soft\": true}",
                "{\"kind\": \"regex\", \"pattern\": \"^/a/.*\\\\.css$\", \"ttlSeconds\": 60}",
                "{\"acks\": [{\"id\": 1, \"objectsAffected\": 0, \"appliedAt\": \"2026-11-25T03:20:01Z\"}]}",
                "{\"name\": \"edge-nyc\", \"role\": \"edge\", \"pop\": \"nyc\", \"trafficUrl\": \"http://a\","
                        + " \"managementUrl\": \"http://b\", \"lastApplied\": 0}"), Arbitraries.integers().between(0, 200))
                .as((s, cut) -> s.substring(0, Math.min(cut, s.length())));
        Arbitrary<byte[]> text = Arbitraries.oneOf(deep, deepStats, bigNumber, truncated).map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(b -> {
            byte[] withBrace = new byte[b.length + 1];
            withBrace[0] = '{';
            System.arraycopy(b, 0, withBrace, 1, b.length);
            return withBrace;
        });
        return Arbitraries.oneOf(text, raw);
    }
}
