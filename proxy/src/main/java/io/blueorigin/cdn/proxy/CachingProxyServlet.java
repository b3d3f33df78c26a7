package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.blueorigin.cdn.httpcache.CacheDecision;
import io.blueorigin.cdn.httpcache.CachePolicy;
import io.blueorigin.cdn.httpcache.CacheStatus;
import io.blueorigin.cdn.httpcache.FieldLookup;
import io.blueorigin.cdn.httpcache.RequestFacts;
import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.proxy.upstream.ConcurrencyGate;
import io.blueorigin.cdn.proxy.site.ServedSite;
import io.blueorigin.cdn.proxy.upstream.Upstream;
import io.blueorigin.cdn.runtime.AccessLog;
import io.blueorigin.cdn.runtime.MinimumRequestRateHandler;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.AsyncProxyServlet;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pass-through half of the proxy both roles run: every request the cache does not handle (methods other
 * than GET and HEAD, and HEADs that would need upstream) is forwarded unchanged (method, raw path and
 * query, headers minus hop-by-hop, body streamed both ways with backpressure) and its response relayed.
 * After a non-error response to an unsafe method it invalidates the target URI and any same-origin
 * {@code Location} / {@code Content-Location} (RFC 9111 §4.4). {@link CacheHandler}, in front of it,
 * handles everything cacheable.
 *
 * <p>What it adds on the way:
 * <ul>
 *   <li>{@code X-Request-ID}: kept from the client (or previous tier) when sane, generated otherwise; sent
 *       upstream and echoed to the client, so one id follows a request through every tier's access log.</li>
 *   <li>{@code Via} (RFC 9110 §7.6.3) on the upstream request and on the response, with the node's name.</li>
 *   <li>Upstream failures as a short plain-text 502 (connect refused, reset) or 504 (read timeout) naming the
 *       node and the upstream, never an HTML stack trace.</li>
 * </ul>
 *
 * <p>Threading: one instance serves every request concurrently; per-request state travels in request
 * attributes. Requests are asynchronous from {@code service()} until the upstream exchange completes, which
 * completes the servlet's async context exactly once (Jetty's {@code AbstractProxyServlet} contract).
 *
 * <p>Roles subclass it ({@code EdgeServlet}, {@code ShieldServlet}) and change policy through the protected
 * hooks, as Jetty's own proxy servlets do.
 */
