package io.blueorigin.cdn.origin;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.runtime.ServerConfig;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DemoOriginIT {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static DemoOrigin origin;

    @BeforeAll
    static void start() {
        origin = DemoOrigin.start(OriginConfig.defaults(ServerConfig.ephemeral()).withDelay(Duration.ZERO));
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    @BeforeEach
    void reset() {
        origin.stats().reset();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(origin.uri().resolve(path));
    }

    @Test
    void itemsAreSmallCacheablePagesWithValidatorsAndSurrogateKeys() throws Exception {
        HttpResponse<String> item = send(get("/item/5"));
        assertThat(item.statusCode()).isEqualTo(200);
        assertThat(item.body()).contains("\"name\":\"Item 5\"");
        assertThat(item.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        assertThat(item.headers().firstValue("Surrogate-Key")).hasValue("item-5 items");
        assertThat(item.headers().firstValue("Last-Modified")).isPresent();
        String etag = item.headers().firstValue("ETag").orElseThrow();

        assertThat(send(get("/item/5").header("If-None-Match", etag)).statusCode()).isEqualTo(304);
        assertThat(send(get("/item/5").header("If-None-Match", "W/" + etag)).statusCode()).isEqualTo(304);
        assertThat(send(get("/item/5").header("If-None-Match", "\"other\"")).statusCode()).isEqualTo(200);
        String lastModified = item.headers().firstValue("Last-Modified").orElseThrow();
        assertThat(send(get("/item/5").header("If-Modified-Since", lastModified)).statusCode()).isEqualTo(304);

        HttpResponse<String> article = send(get("/article/7"));
        assertThat(article.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(article.headers().firstValue("Surrogate-Key")).hasValue("article-7 articles");
    }

    @Test
    void anOriginOfASiteNamesItInItsPagesAndValidators() throws Exception {
        HttpResponse<String> plain = send(get("/item/1"));
        assertThat(plain.body()).doesNotContain("\"site\"");
        try (DemoOrigin img = DemoOrigin.start(OriginConfig.defaults(ServerConfig.ephemeral()).withDelay(Duration.ZERO)
                .withSite("img"))) {
            HttpResponse<String> item = CLIENT.send(HttpRequest.newBuilder(img.uri().resolve("/item/1"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(item.statusCode()).isEqualTo(200);
            assertThat(item.body()).contains("\"name\":\"Item 1\"").contains("\"site\":\"img\"");
            assertThat(item.body()).isNotEqualTo(plain.body());
            String etag = item.headers().firstValue("ETag").orElseThrow();
            assertThat(etag).startsWith("\"item-1-img-").isNotEqualTo(plain.headers().firstValue("ETag").orElseThrow());
            assertThat(send(get("/item/1").header("If-None-Match", etag)).statusCode())
                    .as("the other origin's validator does not match").isEqualTo(200);
            HttpResponse<String> article = CLIENT.send(HttpRequest.newBuilder(img.uri().resolve("/article/2")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(article.body()).contains("demo origin of site img");
            assertThat(img.stats().count("/item/1")).isEqualTo(1);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OriginConfig.defaults(ServerConfig.ephemeral()).withSite("Img!"))
                .hasMessageStartingWith("origin.site : 'Img!'");
    }

    @Test
    void unknownPathsAndMethodsGetClearErrors() throws Exception {
        assertThat(send(get("/item/abc")).statusCode()).isEqualTo(404);
        assertThat(send(get("/static/12q")).statusCode()).isEqualTo(404);
        assertThat(send(get("/nothing")).body()).contains("no such object: /nothing");
        HttpResponse<String> post = send(get("/item/1").POST(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(send(get("/item/1?delay_ms=soon")).statusCode()).isEqualTo(400);
    }

    @Test
    void staticBodiesAreDeterministicStreamedAndRangeable() throws Exception {
        int size = 3 * StaticBody.PERIOD + 17;
        HttpResponse<InputStream> full = CLIENT.send(get("/static/" + size).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(full.headers().firstValue("Content-Length")).hasValue(String.valueOf(size));
        try (InputStream in = full.body()) {
            byte[] bytes = in.readAllBytes();
            assertThat(bytes).hasSize(size);
            for (int i = 0; i < size; i++) {
                if (bytes[i] != StaticBody.byteAt(i)) {
                    throw new AssertionError("byte " + i + " differs");
                }
            }
        }
        HttpResponse<byte[]> range = CLIENT.send(get("/static/1m").header("Range", "bytes=65519-65524").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 65519-65524/1048576");
        assertThat(range.body()).containsExactly(StaticBody.byteAt(65519), StaticBody.byteAt(65520),
                StaticBody.byteAt(65521), StaticBody.byteAt(65522), StaticBody.byteAt(65523), StaticBody.byteAt(65524));

        HttpResponse<String> head = send(get("/static/1g").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.headers().firstValue("Content-Length")).hasValue("1073741824");
        assertThat(head.headers().firstValue("Cache-Control")).hasValue("public, max-age=86400");
    }

    @Test
    void sizesParse() {
        assertThat(StaticBody.parseSize("1k")).hasValue(1024);
        assertThat(StaticBody.parseSize("256K")).hasValue(256 * 1024);
        assertThat(StaticBody.parseSize("1g")).hasValue(1L << 30);
        assertThat(StaticBody.parseSize("17")).hasValue(17);
        assertThat(StaticBody.parseSize("")).isEmpty();
        assertThat(StaticBody.parseSize("k")).isEmpty();
        assertThat(StaticBody.parseSize("-1")).isEmpty();
        assertThat(StaticBody.parseSize("999999999999g")).isEmpty();
    }

    @Test
    void statsCountWhatReachedTheOriginButNotThemselves() throws Exception {
        send(get("/item/9").header("Via", "1.1 edge-nyc"));
        send(get("/item/9?x=1"));
        send(get("/_origin/stats"));
        assertThat(origin.stats().count("/item/9")).isEqualTo(2);
        assertThat(origin.stats().total()).isEqualTo(2);
        HttpResponse<String> stats = send(get("/_origin/stats"));
        assertThat(stats.body()).contains("\"/item/9\" : 2").contains("1.1 edge-nyc");
        send(get("/_origin/stats?reset=1"));
        assertThat(origin.stats().total()).isZero();
    }

    @Test
    void echoReflectsAnyMethodWithItsBody() throws Exception {
        HttpResponse<String> echo = send(HttpRequest.newBuilder(URI.create(origin.uri() + "/echo/a?b=c"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("hello")));
        assertThat(echo.statusCode()).isEqualTo(200);
        assertThat(echo.body()).contains("\"method\" : \"PATCH\"").contains("\"query\" : \"b=c\"")
                .contains("\"bodyBytes\" : 5");
        assertThat(echo.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void theProcessingDelayIsAppliedWithoutHoldingAThread() throws Exception {
        long start = System.nanoTime();
        assertThat(send(get("/item/1?delay_ms=200")).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }
}
