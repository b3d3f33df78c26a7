package io.blueorigin.cdn.runtime;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Attributes;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@link NodeServer} with {@code access-log.path} set: real HTTP requests, then the exact line
 * format read back from the file, field by field. The traffic handler stands in for the proxy: it sets
 * {@code X-Cache}, {@code X-Request-ID} and {@link AccessLog#UPSTREAM_MILLIS} the ways the proxy may
 * (core handler, under a request wrapper, from a servlet).
 */
class AccessLogIT {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String QUOTED = "\"((?:[^\"\\\\]|\\\\.)*)\"";
    /** One whole line, a group per field: NCSA combined, then site, cache, upstream ms, request id, total ms. */
    private static final Pattern LINE = Pattern.compile("^(\\S+) - - \\[(\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000)\\] "
            + QUOTED + " (\\d{3}) (\\d+|-) " + QUOTED + " " + QUOTED + " (\\S+) (\\S+) (\\d+|-) (\\S+) (\\d+)$");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern(AccessLog.TIME_FORMAT, Locale.ENGLISH);

    @TempDir
    Path dir;
    private Path log;
    private NodeServer server;
    private Instant started;

    /** The fields of one parsed line. */
    private record Line(String client, Instant time, String request, int status, String bytes, String referer,
            String userAgent, String site, String cache, String upstreamMillis, String requestId, long totalMillis) {
        static Line parse(String line) {
            Matcher m = LINE.matcher(line);
            assertThat(m.matches()).as("access log line format: %s", line).isTrue();
            return new Line(m.group(1), ZonedDateTime.parse(m.group(2), TIME).toInstant(), m.group(3),
                    Integer.parseInt(m.group(4)), m.group(5), m.group(6), m.group(7), m.group(8), m.group(9),
                    m.group(10), m.group(11), Long.parseLong(m.group(12)));
        }
    }

    @BeforeEach
    void start() {
        log = dir.resolve("edge-nyc.access.log");
        ServerConfig config = withAccessLog(Optional.of(log));
        started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        server = NodeServer.builder(new HealthRegistry(NodeIdentity.of(Role.EDGE, "nyc")), config)
                .traffic(new Handler.Sequence(new ProxyStandIn(), servletContext()))
                .build().start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Ephemeral ports; no graceful stop wait (the client's idle keep-alive connections would hold it up). */
    private static ServerConfig withAccessLog(Optional<Path> accessLog) {
        ServerConfig e = ServerConfig.ephemeral();
        return new ServerConfig(e.host(), e.port(), e.managementHost(), e.managementPort(), e.maxThreads(),
                e.idleTimeout(), Duration.ZERO, accessLog);
    }

    /**
     * Core handler like the proxy's CacheHandler: {@code /hit/*} answers from "cache", {@code /miss/*}
     * sets the upstream time on the request it was given; {@code /wrapped/*} sets it under a
     * {@link Request.Wrapper}; {@code /own-attributes/*} under a wrapper with its own attributes, on the
     * wrapper or on {@link Request#unWrap}; {@code /plain} sets nothing; anything else is not handled (404).
     */
    private static final class ProxyStandIn extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            if (path.startsWith("/hit/")) {
                return answer(request, response, callback, "HIT");
            }
            if (path.startsWith("/miss/")) {
                request.setAttribute(AccessLog.UPSTREAM_MILLIS, 12L);
                request.setAttribute(AccessLog.SITE, "img");
                return answer(request, response, callback, "MISS");
            }
            if (path.startsWith("/wrapped/")) {
                Request wrapped = new Request.Wrapper(request);
                wrapped.setAttribute(AccessLog.UPSTREAM_MILLIS, 23);
                return answer(wrapped, response, callback, "REVALIDATED");
            }
            if (path.startsWith("/own-attributes/")) {
                Request wrapped = new Request.AttributesWrapper(request, new Attributes.Mapped());
                Request target = path.endsWith("/unwrapped") ? Request.unWrap(wrapped) : wrapped;
                target.setAttribute(AccessLog.UPSTREAM_MILLIS, 45L);
                return answer(wrapped, response, callback, "MISS");
            }
            if (path.equals("/plain")) {
                response.setStatus(200);
                Content.Sink.write(response, true, "plain", callback);
                return true;
            }
            return false;
        }

        /** Writes a 5-byte body even for HEAD, as a careless handler would: the log must still say "-". */
        private static boolean answer(Request request, Response response, Callback callback, String cacheStatus) {
            response.setStatus(200);
            response.getHeaders().put(AccessLog.CACHE_STATUS_FIELD, cacheStatus);
            String id = request.getHeaders().get(AccessLog.REQUEST_ID_FIELD);
            response.getHeaders().put(AccessLog.REQUEST_ID_FIELD, id != null ? id : "generated-id");
            Content.Sink.write(response, true, "hello", callback);
            return true;
        }
    }

    /** {@code /servlet/*}: the proxy's pass path is a servlet; it sets the attribute through the servlet API. */
    private static ServletContextHandler servletContext() {
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/servlet");
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                req.setAttribute(AccessLog.UPSTREAM_MILLIS, 34L);
                resp.setHeader(AccessLog.CACHE_STATUS_FIELD, "PASS");
                resp.getOutputStream().write("passed".getBytes(ISO_8859_1));
            }
        }), "/*");
        return context;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String pathQuery) {
        return HttpRequest.newBuilder(server.uri().resolve(pathQuery)).version(HttpClient.Version.HTTP_1_1);
    }

    /** Sends {@code head} (request line and fields, CRLF-separated, no blank line) on its own connection. */
    private String raw(String head) throws IOException {
        try (Socket socket = new Socket(server.uri().getHost(), server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), ISO_8859_1);
        }
    }

    /** Waits for the writer thread to log a request whose request line starts with {@code methodAndTarget}. */
    private Line lineFor(String methodAndTarget) {
        String prefix = "\"" + methodAndTarget + " ";
        String line = await().atMost(Duration.ofSeconds(10)).until(
                () -> lines().stream().filter(l -> l.contains(prefix)).findFirst(), Optional::isPresent).orElseThrow();
        Line parsed = Line.parse(line);
        assertThat(parsed.client()).isEqualTo("127.0.0.1");
        assertThat(parsed.time()).isBetween(started, Instant.now());
        assertThat(parsed.totalMillis()).isNotNegative();
        return parsed;
    }

    private List<String> lines() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log, ISO_8859_1) : List.of();
    }

    @Test
    void aHitIsOneCombinedLinePlusCacheStatusAndRequestIdAndNoUpstreamTime() throws Exception {
        HttpResponse<String> response = send(request("/hit/1?v=2")
                .header("Referer", "https://example.com/page")
                .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)")
                .header("X-Request-ID", "client-chosen-id"));
        assertThat(response.statusCode()).isEqualTo(200);

        Line line = lineFor("GET /hit/1?v=2");
        assertThat(line.request()).isEqualTo("GET /hit/1?v=2 HTTP/1.1");
        assertThat(line.status()).isEqualTo(200);
        assertThat(line.bytes()).isEqualTo("5");
        assertThat(line.referer()).isEqualTo("https://example.com/page");
        assertThat(line.userAgent()).isEqualTo("Mozilla/5.0 (X11; Linux x86_64)");
        assertThat(line.site()).isEqualTo("-"); // no site named: a request no site served, or admin's
        assertThat(line.cache()).isEqualTo("HIT");
        assertThat(line.upstreamMillis()).isEqualTo("-");
        assertThat(line.requestId()).isEqualTo("client-chosen-id");
    }

    @Test
    void theUpstreamTimeTheHandlerSetOnItsRequestIsLogged() throws Exception {
        send(request("/miss/1"));
        Line line = lineFor("GET /miss/1");
        assertThat(line.site()).isEqualTo("img");
        assertThat(line.cache()).isEqualTo("MISS");
        assertThat(line.upstreamMillis()).isEqualTo("12");
        assertThat(line.requestId()).isEqualTo("generated-id");
        assertThat(line.userAgent()).startsWith("Java-http-client/");
        assertThat(line.referer()).isEqualTo("-");
    }

    @Test
    void theUpstreamTimeSetUnderARequestWrapperOrFromAServletIsLogged() throws Exception {
        send(request("/wrapped/1"));
        send(request("/servlet/pass?x=1").POST(HttpRequest.BodyPublishers.ofString("body")));

        Line wrapped = lineFor("GET /wrapped/1");
        assertThat(wrapped.cache()).isEqualTo("REVALIDATED");
        assertThat(wrapped.upstreamMillis()).isEqualTo("23");
        Line servlet = lineFor("POST /servlet/pass?x=1");
        assertThat(servlet.cache()).isEqualTo("PASS");
        assertThat(servlet.upstreamMillis()).isEqualTo("34");
        assertThat(servlet.bytes()).isEqualTo("6");
    }

    @Test
    void underAWrapperWithItsOwnAttributesOnlyTheUnwrappedRequestReachesTheLog() throws Exception {
        send(request("/own-attributes/wrapper"));
        send(request("/own-attributes/unwrapped"));

        assertThat(lineFor("GET /own-attributes/wrapper").upstreamMillis()).isEqualTo("-");
        assertThat(lineFor("GET /own-attributes/unwrapped").upstreamMillis()).isEqualTo("45");
    }

    @Test
    void aHeadSendsNoBodyAndLogsADash() throws Exception {
        HttpResponse<String> response = send(request("/hit/head").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).isEqualTo(200);

        Line line = lineFor("HEAD /hit/head");
        assertThat(line.request()).isEqualTo("HEAD /hit/head HTTP/1.1");
        assertThat(line.bytes()).isEqualTo("-");
        assertThat(line.cache()).isEqualTo("HIT");
    }

    @Test
    void aNotFoundHasDashesForWhatNoHandlerSet() throws Exception {
        assertThat(send(request("/nowhere")).statusCode()).isEqualTo(404);

        Line line = lineFor("GET /nowhere");
        assertThat(line.status()).isEqualTo(404);
        assertThat(line.cache()).isEqualTo("-");
        assertThat(line.upstreamMillis()).isEqualTo("-");
        assertThat(line.requestId()).isEqualTo("-");
    }

    @Test
    void aRequestWithoutOptionalFieldsLogsDashesEverywhere() throws Exception {
        assertThat(raw("GET /plain HTTP/1.1")).startsWith("HTTP/1.1 200");

        Line line = lineFor("GET /plain");
        assertThat(line.bytes()).isEqualTo("5");
        assertThat(line.referer()).isEqualTo("-");
        assertThat(line.userAgent()).isEqualTo("-");
        assertThat(line.cache()).isEqualTo("-");
        assertThat(line.upstreamMillis()).isEqualTo("-");
        assertThat(line.requestId()).isEqualTo("-");
    }

    @Test
    void hostileFieldsAreEscapedAndCannotBreakTheLine() throws Exception {
        // quotes, a backslash, a tab and non-ASCII bytes pass Jetty's parser and reach the log (raw() sends
        // each char as one byte: C3 A9 is a UTF-8 e-acute on the wire, a lone E9 an ISO-8859-1 one)
        raw("GET /plain?hostile HTTP/1.1\r\nUser-Agent: evil\" \"agent\\ \tcaf\u00c3\u00a9 \u00e9\r\nReferer: \"\r\n"
                + "X-Request-ID: spaced \"id\"");
        // a CR LF inside a field value (obs-fold, here trying to forge a second line) is a 400 from Jetty's
        // parser before any handler; it is logged without the request's fields
        assertThat(raw("GET /plain?folded HTTP/1.1\r\nUser-Agent: evil\r\n 200 \"injected\r\nX-Request-ID: x"))
                .startsWith("HTTP/1.1 400");

        Line hostile = lineFor("GET /plain?hostile");
        assertThat(hostile.status()).isEqualTo(200);
        assertThat(hostile.userAgent()).isEqualTo("evil\\\" \\\"agent\\\\ \\tcaf\\xc3\\xa9 \\xe9");
        assertThat(hostile.referer()).isEqualTo("\\\"");
        assertThat(hostile.requestId()).isEqualTo("spaced\\x20\\\"id\\\"");
        Line folded = lineFor("GET /plain?folded");
        assertThat(folded.status()).isEqualTo(400);
        assertThat(folded.userAgent()).isEqualTo("-");
        assertThat(lines()).hasSize(2).allSatisfy(Line::parse);
    }

    @Test
    void aPathWithTheDatePatternWritesTheFileOfTheUtcDay() throws Exception {
        server.close();
        Path dated = dir.resolve("shield-iad.yyyy_mm_dd.access.log");
        server = NodeServer.builder(new HealthRegistry(NodeIdentity.of(Role.SHIELD, "iad")),
                withAccessLog(Optional.of(dated))).traffic(new ProxyStandIn()).build().start();
        DateTimeFormatter day = DateTimeFormatter.ofPattern("yyyy_MM_dd").withZone(ZoneOffset.UTC);
        String before = day.format(Instant.now());

        send(request("/hit/dated"));

        String after = day.format(Instant.now());
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (String date : List.of(before, after)) {
                Path file = dir.resolve("shield-iad." + date + ".access.log");
                if (Files.exists(file) && Files.readString(file, ISO_8859_1).contains("\"GET /hit/dated ")) {
                    return true;
                }
            }
            return false;
        });
    }

    @Test
    void anAccessLogInAMissingDirectoryIsAStartupErrorNamingTheKey() {
        Path missing = dir.resolve("no-such-dir").resolve("edge.access.log");
        NodeServer node = NodeServer.builder(new HealthRegistry(NodeIdentity.of(Role.EDGE, "lhr")),
                withAccessLog(Optional.of(missing))).traffic(new ProxyStandIn()).build();
        assertThatThrownBy(node::start)
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("access-log.path")
                .hasMessageContaining(missing.toString());
        assertThat(node.isRunning()).isFalse();
    }
}
