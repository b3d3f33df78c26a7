package io.blueorigin.cdn.origin;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.runtime.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.ByteRange;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.DateParser;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The demo origin's routes. Every content route waits the configured processing delay (or
 * {@code ?delay_ms=N}) on the scheduler, never on a thread, so a herd of 200 requests costs no threads.
 *
 * <pre>
 *   GET  /item/{n}, /article/{n}   small JSON / HTML, Cache-Control: public, max-age=60, ETag, Last-Modified,
 *                                  Surrogate-Key: item-{n} items (article-{n} articles); 304 on a match;
 *                                  with origin.site set, the site's name in the body and the ETag
 *   GET  /static/{size}            deterministic body of {size} bytes (1k, 256k, 1m, 1g...), streamed,
 *                                  max-age=86400, single byte ranges
 *   ANY  /echo/...                 JSON reflection of the request (method, headers, body digest), no-store
 *   GET  /_origin/stats            requests counted per path; ?reset=1 (or DELETE) clears; not counted
 *   GET  /                         this list
 * </pre>
 */
final class OriginHandler extends Handler.Abstract.NonBlocking {
    private static final String STATS = "/_origin/stats";
    private static final int MAX_ECHO_BODY = 16 << 20;
    private static final String INDEX = """
            Blue Origin demo origin
              /item/{n}        small JSON, max-age=60, ETag, Surrogate-Key: item-{n} items
              /article/{n}     small HTML, max-age=60, ETag, Surrogate-Key: article-{n} articles
              /static/{size}   deterministic bytes (e.g. 1k, 256k, 1m, 1g), max-age=86400, ranges
              /echo/...        reflects the request, no-store
              /_origin/stats   requests that reached the origin (?reset=1 clears)
            Query ?delay_ms=N overrides the processing delay of one request.
            """;

    private final OriginConfig config;
    private final OriginStats stats;
    private final Instant lastModified;
    private final String lastModifiedHeader;
    private final String version;

