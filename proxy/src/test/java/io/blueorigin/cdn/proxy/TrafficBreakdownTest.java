package io.blueorigin.cdn.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.metrics.NodeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The traffic breakdown's classifiers ({@link ContentTypes}, {@link UrlPatterns}) as tables, hostile inputs
 * included, and its counters as the heartbeat reports them ({@link ProxyMetrics#traffic()}).
 */
class TrafficBreakdownTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "NULL", textBlock = """
        # Content-Type field value                     | label
        text/html                                      | text/html
        text/html; charset=utf-8                       | text/html
        `  TEXT/HTML ;charset=UTF-8`                   | text/html
        application/xhtml+xml                          | text/html
        text/css                                       | text/css
        application/javascript                         | application/javascript
        text/javascript;charset=utf-8                  | application/javascript
        application/x-javascript                       | application/javascript
        text/x-javascript                              | application/javascript
        application/ECMAScript                         | application/javascript
        application/json                               | application/json
        application/problem+json; charset=utf-8        | application/json
        application/xml                                | application/xml
        text/xml                                       | application/xml
        image/svg+xml                                  | image/*
        application/atom+xml                           | application/xml
        text/plain                                     | text/*
        text/event-stream                              | text/*
        image/png                                      | image/*
        IMAGE/WEBP                                     | image/*
        video/mp4                                      | video/*
        application/vnd.apple.mpegurl                  | video/*
        application/dash+xml                           | video/*
        audio/mpeg                                     | audio/*
        font/woff2                                     | font/*
        application/font-woff                          | font/*
        application/x-font-ttf                         | font/*
        application/vnd.ms-fontobject                  | font/*
        application/octet-stream                       | application/octet-stream
        application/pdf                                | other
        multipart/byteranges; boundary=x               | other
        NULL                                           | none
        ``                                             | none
        `   `                                          | none
        ;charset=utf-8                                 | none
        html                                           | other
        text/                                          | other
        /html                                          | other
        /                                              | other
        `text/html garbage`                            | text/*
        x-evil/<script>alert(1)</script>               | other
        text/html/extra                                | text/*
        image/                                         | other
        """)
    void contentTypesFoldIntoTheFixedLabels(String value, String label) {
        assertThat(ContentTypes.LABELS.get(ContentTypes.index(value))).isEqualTo(label);
    }

    @Test
    void hugeContentTypesAreOtherOrTheirMediaType() {
        assertThat(ContentTypes.LABELS.get(ContentTypes.index("image/" + "x".repeat(100_000)))).isEqualTo("other");
        assertThat(ContentTypes.LABELS.get(ContentTypes.index("image/png;" + "x".repeat(100_000)))).isEqualTo("image/*");
        assertThat(ContentTypes.LABELS.get(ContentTypes.index(";".repeat(100_000)))).isEqualTo("none");
        assertThat(ContentTypes.LABELS.get(ContentTypes.index("/".repeat(100_000)))).isEqualTo("other");
        assertThat(ContentTypes.LABELS.get(ContentTypes.index("text\u0000/html"))).isEqualTo("other");
        assertThat(ContentTypes.LABELS.get(ContentTypes.index("\ud800/\udfff"))).isEqualTo("other");
    }

    private static final UrlPatterns PATTERNS = UrlPatterns.of(List.of("/static/*", "/api/v*/items/*.json", "/api/*",
            "/*.png", "/exact", "/a*b*a"));

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "NULL", textBlock = """
        # path                                   | label
        /static/                                 | /static/*
        /static/app.css                          | /static/*
        /static/a/b/c.png                        | /static/*
        /static                                  | other
        /STATIC/app.css                          | other
        /api/v2/items/7.json                     | /api/v*/items/*.json
        /api/v2/items/7.json/x                   | /api/*
        /api/v/items/.json                       | /api/v*/items/*.json
        /api/v2/items/json                       | /api/*
        /api/                                    | /api/*
        /img/logo.png                            | /*.png
        /static/logo.png                         | /static/*
        /exact                                   | /exact
        /exact/                                  | other
        /aba                                     | /a*b*a
        /aa                                      | other
        /abba                                    | /a*b*a
        /ab                                      | other
        /                                        | other
        ``                                       | other
        NULL                                     | other
        /%2e%2e/static/x                         | other
        /static/%2e%2e/secret                    | /static/*
        /static/x?y=1                            | /static/*
        //static/x                               | other
        """)
    void urlPatternsFirstMatchWins(String path, String label) {
        assertThat(PATTERNS.labels().get(PATTERNS.index(path))).isEqualTo(label);
    }

    @Test
    void weirdAndHugePathsAreClassifiedWithoutFailing() {
        assertThat(PATTERNS.labels().get(PATTERNS.index("/static/" + "a".repeat(100_000)))).isEqualTo("/static/*");
        assertThat(PATTERNS.labels().get(PATTERNS.index("/a" + "b".repeat(100_000)))).isEqualTo("other");
        assertThat(PATTERNS.labels().get(PATTERNS.index("/\u0000\uffff\ud800"))).isEqualTo("other");
        assertThat(UrlPatterns.NONE.labels()).containsExactly("other");
        assertThat(UrlPatterns.NONE.index("/anything")).isZero();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # pattern       | message
        static/*        | stats.url-patterns : 'static/*' does not start with /
        ``              | stats.url-patterns : '' does not start with /
        *.png           | stats.url-patterns : '*.png' does not start with /
        /a b            | stats.url-patterns : '/a?b' has a space, control or non-ASCII character at 2
        /caf\u00e9      | stats.url-patterns : '/caf?' has a space, control or non-ASCII character at 4
        /a?b            | stats.url-patterns : '/a?b' has '?'
        /a#b            | stats.url-patterns : '/a#b' has '#'
        """)
    void badPatternsNameTheSettingAndThePattern(String pattern, String message) {
        assertThatThrownBy(() -> UrlPatterns.of(List.of(pattern))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void patternsAreBounded() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < UrlPatterns.MAX_PATTERNS; i++) {
            many.add("/p" + i + "/*");
        }
        assertThat(UrlPatterns.of(many).labels()).hasSize(UrlPatterns.MAX_PATTERNS + 1).endsWith("other");
        many.add("/one-more");
        assertThatThrownBy(() -> UrlPatterns.of(many)).hasMessage("stats.url-patterns : 33 patterns, at most 32 are"
                + " allowed (each one is a label admin stores per heartbeat); merge some with *");
        assertThatThrownBy(() -> UrlPatterns.of(List.of("/" + "x".repeat(UrlPatterns.MAX_LENGTH))))
                .hasMessageEndingWith("is longer than 200 characters");
        assertThatThrownBy(() -> UrlPatterns.of(List.of("/a/*", "/a/*"))).hasMessageStartingWith(
                "stats.url-patterns : '/a/*' is given twice");
    }

    @Test
    void theHeartbeatReportsCumulativeCountsPerLabelWithTraffic() {
        ProxyMetrics metrics = new ProxyMetrics(new NodeMetrics(new NodeIdentity(Role.EDGE, "edge-test", "test")),
                UrlPatterns.of(List.of("/static/*", "/api/*")));
        TrafficBreakdown breakdown = metrics.breakdown();
        int html = ContentTypes.index("text/html; charset=utf-8");
        int css = ContentTypes.index("text/css");
        int statics = breakdown.urlPattern("/static/app.css");
        int other = breakdown.urlPattern("/index.html");
        breakdown.request(css, statics, true);
        breakdown.served(css, statics, 100);
        breakdown.request(css, statics, false);
        breakdown.served(css, statics, 50);
        breakdown.request(html, other, true);
        breakdown.served(html, other, 1000);

        Map<String, Object> traffic = metrics.traffic();
        assertThat(traffic.get("contentTypes")).isEqualTo(Map.of(
                "text/css", Map.of("requests", 2L, "hits", 1L, "bytesServed", 150L),
                "text/html", Map.of("requests", 1L, "hits", 1L, "bytesServed", 1000L)));
        assertThat(traffic.get("urlPatterns")).as("labels without traffic (/api/*) are left out").isEqualTo(Map.of(
                "/static/*", Map.of("requests", 2L, "hits", 1L, "bytesServed", 150L),
                "other", Map.of("requests", 1L, "hits", 1L, "bytesServed", 1000L)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "text/html; charset=utf-8 | HTML", "application/xhtml+xml | HTML", "text/css | CSS_JS",
        "text/x-javascript | CSS_JS", "application/javascript | CSS_JS", "image/webp | IMAGE",
        "application/vnd.apple.mpegurl | VIDEO", "video/mp4 | VIDEO", "application/json | OTHER", "font/woff2 | OTHER",
    })
    void theMetricsContentClassComesFromTheSameParse(String contentType, ProxyMetrics.ContentClass expected) {
        assertThat(ProxyMetrics.ContentClass.of(ContentTypes.index(contentType))).isEqualTo(expected);
        assertThat(ProxyMetrics.ContentClass.of(ContentTypes.index(null))).isEqualTo(ProxyMetrics.ContentClass.OTHER);
    }
}
