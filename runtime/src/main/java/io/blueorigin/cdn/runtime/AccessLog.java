package io.blueorigin.cdn.runtime;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TimeZone;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.AsyncRequestLogWriter;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.DateCache;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's access log ({@code access-log.path}): one line per request, NCSA combined followed by four CDN
 * fields, separated by single spaces:
 *
 * <pre>
 * client - - [time] "method target protocol" status bytes "referer" "user-agent" cache upstream-ms request-id total-ms
 * 203.0.113.7 - - [06/Aug/2026:14:03:59 +0000] "GET /item/1 HTTP/1.1" 200 5120 "-" "curl/8.5.0" MISS 12 9f3c0a1b2c3d4e5f 14
 * </pre>
 *
 * <ul>
 *   <li>{@code client}: the peer address ({@link Request#getRemoteAddr}); {@code - -}: ident and user, never known.</li>
 *   <li>{@code time}: when the request's headers arrived, {@code dd/MMM/yyyy:HH:mm:ss Z}, English month, UTC.</li>
 *   <li>{@code "method target protocol"}: the request line as received (origin-form target, query included).</li>
 *   <li>{@code bytes}: body bytes sent, {@code -} for none (Apache's {@code %b}); always {@code -} for a HEAD,
 *       a 1xx, 204 or 304, which carry no body whatever the handler wrote.</li>
 *   <li>{@code "referer" "user-agent"}: the request fields, {@code "-"} when absent or empty.</li>
 *   <li>{@code cache}: the response's {@code X-Cache} ({@code HIT}, {@code MISS}, {@code STALE},
 *       {@code REVALIDATED}, {@code PASS}; docs/x-cache.md), {@code -} when absent (admin, a 404 of the node's own).</li>
 *   <li>{@code upstream-ms}: the request attribute {@link #UPSTREAM_MILLIS}, {@code -} when absent.</li>
 *   <li>{@code request-id}: the response's {@code X-Request-ID}, else the request's, else {@code -}.</li>
 *   <li>{@code total-ms}: from the request's first byte to the moment it is logged, after its last byte was written.</li>
 * </ul>
 *
 * <p>Invariant: a line is one line of printable ASCII whose unquoted fields contain no space and whose
 * quoted fields contain no unescaped {@code "}, whatever a client sends, so {@code awk}, GoAccess and
 * other combined-format parsers split it the same way. Escaping follows Apache httpd's
 * {@code ap_escape_logitem}: {@code "} and {@code \} get a backslash, {@code \b \n \r \t \v} their
 * C-style names, and every other control character, DEL and every non-ASCII byte is written {@code \xhh}.
 * Jetty reads field bytes as ISO-8859-1, so {@code \xhh} is the byte as received (a UTF-8 {@code é} from
 * a client is {@code \xc3\xa9}); a character above U+00FF (only a handler can set one) is written as its
 * UTF-8 bytes. Unquoted fields also write a space as {@code \x20}. (Jetty's
 * {@code CustomRequestLog} can print attributes with {@code %{name}attr}, but it writes control
 * characters raw and escapes a value only when it holds {@code "}, {@code \} or {@code ,}.)
 *
 * <p>Upstream time: the proxy sets {@link #UPSTREAM_MILLIS} to a {@link Number} (milliseconds it waited
 * for the upstream's response headers) with {@code request.setAttribute(AccessLog.UPSTREAM_MILLIS, ms)}
 * on the core {@link Request} its handler was given, before it completes the callback. The log reads it
 * from the request Jetty hands to every {@link RequestLog}: the connection's own request (or the one a
 * {@code HttpConfiguration.Customizer} made). The proxy's {@code CacheHandler} sits right under the
 * {@code GracefulHandler}, so it is given that very request; deeper down it still works, because a plain
 * {@link Request.Wrapper} and the ee10 {@code ServletContextRequest} pass {@code setAttribute} down to the
 * request they wrap, so a servlet may equally call {@code HttpServletRequest.setAttribute} (AccessLogIT
 * proves all three).
 * The exception is a wrapper that keeps attributes of its own ({@link Request.AttributesWrapper} over
 * a private map): under one, set the attribute on {@link Request#unWrap(Request)} instead, which is
 * always safe.
 *
 * <p>Output: Jetty's {@link AsyncRequestLogWriter} appends to the file from one writer thread, so a
 * request thread never waits for the disk; a queue of {@link #QUEUE_LINES} lines absorbs bursts, and
 * lines beyond it are dropped with a Jetty warning ("Log Queue overflow") rather than slowing traffic.
 * A path containing {@code yyyy_mm_dd} (e.g. {@code /var/log/blue-origin/edge-nyc.yyyy_mm_dd.access.log})
 * rotates at midnight UTC, the date replacing the pattern, and files older than {@link #RETAIN_DAYS}
 * days are deleted; any other path is one file, appended across restarts, for logrotate
 * ({@code copytruncate}: the file stays open). The directory must exist.
 *
 * <p>Threading: {@link #log} is called by Jetty on whichever thread completes a request, concurrently;
 * it keeps no state between calls.
 */
public final class AccessLog extends ContainerLifeCycle implements RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);

    /** Request attribute: milliseconds the proxy waited for upstream response headers, a {@link Number}. */
    public static final String UPSTREAM_MILLIS = "io.blueorigin.cdn.upstream-ms";
    /**
     * Request attribute: the site that served the request, logged after the User-Agent as its {@code toString()}
     * (the proxy puts its site object, whose string is the name); {@code -} when none did (a 421, admin's requests).
     */
    public static final String SITE = "io.blueorigin.cdn.site";
    /** Response field whose value is logged as the cache status. */
    public static final String CACHE_STATUS_FIELD = "X-Cache";
    /** Response (else request) field whose value is logged as the request id. */
    public static final String REQUEST_ID_FIELD = "X-Request-ID";
    /** Days a dated log file ({@code yyyy_mm_dd} in the path) is kept after its day ends. */
    public static final int RETAIN_DAYS = 31;
    /** Lines waiting for the writer thread at most; more are dropped. */
    public static final int QUEUE_LINES = 16_384;
    /** Format of the time field, as in Apache's {@code %t}. */
    static final String TIME_FORMAT = "dd/MMM/yyyy:HH:mm:ss Z";

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Path path;
    private final RequestLog.Writer writer;
    private final DateCache dates = new DateCache(TIME_FORMAT, Locale.ENGLISH, TimeZone.getTimeZone("UTC"));

    private AccessLog(Path path, RequestLog.Writer writer) {
        this.path = path;
        this.writer = writer;
        addBean(writer);
    }

    /**
     * An access log appending to {@code path} (rotated daily when it contains {@code yyyy_mm_dd}); opened
     * when started, which fails with a {@link StartupException} naming {@code access-log.path} when it
     * cannot be.
     */
    public static AccessLog toFile(Path path) {
        requireNonNull(path, "path is null");
        AsyncRequestLogWriter writer = new AsyncRequestLogWriter(path.toString(), new BlockingArrayQueue<>(QUEUE_LINES));
        writer.setAppend(true);
        writer.setRetainDays(RETAIN_DAYS);
        writer.setTimeZone("UTC");
        return new AccessLog(path, writer);
    }

    @Override
    protected void doStart() throws Exception {
        try {
            super.doStart();
        } catch (IOException e) {
            throw new StartupException("cannot open the access log " + path + " (access-log.path): " + e.getMessage()
                    + ". Create the directory and let the node's user write to it, or change access-log.path.", e);
        }
    }

    @Override
    public void log(Request request, Response response) {
        try {
            writer.write(line(request, response));
        } catch (Throwable e) {
            LOG.warn("cannot write an access log line to {}", path, e);
        }
    }

    /** The line for one completed request, without a line separator. */
    String line(Request request, Response response) {
        StringBuilder out = new StringBuilder(256);
        token(out, Request.getRemoteAddr(request));
        out.append(" - - [").append(dates.format(Request.getTimeStamp(request))).append("] \"");
        quoted(out, request.getMethod());
        out.append(' ');
        quoted(out, target(request.getHttpURI()));
        out.append(' ');
        quoted(out, request.getConnectionMetaData().getProtocol());
        int status = response.getStatus();
        out.append("\" ").append(status).append(' ');
        long bytes = Response.getContentBytesWritten(response);
        if (bytes > 0 && !hasNoContent(request.getMethod(), status)) {
            out.append(bytes);
        } else {
            out.append('-');
        }
        out.append(" \"");
        quoted(out, request.getHeaders().get(HttpHeader.REFERER));
        out.append("\" \"");
        quoted(out, request.getHeaders().get(HttpHeader.USER_AGENT));
        out.append("\" ");
        Object site = request.getAttribute(SITE);
        token(out, site == null ? null : site.toString());
        out.append(' ');
        token(out, response.getHeaders().get(CACHE_STATUS_FIELD));
        out.append(' ');
        if (request.getAttribute(UPSTREAM_MILLIS) instanceof Number upstream) {
            out.append(upstream.longValue());
        } else {
            out.append('-');
        }
        out.append(' ');
        String id = response.getHeaders().get(REQUEST_ID_FIELD);
        token(out, id != null ? id : request.getHeaders().get(REQUEST_ID_FIELD));
        out.append(' ').append(NanoTime.millisSince(request.getBeginNanoTime()));
        return out.toString();
    }

    /**
     * Whether the response to {@code method} with {@code status} never carries content (RFC 9110 §6.4.1):
     * Jetty counts what a handler writes there, but does not send it.
     */
    private static boolean hasNoContent(String method, int status) {
        return HttpMethod.HEAD.is(method) || status < 200 || status == HttpStatus.NO_CONTENT_204
                || status == HttpStatus.NOT_MODIFIED_304;
    }

    /** The request-target as received: path and query, or the whole URI for the forms without a path. */
    private static String target(HttpURI uri) {
        String pathQuery = uri.getPathQuery();
        return pathQuery == null || pathQuery.isEmpty() ? uri.toString() : pathQuery;
    }

    /** Appends {@code value} escaped for a quoted field; {@code -} when null or empty. */
    static void quoted(StringBuilder out, @Nullable String value) {
        escape(out, value, false);
    }

    /** Appends {@code value} escaped for an unquoted field (no space survives); {@code -} when null or empty. */
    static void token(StringBuilder out, @Nullable String value) {
        escape(out, value, true);
    }

    private static void escape(StringBuilder out, @Nullable String value, boolean token) {
        if (value == null || value.isEmpty()) {
            out.append('-');
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\u000b' -> out.append("\\v");
                case ' ' -> out.append(token ? "\\x20" : " ");
                default -> {
                    if (c > ' ' && c < 0x7f) {
                        out.append(c);
                    } else if (c <= 0xff) {
                        hex(out, c);
                    } else {
                        int end = Character.isHighSurrogate(c) && i + 1 < value.length()
                                && Character.isLowSurrogate(value.charAt(i + 1)) ? i + 2 : i + 1;
                        for (byte b : value.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                            hex(out, b & 0xff);
                        }
                        i = end - 1;
                    }
                }
            }
        }
    }

    private static void hex(StringBuilder out, int b) {
        out.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xf]);
    }

    @Override
    public String toString() {
        return "AccessLog[" + path + "]";
    }
}