    OriginHandler(OriginConfig config, OriginStats stats, Instant startedAt) {
        this.config = requireNonNull(config, "config is null");
        this.stats = requireNonNull(stats, "stats is null");
        this.lastModified = startedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        this.lastModifiedHeader = DateGenerator.formatDate(lastModified);
        this.version = Long.toHexString(lastModified.getEpochSecond());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (path.equals(STATS)) {
            return stats(request, response, callback);
        }
        HttpFields headers = request.getHeaders();
        stats.record(request.getMethod(), path, String.valueOf(headers.get(HttpHeader.VIA)),
                String.valueOf(headers.get("X-Request-ID")));
        if (path.equals("/")) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            Content.Sink.write(response, true, INDEX, callback);
            return true;
        }
        Route route = route(path);
        if (route == null) {
            return error(response, callback, HttpStatus.NOT_FOUND_404, "no such object: " + path);
        }
        if (!route.anyMethod() && !HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            return error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, request.getMethod() + " not allowed on " + path);
        }
        Duration delay;
        try {
            delay = delay(request);
        } catch (IllegalArgumentException e) {
            return error(response, callback, HttpStatus.BAD_REQUEST_400, e.getMessage());
        }
        Runnable serve = () -> {
            try {
                route.serve(request, response, callback);
            } catch (Throwable t) {
                callback.failed(t);
            }
        };
        if (delay.isZero()) {
            serve.run();
        } else {
            request.getComponents().getScheduler().schedule(serve, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        return true;
    }

    private Duration delay(Request request) {
        String value = Request.extractQueryParameters(request).getValue("delay_ms");
        if (value == null) {
            return config.delay();
        }
        long ms;
        try {
            ms = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("delay_ms=" + value + " is not a number of milliseconds");
        }
        if (ms < 0 || ms > OriginConfig.MAX_DELAY.toMillis()) {
            throw new IllegalArgumentException("delay_ms=" + value + " (expected: 0.." + OriginConfig.MAX_DELAY.toMillis() + ")");
        }
        return Duration.ofMillis(ms);
    }

    /** A content route: what to serve once the delay has passed. */
    private interface Route {
        void serve(Request request, Response response, Callback callback) throws Exception;

        default boolean anyMethod() {
            return false;
        }
    }

    private Route route(String path) {
        if (path.startsWith("/item/")) {
            return page(path.substring("/item/".length()), "item");
        }
        if (path.startsWith("/article/")) {
            return page(path.substring("/article/".length()), "article");
        }
        if (path.startsWith("/private/")) {
            return page(path.substring("/private/".length()), "article"); // the demo's www needs signed URLs here
        }
        if (path.startsWith("/static/")) {
            OptionalLong size = StaticBody.parseSize(path.substring("/static/".length()));
            return size.isPresent() ? (req, resp, cb) -> serveStatic(req, resp, cb, size.getAsLong()) : null;
        }
        if (path.equals("/echo") || path.startsWith("/echo/")) {
            return new Route() {
                @Override
                public void serve(Request request, Response response, Callback callback) {
                    echo(request, response, callback);
                }

                @Override
                public boolean anyMethod() {
                    return true;
                }
            };
        }
        return null;
    }

    private Route page(String id, String kind) {
        if (id.isEmpty() || id.length() > 18 || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        long n = Long.parseLong(id);
        String body;
        String contentType;
        String site = config.site();
        if (kind.equals("item")) {
            contentType = "application/json";
            body = "{\"id\":" + n + ",\"name\":\"Item " + n + "\",\"price\":" + (n % 100) + "." + (n % 7) + "9"
                    + (site.isEmpty() ? "" : ",\"site\":\"" + site + "\"") + ",\"version\":\"" + version + "\"}\n";
        } else {
            contentType = "text/html; charset=utf-8";
            body = "<!doctype html>\n<html><head><title>Article " + n + "</title></head>\n<body><h1>Article " + n
                    + "</h1>\n<p>Served by the Blue Origin demo origin" + (site.isEmpty() ? "" : " of site " + site)
                    + ", version " + version + ".</p></body></html>\n";
        }
        // another site's origin started in the same second has other validators: a 304 never crosses sites
        String etag = "\"" + kind + "-" + n + "-" + (site.isEmpty() ? "" : site + "-") + version + "\"";
        String surrogateKey = kind + "-" + n + " " + kind + "s";
        return (request, response, callback) -> {
            HttpFields.Mutable out = response.getHeaders();
            out.put(HttpHeader.CONTENT_TYPE, contentType);
            out.put(HttpHeader.CACHE_CONTROL, "public, max-age=" + config.pageMaxAge().toSeconds());
            out.put(HttpHeader.ETAG, etag);
            out.put(HttpHeader.LAST_MODIFIED, lastModifiedHeader);
            out.put("Surrogate-Key", surrogateKey);
            if (notModified(request, etag)) {
                response.setStatus(HttpStatus.NOT_MODIFIED_304);
                callback.succeeded();
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.put(HttpHeader.CONTENT_LENGTH, bytes.length);
            if (HttpMethod.HEAD.is(request.getMethod())) {
                callback.succeeded();
            } else {
                response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
            }
        };
    }

    private void serveStatic(Request request, Response response, Callback callback, long size) {
        String etag = "\"static-" + size + "-" + version + "\"";
        HttpFields.Mutable out = response.getHeaders();
        out.put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        out.put(HttpHeader.CACHE_CONTROL, "public, max-age=" + config.staticMaxAge().toSeconds());
        out.put(HttpHeader.ETAG, etag);
        out.put(HttpHeader.LAST_MODIFIED, lastModifiedHeader);
        out.put(HttpHeader.ACCEPT_RANGES, "bytes");
        out.put("Surrogate-Key", "static static-" + size);
        if (notModified(request, etag)) {
            response.setStatus(HttpStatus.NOT_MODIFIED_304);
            callback.succeeded();
            return;
        }
        long from = 0;
        long length = size;
        List<String> rangeHeaders = request.getHeaders().getValuesList(HttpHeader.RANGE);
        if (!rangeHeaders.isEmpty() && size > 0) {
            List<ByteRange> ranges = ByteRange.parse(rangeHeaders, size);
            if (ranges.size() == 1) {
                ByteRange range = ranges.get(0);
                response.setStatus(HttpStatus.PARTIAL_CONTENT_206);
                out.put(HttpHeader.CONTENT_RANGE, range.toHeaderValue(size));
                from = range.first();
                length = range.getLength();
            }
        }
        out.put(HttpHeader.CONTENT_LENGTH, length);
        if (HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
            return;
        }
        StaticBody.write(response, from, length, callback);
    }

    /** RFC 9110 §13.1.2 / §13.1.3: If-None-Match (weak comparison) wins over If-Modified-Since. */
    private boolean notModified(Request request, String etag) {
        HttpFields headers = request.getHeaders();
        List<String> ifNoneMatch = headers.getValuesList(HttpHeader.IF_NONE_MATCH);
        if (!ifNoneMatch.isEmpty()) {
            for (String value : ifNoneMatch) {
                for (String candidate : value.split(",")) {
                    String c = candidate.trim();
                    c = c.startsWith("W/") ? c.substring(2) : c;
                    if (c.equals("*") || c.equals(etag)) {
                        return true;
                    }
                }
            }
            return false;
        }
        String ims = headers.get(HttpHeader.IF_MODIFIED_SINCE);
        if (ims != null) {
            long since = DateParser.parseDate(ims);
            return since >= 0 && since >= lastModified.toEpochMilli();
        }
        return false;
    }

    private void echo(Request request, Response response, Callback callback) {
        Content.Source.asByteArrayAsync(request, MAX_ECHO_BODY).whenComplete((body, failure) -> {
            if (failure != null) {
                error(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413,
                        "echo bodies are limited to " + MAX_ECHO_BODY + " bytes");
                return;
            }
            Map<String, Object> reflection = new LinkedHashMap<>();
            reflection.put("method", request.getMethod());
            reflection.put("path", Request.getPathInContext(request));
            reflection.put("query", request.getHttpURI().getQuery());
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (HttpField field : request.getHeaders()) {
                headers.computeIfAbsent(field.getName(), k -> new java.util.ArrayList<>()).add(field.getValue());
            }
            reflection.put("headers", headers);
            reflection.put("bodyBytes", body.length);
            reflection.put("bodySha256", sha256(body));
            reflection.put("body", new String(body, StandardCharsets.UTF_8));
            Json.respond(response, HttpStatus.OK_200, reflection, callback);
        });
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean stats(Request request, Response response, Callback callback) {
        Fields query = Request.extractQueryParameters(request);
        if (HttpMethod.DELETE.is(request.getMethod()) || "1".equals(query.getValue("reset"))) {
            stats.reset();
        }
        Json.respond(response, HttpStatus.OK_200, stats.snapshot(), callback);
        return true;
    }

    private static boolean error(Response response, Callback callback, int status, String message) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, status + " " + HttpStatus.getMessage(status) + ": " + message + "\n", callback);
        return true;
    }
}
