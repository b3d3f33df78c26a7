package io.blueorigin.cdn.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.testkit.AtRest;
import io.blueorigin.cdn.testkit.RawHttp;
import io.blueorigin.cdn.testkit.RecordedRequest;
import io.blueorigin.cdn.testkit.Reply;
import io.blueorigin.cdn.testkit.TestClient;
import io.blueorigin.cdn.testkit.TestStack;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the internet can send, over raw sockets where an HTTP client would normalize it, through an edge and
 * a shield to an origin that echoes what reached it. Every case: no 5xx for a client's fault, nothing
 * poisoned (the next clean request gets the clean object), and every gate, breaker and collapse entry
 * back at rest afterwards (the edge and shield allow 2 upstream requests at once and queue 2, so a single
 * leaked slot would show at once).
 */
class HostileInputIT {
    private static TestStack stack;
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    @BeforeAll
    static void start() {
        stack = TestStack.start(c -> c.edges("nyc").shields("iad")
                .edgeConfig(e -> e.withUpstream(e.upstream().withProtection(2, 2, 20, Duration.ofSeconds(5))))
                .shieldConfig(s -> s.withUpstream(s.upstream().withProtection(2, 2, 20, Duration.ofSeconds(5)))));
        // the origin echoes what reached it, cacheably: a poisoned request would be stored for everyone
        stack.origin.onPrefix("/", request -> Reply.ok(echo(request)).withHeader("Cache-Control", "max-age=60"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @AfterEach
    void everythingIsBackAtRest() {
        AtRest.await(stack.cdn);
    }

    private static String echo(RecordedRequest r) {
        return "path=" + r.path() + "\nquery=" + r.query().orElse("") + "\n"
                + r.headers().stream().map(h -> h.getKey().toLowerCase(java.util.Locale.ROOT) + ": " + h.getValue())
                        .sorted().collect(Collectors.joining("\n"));
    }

    private static URI edge() {
        return stack.cdn.edge("nyc").uri();
    }

    private static RawHttp.Exchange raw(String requestLineTarget, String... headers) {
        StringBuilder request = new StringBuilder("GET ").append(requestLineTarget).append(" HTTP/1.1\r\nHost: cdn.test\r\n");
        for (String h : headers) {
            request.append(h).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        return RawHttp.send(edge(), request.toString());
    }

    private static String unique(String prefix) {
        return prefix + UNIQUE.incrementAndGet();
    }

    // ---------------------------------------------------------------- targets (items 1 and 4)

    @ParameterizedTest(name = "?{0}")
    @CsvSource(delimiter = '!', quoteCharacter = '"', value = {
        "q=a|b           ! q=a%7Cb",
        "q={x}           ! q=%7Bx%7D",
        "q=^             ! q=%5E",
        "q=`             ! q=%60",
        "q=\\            ! q=%5C",
        "q=%zz           ! q=%25zz",
        "q=100%          ! q=100%25",
        "q=[1]           ! q=%5B1%5D",
        "q=<b>           ! q=%3Cb%3E",
    })
    void queriesBrowsersSendRawAreAnsweredAndTheOriginIsAskedTheCanonicalTarget(String query, String canonical) {
        String path = unique("/q/");
        // more requests than upstream slots: a leaked slot per request would turn the last ones into 503s
        for (int i = 0; i < 6; i++) {
            RawHttp.Exchange response = raw(path + "?" + query);
            assertThat(response.status()).as("attempt %d of ?%s", i, query).isEqualTo(200);
            assertThat(response.body()).contains("query=" + canonical + "\n");
        }
        assertThat(stack.origin.requests(path)).as("one fetch; the rest were hits under the same key").hasSize(1);
        assertThat(stack.origin.last(path).orElseThrow().query()).hasValue(canonical);
    }

    @Test
    void nonAsciiQueryCharactersGoUpstreamAsUtf8Octets() {
        String path = unique("/utf8/");
        RawHttp.Exchange response = RawHttp.send(edge(), ("GET " + path + "?q=\u00c3\u00a9 HTTP/1.1\r\nHost: cdn.test\r\n"
                + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 10_000);
        assertThat(response.status()).isEqualTo(200);
        assertThat(stack.origin.last(path).orElseThrow().query()).hasValue("q=%C3%A9");
    }

    @Test
    void dotSegmentsAreResolvedOnceAndTheOriginIsAskedWhatTheKeyNames() {
        String name = unique("dots");
        RawHttp.Exchange dotted = raw("/static/x/../../" + name + "/1");
        assertThat(dotted.status()).isEqualTo(200);
        assertThat(dotted.body()).contains("path=/" + name + "/1\n");
        assertThat(stack.origin.requests().stream().map(RecordedRequest::path)).doesNotContain("/static/x/../../" + name + "/1");
        ContentResponse clean = stack.client.get(URI.create(edge() + "/" + name + "/1"));
        assertThat(clean.getHeaders().get("X-Cache")).as("the dotted request filled the key it names").isEqualTo("HIT");
        assertThat(stack.origin.count("/" + name + "/1")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "/a/..;/admin",
        "/a/.;x/b",
        "/a/%2e%2e;/b",
    })
    void dotSegmentsWithParametersAreRefusedBeforeAnythingIsTaken(String target) {
        int before = stack.origin.count();
        RawHttp.Exchange response = raw(target);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).startsWith("400 Bad Request").doesNotContain(target);
        assertThat(stack.origin.count()).isEqualTo(before);
    }

    @Test
    void everyByteValueInPathAndQueryGetsAnAnswerThatIsNotA5xx() {
        String prefix = unique("/byte");
        for (int b = 0; b < 256; b++) {
            String c = String.valueOf((char) b);
            for (String target : List.of(prefix + "/p" + c + "x", prefix + "/q?v=" + c + "x")) {
                byte[] request = ("GET " + target + " HTTP/1.1\r\nHost: cdn.test\r\nConnection: close\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                RawHttp.Exchange first = RawHttp.send(edge(), request, 10_000);
                assertThat(first.statuses()).as("byte 0x%02x in %s", b, target.contains("?") ? "query" : "path")
                        .allMatch(status -> status < 500);
                if (first.status() == 200) {
                    // what was fetched is what the key names: the same target again is a hit
                    RawHttp.Exchange second = RawHttp.send(edge(), request, 10_000);
                    assertThat(second.raw()).as("byte 0x%02x again", b).contains("X-Cache: HIT");
                }
            }
        }
    }

    // ---------------------------------------------------------------- forwarding (items 3 and 5)

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "X-Forwarded-Host       | evil.example",
        "X-Forwarded-Proto      | evilscheme",
        "X-Forwarded-Port       | 6666",
        "X-Forwarded-Scheme     | evilscheme",
        "X-Original-URL         | /evil",
        "X-Rewrite-URL          | /evil",
        "X-HTTP-Method-Override | DELETE-evil",
        "X-HTTP-Method          | DELETE-evil",
        "X-Method-Override      | DELETE-evil",
        "Forwarded              | for=6.6.6.6;host=evil.example;proto=evilscheme",
        "X-Forwarded-For        | 6.6.6.6",
    })
    void fieldsThatCouldPoisonTheCacheNeverReachTheOrigin(String field, String value) {
        String path = unique("/poison/");
        ContentResponse hostile = TestClient.send(stack.client.request(URI.create(edge() + path))
                .headers(h -> h.put(field, value)));
        assertThat(hostile.getStatus()).isEqualTo(200);
        RecordedRequest atOrigin = stack.origin.last(path).orElseThrow();
        assertThat(atOrigin.headers().toString()).doesNotContain("evil").doesNotContain("6.6.6.6").doesNotContain("6666");
        assertThat(hostile.getContentAsString()).doesNotContain("evil").doesNotContain("6.6.6.6");

        ContentResponse clean = stack.client.get(URI.create(edge() + path));
        assertThat(clean.getHeaders().get("X-Cache")).isEqualTo("HIT");
        assertThat(clean.getContentAsString()).isEqualTo(hostile.getContentAsString());
    }

    @Test
    void theClientsHostDoesNotReachTheOriginEither() {
        String path = unique("/host/");
        RawHttp.Exchange response = RawHttp.send(edge(), "GET " + path + " HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
        assertThat(response.status()).isEqualTo(200);
        RecordedRequest atOrigin = stack.origin.last(path).orElseThrow();
        assertThat(atOrigin.headers().toString()).doesNotContain("evil.example");
        assertThat(atOrigin.header("Host")).hasValue(stack.origin.uri().getAuthority());
        // the shield trusts no one here, so what the edge said is replaced by the edge's own address
        assertThat(atOrigin.headers("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(atOrigin.headers("Forwarded")).containsExactly("for=127.0.0.1");
    }

    @Test
    void theOriginSeesOneUserAgentTheClients() {
        String path = unique("/ua/");
        TestClient.send(stack.client.request(URI.create(edge() + path)).agent("curl/8.0"));
        assertThat(stack.origin.last(path).orElseThrow().headers("User-Agent")).containsExactly("curl/8.0");
        String bare = unique("/ua/");
        raw(bare);
        assertThat(stack.origin.last(bare).orElseThrow().headers("User-Agent")).as("none sent, none added").isEmpty();
    }

    // ---------------------------------------------------------------- framing and methods

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "CL.TE            | POST /s HTTP/1.1\\r\\nHost: cdn.test\\r\\nContent-Length: 6\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\nGET /smuggled HTTP/1.1\\r\\nHost: cdn.test\\r\\n\\r\\n",
        "TE.CL            | POST /s HTTP/1.1\\r\\nHost: cdn.test\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 3\\r\\n\\r\\n1e\\r\\nGET /smuggled HTTP/1.1\\r\\nX: y\\r\\n\\r\\n0\\r\\n\\r\\n",
        "TE obfuscated    | POST /s HTTP/1.1\\r\\nHost: cdn.test\\r\\nTransfer-Encoding: xchunked\\r\\nContent-Length: 4\\r\\n\\r\\n5c\\r\\nGET /smuggled HTTP/1.1\\r\\n\\r\\n",
        "TE twice         | POST /s HTTP/1.1\\r\\nHost: cdn.test\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: identity\\r\\n\\r\\n0\\r\\n\\r\\nGET /smuggled HTTP/1.1\\r\\n\\r\\n",
        "duplicate CL     | POST /s HTTP/1.1\\r\\nHost: cdn.test\\r\\nContent-Length: 0\\r\\nContent-Length: 44\\r\\n\\r\\nGET /smuggled HTTP/1.1\\r\\nHost: cdn.test\\r\\n\\r\\n",
        "CL with a sign   | POST /s HTTP/1.1\\r\\nHost: cdn.test\\r\\nContent-Length: +44\\r\\n\\r\\nGET /smuggled HTTP/1.1\\r\\nHost: cdn.test\\r\\n\\r\\n",
        "obs-fold         | GET /s HTTP/1.1\\r\\nHost: cdn.test\\r\\nX-Folded: a\\r\\n b\\r\\nConnection: close\\r\\n\\r\\n",
        "bare LF          | GET /s HTTP/1.1\\nHost: cdn.test\\nConnection: close\\n\\n",
        "space before :   | GET /s HTTP/1.1\\r\\nHost: cdn.test\\r\\nTransfer-Encoding : chunked\\r\\nConnection: close\\r\\n\\r\\n0\\r\\n\\r\\n",
        "duplicate Host   | GET /s HTTP/1.1\\r\\nHost: cdn.test\\r\\nHost: evil.example\\r\\nConnection: close\\r\\n\\r\\n",
        "no Host          | GET /s HTTP/1.1\\r\\nConnection: close\\r\\n\\r\\n",
        "absolute other   | GET http://evil.example/smuggled HTTP/1.1\\r\\nHost: cdn.test\\r\\nConnection: close\\r\\n\\r\\n",
        "CONNECT          | CONNECT evil.example:443 HTTP/1.1\\r\\nHost: evil.example:443\\r\\nConnection: close\\r\\n\\r\\n",
        "OPTIONS *        | OPTIONS * HTTP/1.1\\r\\nHost: cdn.test\\r\\nConnection: close\\r\\n\\r\\n",
        "TRACE            | TRACE /s HTTP/1.1\\r\\nHost: cdn.test\\r\\nConnection: close\\r\\n\\r\\n",
        "NUL in a field   | GET /s HTTP/1.1\\r\\nHost: cdn.test\\r\\nX-A: a\\u0000b\\r\\nConnection: close\\r\\n\\r\\n",
        "HTTP/0.9         | GET /smuggled\\r\\n\\r\\n",
        "bad version      | GET /s HTTP/9.9\\r\\nHost: cdn.test\\r\\nConnection: close\\r\\n\\r\\n",
        "method garbage   | G<T /s HTTP/1.1\\r\\nHost: cdn.test\\r\\nConnection: close\\r\\n\\r\\n",
    })
    void smugglingAndMalformedFramingAreRefusedAndNothingIsSmuggledThrough(String name, String escaped) {
        String request = escaped.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\u0000");
        RawHttp.Exchange response = RawHttp.send(edge(), request);
        assertThat(response.statuses()).as(name).allMatch(status -> status < 500);
        assertThat(response.statuses().isEmpty() ? response.closedByServer() : response.statuses().get(0) >= 400)
                .as("%s: refused (%s)", name, response.statuses()).isTrue();
        assertThat(response.raw()).doesNotContain("<html").doesNotContain("Exception");
        assertThat(stack.origin.count("/smuggled")).as(name).isZero();
        if (name.startsWith("TRACE")) {
            assertThat(response.status()).isEqualTo(405);
        }
    }

    @Test
    void oversizedRequestLinesAndHeadersGetA4xx() {
        RawHttp.Exchange longTarget = raw("/long?" + "a".repeat(20_000));
        assertThat(longTarget.statuses()).allMatch(status -> status >= 400 && status < 500);
        RawHttp.Exchange bigHeader = raw("/big", "X-Big: " + "b".repeat(20_000));
        assertThat(bigHeader.statuses()).allMatch(status -> status >= 400 && status < 500);
        RawHttp.Exchange manyHeaders = raw("/many", java.util.stream.IntStream.range(0, 2_000)
                .mapToObj(i -> "X-H" + i + ": v").toArray(String[]::new));
        assertThat(manyHeaders.statuses()).allMatch(status -> status >= 400 && status < 500);
        assertThat(stack.origin.count("/long") + stack.origin.count("/big") + stack.origin.count("/many")).isZero();
    }

    @Test
    void jettysOwnErrorsArePlainTextThatEchoesNothing() {
        RawHttp.Exchange bad = raw("/a/%2e%2e/<script>");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.raw()).contains("Content-Type: text/plain").doesNotContain("<script>").doesNotContain("<html");
    }

    @Test
    void poisoningHeadersAreStrippedOnPassThroughToo() {
        String path = unique("/post/");
        ContentResponse response = TestClient.send(stack.client.request(URI.create(edge() + path)).method("POST")
                .headers(h -> h.put("X-Forwarded-Host", "evil.example").put("X-HTTP-Method-Override", "DELETE")
                        .put("X-Forwarded-For", "6.6.6.6").put("User-Agent", "mine")));
        assertThat(response.getStatus()).isEqualTo(200);
        RecordedRequest atOrigin = stack.origin.last(path).orElseThrow();
        assertThat(atOrigin.method()).isEqualTo("POST");
        Map<String, List<String>> fields = atOrigin.headers().stream().collect(Collectors.groupingBy(
                e -> e.getKey().toLowerCase(java.util.Locale.ROOT), Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        assertThat(fields).doesNotContainKeys("x-forwarded-host", "x-http-method-override", "x-forwarded-proto",
                "x-forwarded-server");
        assertThat(fields.get("x-forwarded-for")).containsExactly("127.0.0.1");
        assertThat(fields.get("user-agent")).containsExactly("mine");
    }
}