public class CachingProxyServlet extends AsyncProxyServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CachingProxyServlet.class);
    private static final String REQUEST_ID_ATTRIBUTE = CachingProxyServlet.class.getName() + ".requestId";
    private static final String FAILURE_ATTRIBUTE = CachingProxyServlet.class.getName() + ".failure";
    private static final String UPSTREAM_ATTRIBUTE = CachingProxyServlet.class.getName() + ".upstream";
    private static final String SENT_ATTRIBUTE = CachingProxyServlet.class.getName() + ".sent";
    private static final String TARGET_ATTRIBUTE = CachingProxyServlet.class.getName() + ".target";

    /** Immutable after construction; servlets are shared by all request threads. */
    private final transient ProxyConfig config;
    private final transient ProxyCache cache;
    private final String viaValue;

    public CachingProxyServlet(ProxyConfig config, ProxyCache cache) {
        this.config = requireNonNull(config, "config is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.viaValue = "1.1 " + config.identity().name();
    }

    protected final ProxyConfig config() {
        return config;
    }

    @Override
    protected void service(HttpServletRequest clientRequest, HttpServletResponse clientResponse)
            throws ServletException, IOException {
        String requestId = RequestIds.acceptOrGenerate(clientRequest.getHeader(RequestIds.HEADER));
        clientRequest.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
        clientResponse.setHeader(RequestIds.HEADER, requestId);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} C2{} {} {}", requestId, tag(), clientRequest.getMethod(), clientRequest.getRequestURI());
        }
        super.service(clientRequest, clientResponse);
    }

    /**
     * Upstream URL: the key's upstream (the shield the ring gives the cache key, or the only upstream) plus
     * the request's canonical path and query ({@link RequestTarget}), the same form the cache uses. A target
     * that cannot be made canonical was refused by the cache handler already; here it gives null (a 400).
     */
    @Override
    protected @Nullable String rewriteTarget(HttpServletRequest clientRequest) {
        RequestTarget target;
        try {
            target = RequestTarget.parse(clientRequest.getRequestURI(), clientRequest.getQueryString());
        } catch (RequestTarget.InvalidTarget e) {
            return null;
        }
        ServedSite site = siteOf(clientRequest);
        if (site == null) {
            return null;
        }
        target = site.shape(target);
        Upstream upstream = site.upstreams().select(site.keyOf(target));
        clientRequest.setAttribute(UPSTREAM_ATTRIBUTE, upstream);
        clientRequest.setAttribute(TARGET_ATTRIBUTE, target);
        return upstream.base() + target.pathAndQuery();
    }

    /** Request attribute: the {@code Blue-Origin-Site} value an edge's door made for a pass-through to its shield. */
    static final String SITE_FIELD_ATTRIBUTE = CachingProxyServlet.class.getName() + ".siteField";

    /** The site the cache handler chose at the door (every request passes it), else the host's. */
    private @Nullable ServedSite siteOf(HttpServletRequest clientRequest) {
        return clientRequest.getAttribute(ServedSite.ATTRIBUTE) instanceof ServedSite chosen ? chosen
                : cache.sites().route(clientRequest.getServerName());
    }

    @Override
    protected void onProxyRewriteFailed(HttpServletRequest clientRequest, HttpServletResponse clientResponse) {
        sendProxyResponseError(clientRequest, clientResponse, HttpStatus.BAD_REQUEST_400);
    }

    /**
     * Passes through the upstream's concurrency gate as {@link ConcurrencyGate.Kind#PASS} (origin protection
     * counts every request, and pass-through may hold only its share of the slots): a full queue is a fast
     * 503 with Retry-After. The permit is returned when the exchange completes, or at once if it cannot be
     * sent (the gate returns it when sending throws).
     */
    @Override
    protected void sendProxyRequest(HttpServletRequest clientRequest, HttpServletResponse clientResponse, Request upstreamRequest) {
        clientRequest.setAttribute(SENT_ATTRIBUTE, NanoTime.now()); // includes a wait for the gate: time spent on upstream
        Upstream upstream = (Upstream) clientRequest.getAttribute(UPSTREAM_ATTRIBUTE);
        if (upstream == null) {
            super.sendProxyRequest(clientRequest, clientResponse, upstreamRequest);
            return;
        }
        boolean admitted = upstream.gate().enter(ConcurrencyGate.Kind.PASS, permit -> {
            upstreamRequest.onComplete(result -> permit.close());
            super.sendProxyRequest(clientRequest, clientResponse, upstreamRequest);
        });
        if (!admitted) {
            clientRequest.setAttribute(FAILURE_ATTRIBUTE, new IllegalStateException("upstream " + upstream
                    + " has too many requests in flight and queued (upstream.max-concurrent, upstream.max-queued)"));
            clientResponse.setHeader(HttpHeader.RETRY_AFTER.asString(), "1");
            sendProxyResponseError(clientRequest, clientResponse, HttpStatus.SERVICE_UNAVAILABLE_503);
        }
    }

    /**
     * The pass-through client: no {@code User-Agent} of its own (the client's is the only one), response
     * header sections up to what this node's server can write.
     */
    @Override
    protected HttpClient newHttpClient(ClientConnector clientConnector) {
        HttpClient client = super.newHttpClient(clientConnector);
        client.setUserAgentField(null);
        client.setMaxResponseHeadersSize(config.server().limits().responseHeaderSize());
        return client;
    }

    @Override
    protected ClientConnector newClientConnector() {
        ClientConnector connector = super.newClientConnector();
        connector.setConnectTimeout(config.upstream().connectTimeout());
        return connector;
    }

    @Override
    protected Request newProxyRequest(HttpServletRequest clientRequest, String rewrittenTarget) {
        // a site's origin has its own read timeout; its connect timeout and TLS check are the pass-through client's
        long readTimeout = clientRequest.getAttribute(UPSTREAM_ATTRIBUTE) instanceof Upstream u && u.origin() != null
                ? u.origin().readTimeout().toMillis() : config.upstream().readTimeout().toMillis();
        return super.newProxyRequest(clientRequest, rewrittenTarget).idleTimeout(readTimeout, TimeUnit.MILLISECONDS);
    }

    /**
     * The client's fields minus hop-by-hop ones (Jetty), minus what {@link Forwarding} strips and the
     * invalidation-ordering field (a client's claim would make a shield hold the request: only edges set it,
     * on cache fetches), plus this request's id.
     */
    @Override
    protected void copyRequestHeaders(HttpServletRequest clientRequest, Request upstreamRequest) {
        super.copyRequestHeaders(clientRequest, upstreamRequest);
        String requestId = (String) clientRequest.getAttribute(REQUEST_ID_ATTRIBUTE);
        Forwarding forwarding = cache.forwarding();
        upstreamRequest.headers(headers -> {
            headers.put(RequestIds.HEADER, requestId).remove(io.blueorigin.cdn.proxy.control.LocalInvalidations.ORDERING_FIELD);
            // the site goes to a shield as the door signed it (an edge); never a client's claim, never to an origin
            headers.remove(io.blueorigin.cdn.proxy.control.LocalInvalidations.SITE_FIELD);
            if (clientRequest.getAttribute(SITE_FIELD_ATTRIBUTE) instanceof String siteField
                    && clientRequest.getAttribute(UPSTREAM_ATTRIBUTE) instanceof Upstream u && u.origin() == null
                    && !u.isFallback()) {
                headers.put(io.blueorigin.cdn.proxy.control.LocalInvalidations.SITE_FIELD, siteField);
                headers.put(HttpHeader.HOST, clientRequest.getServerName()); // as a cache fetch does (see Fetcher)
            }
            if (clientRequest.getAttribute(UPSTREAM_ATTRIBUTE) instanceof Upstream u && u.origin() != null
                    && u.origin().hostHeader() != null) {
                headers.put(HttpHeader.HOST, u.origin().hostHeader());
            }
            for (java.util.ListIterator<HttpField> i = headers.listIterator(); i.hasNext(); ) {
                if (forwarding.strips(i.next().getLowerCaseName())) {
                    i.remove();
                }
            }
        });
    }

    /**
     * {@code X-Forwarded-For} and {@code Forwarded} by the node's {@link Forwarding} rules (replaced unless the
     * peer is a trusted proxy), instead of Jetty's, which appends whatever the client sent and adds the
     * client's {@code Host} and scheme.
     */
    @Override
    protected void addForwardedHeader(HttpServletRequest clientRequest, Request upstreamRequest) {
        Forwarding forwarding = cache.forwarding();
        String peer = clientRequest.getRemoteAddr();
        boolean trusted = forwarding.trusts(peer);
        String forwardedFor = joined(clientRequest, HttpHeader.X_FORWARDED_FOR.asString());
        String forwarded = joined(clientRequest, HttpHeader.FORWARDED.asString());
        upstreamRequest.headers(headers -> headers
                .put(HttpHeader.X_FORWARDED_FOR, forwarding.xForwardedFor(forwardedFor, peer, trusted))
                .put(HttpHeader.FORWARDED, forwarding.forwarded(forwarded, peer, trusted)));
    }

    private static @Nullable String joined(HttpServletRequest request, String name) {
        java.util.Enumeration<String> values = request.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return null;
        }
        return String.join(", ", java.util.Collections.list(values));
    }

    @Override
    protected void onServerResponseHeaders(HttpServletRequest clientRequest, HttpServletResponse clientResponse,
            Response upstreamResponse) {
        super.onServerResponseHeaders(clientRequest, clientResponse, upstreamResponse);
        if (clientRequest.getAttribute(SENT_ATTRIBUTE) instanceof Long sent) {
            long nanos = NanoTime.since(sent);
            clientRequest.setAttribute(AccessLog.UPSTREAM_MILLIS, TimeUnit.NANOSECONDS.toMillis(nanos));
            if (clientRequest.getAttribute(UPSTREAM_ATTRIBUTE) instanceof Upstream upstream) {
                cache.metrics().upstreamResponse(ProxyMetrics.label(upstream), upstreamResponse.getStatus(), nanos);
            }
        }
        String via = clientResponse.getHeader(HttpHeader.VIA.asString());
        clientResponse.setHeader(HttpHeader.VIA.asString(), via == null || via.isBlank() ? viaValue : via + ", " + viaValue);
        String requestId = (String) clientRequest.getAttribute(REQUEST_ID_ATTRIBUTE);
        clientResponse.setHeader(RequestIds.HEADER, requestId);
        clientResponse.setHeader(XCache.HEADER, XCache.PASS.name());
        String upstreamStatus = upstreamResponse.getHeaders().get(PreparedResponse.CACHE_STATUS);
        clientResponse.setHeader(PreparedResponse.CACHE_STATUS, CacheStatus.of(config.identity().name())
                .fwd(clientRequest.getMethod().equals("HEAD") ? CacheDecision.Fwd.REQUEST : CacheDecision.Fwd.METHOD)
                .fwdStatus(upstreamResponse.getStatus()).appendTo(upstreamStatus));
        if (cache.role().facesClients()) {
            for (String dropped : cache.droppedFields()) {
                clientResponse.setHeader(dropped, null);
            }
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {}2{} {}", requestId, upstreamTag(), tag(), upstreamResponse.getStatus());
        }
    }

    /** RFC 9111 §4.4: a non-error response to an unsafe method invalidates what it may have changed. */
    @Override
    protected void onProxyResponseSuccess(HttpServletRequest clientRequest, HttpServletResponse clientResponse,
            Response upstreamResponse) {
        RequestFacts facts = RequestFacts.of(clientRequest.getMethod(), FieldLookup.EMPTY);
        List<String> targets = CachePolicy.invalidates(facts, upstreamResponse.getStatus(),
                new JettyFields(upstreamResponse.getHeaders()), clientRequest.getHeader("Host"));
        for (String target : targets) {
            ServedSite site = siteOf(clientRequest);
            if (site == null) {
                break;
            }
            String key;
            try {
                key = target.equals(".") && clientRequest.getAttribute(TARGET_ATTRIBUTE) instanceof RequestTarget own
                        ? site.keyOf(own) : cache.sites().keyOf(site.name(), target);
            } catch (RequestTarget.InvalidTarget e) {
                continue; // a Location no request can have: nothing is stored under it
            }
            int removed = cache.store().remove(key);
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} invalidated {} ({} objects)", clientRequest.getAttribute(REQUEST_ID_ATTRIBUTE), key, removed);
            }
        }
        super.onProxyResponseSuccess(clientRequest, clientResponse, upstreamResponse);
    }

    /** Drops the fields the upstream response's {@code Connection} header nominated (RFC 9110 §7.6.1). */
    @Override
    protected @Nullable HttpField filterServerResponseHeader(HttpServletRequest clientRequest, Response upstreamResponse,
            HttpField field) {
        Set<String> nominated = HopByHop.nominated(upstreamResponse.getHeaders().getValuesList(HttpHeader.CONNECTION));
        if (HopByHop.isHopByHop(field.getName(), nominated)) {
            return null;
        }
        return super.filterServerResponseHeader(clientRequest, upstreamResponse, field);
    }

    @Override
    protected void onResponseContent(HttpServletRequest clientRequest, HttpServletResponse clientResponse, Response upstreamResponse,
            byte[] buffer, int offset, int length, Callback callback) {
        cache.metrics().upstreamBytes(length);
        super.onResponseContent(clientRequest, clientResponse, upstreamResponse, buffer, offset, length, callback);
    }

    @Override
    protected void onProxyResponseFailure(HttpServletRequest clientRequest, HttpServletResponse clientResponse,
            @Nullable Response upstreamResponse, Throwable failure) {
        clientRequest.setAttribute(FAILURE_ATTRIBUTE, failure);
        if (upstreamResponse == null && clientRequest.getAttribute(UPSTREAM_ATTRIBUTE) instanceof Upstream upstream) {
            cache.metrics().upstreamError(ProxyMetrics.label(upstream));
        }
        super.onProxyResponseFailure(clientRequest, clientResponse, upstreamResponse, failure);
    }

    @Override
    protected int proxyResponseStatus(Throwable failure) {
        if (MinimumRequestRateHandler.TooSlow.isIn(failure)) {
            return HttpStatus.REQUEST_TIMEOUT_408; // the client's body was too slow, not the upstream
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return HttpStatus.GATEWAY_TIMEOUT_504;
            }
        }
        return HttpStatus.BAD_GATEWAY_502;
    }

    /**
     * A short plain-text error naming this node and its upstream. If the response is already committed (the
     * upstream failed mid-body) the client connection is aborted instead, so a truncated body is never
     * mistaken for a complete one.
     */
    @Override
    protected void sendProxyResponseError(HttpServletRequest clientRequest, HttpServletResponse clientResponse, int status) {
        if (clientResponse.isCommitted()) {
            super.sendProxyResponseError(clientRequest, clientResponse, status);
            return;
        }
        Throwable failure = (Throwable) clientRequest.getAttribute(FAILURE_ATTRIBUTE);
        String requestId = (String) clientRequest.getAttribute(REQUEST_ID_ATTRIBUTE);
        Upstream upstream = (Upstream) clientRequest.getAttribute(UPSTREAM_ATTRIBUTE);
        String kind = status == HttpStatus.REQUEST_TIMEOUT_408 ? "request-body-too-slow"
                : status == HttpStatus.BAD_REQUEST_400 ? "bad-request"
                : status == HttpStatus.SERVICE_UNAVAILABLE_503 && upstream != null ? "upstream-overloaded"
                : Fetcher.errorValue(failure, upstream != null && upstream.origin() != null && cache.role().fetchesSiteOrigins());
        // the client learns what went wrong and the request id; the log line (same id) says where and why
        String body = status + " " + HttpStatus.getMessage(status) + ": " + kind + ": " + config.identity().name()
                + (status == HttpStatus.BAD_REQUEST_400 ? " cannot forward this request-target"
                        : status == HttpStatus.REQUEST_TIMEOUT_408 ? " stopped waiting for the request body (server.min-request-rate)"
                        : " could not get a response from its upstream") + "; request id " + requestId + "\n";
        LOG.warn("{} {} {} -> {} (upstream {}{})", requestId, clientRequest.getMethod(), clientRequest.getRequestURI(), status,
                upstream == null ? config.upstream().url() : upstream.url(), failure == null ? "" : ": " + describe(failure));
        try {
            clientResponse.resetBuffer();
            clientResponse.setStatus(status);
            clientResponse.setHeader(HttpHeader.CONTENT_TYPE.asString(), "text/plain; charset=utf-8");
            clientResponse.setHeader(HttpHeader.CACHE_CONTROL.asString(), "no-store");
            clientResponse.setHeader(RequestIds.HEADER, requestId);
            clientResponse.setHeader(Fetcher.ERROR_HEADER, kind);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            clientResponse.setContentLength(bytes.length);
            clientResponse.getOutputStream().write(bytes);
        } catch (IOException | IllegalStateException e) {
            LOG.trace("IGNORED", e);
        } finally {
            if (clientRequest.isAsyncStarted()) {
                clientRequest.getAsyncContext().complete();
            }
        }
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String name = root.getClass().getSimpleName();
        return message == null ? name : name + ": " + message;
    }

    /** Debug-log tag of this node: {@code E} or {@code S}. */
    private String tag() {
        return cache.role().tag();
    }

    /** Debug-log tag of the upstream: {@code S} for an edge (its shield), {@code O} for a shield. */
    private String upstreamTag() {
        return cache.role().upstreamTag();
    }
}
