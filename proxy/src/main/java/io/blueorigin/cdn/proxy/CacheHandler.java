package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.range.RangePolicy;
import io.blueorigin.cdn.httpcache.signing.SignatureCheck;
import io.blueorigin.cdn.httpcache.reply.Reply;
import io.blueorigin.cdn.proxy.control.ControlPlane;
import io.blueorigin.cdn.proxy.control.LocalInvalidations;
import io.blueorigin.cdn.proxy.ratelimit.Admission;
import io.blueorigin.cdn.proxy.ratelimit.RateLimiter;
import io.blueorigin.cdn.proxy.site.ServedSite;
import io.blueorigin.cdn.proxy.site.SignatureGate;
import io.blueorigin.cdn.storage.StoredObject;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Where a request to an edge or shield is handled: the door. Every request is checked here (method, target,
 * site) before any slot, collapse entry, probe or store handle is taken; a GET or HEAD then becomes a
 * {@link ClientExchange}, which looks up, lets http-cache decide ({@code CachePolicy.onRequest} before a fetch,
 * {@code ReplyPolicy} for the reply), fetches or follows, and delivers. Everything else passes to
 * {@link CachingProxyServlet}, wrapped below, which forwards it and invalidates what it changed.
 *
 * <p>Why a core Jetty handler in front of the servlet, not the servlet itself: the hit path must match
 * nginx on one core; measured here (1 KiB, wrk -c64, one pinned core) a core handler answered about
 * 140-170 k req/s, the same response through a servlet 75-90 k (docs/decisions/0002). Misses and passes
 * keep the servlet's proxy machinery.
 *
 * <p>Threading: the handler is stateless per request (its fields are the node's, fixed at start); a request's
 * state lives in its {@link ClientExchange}. What differs between edge and shield is asked of
 * the node's {@link RolePolicy}.
 */
final class CacheHandler extends Handler.Wrapper {
    private final ProxyCache cache;
    private final Fetcher fetcher;
    private final Collapser collapser;
    private final String nodeName;
    private final long collapseTimeoutMillis;
    private final ControlPlane control;
    private final RolePolicy role;
    private final RangePolicy ranges = new RangePolicy();
    /** Signed-URL checks against the sites' keyrings (kept by the site router, fed by the control plane). */
    private final SignatureGate signatures;
    private final LocalInvalidations invalidations;
    /** A shield following admin holds edge fetches until it has applied what the edge has (ordering). */
    private final boolean waitsForEdges;
    private final long orderingWaitMillis;
    private final long startupWaitMillis;

    CacheHandler(ProxyCache cache, Fetcher fetcher, Collapser collapser, ControlPlane control, Handler passHandler) {
        super(passHandler);
        this.cache = requireNonNull(cache, "cache is null");
        this.fetcher = requireNonNull(fetcher, "fetcher is null");
        this.collapser = requireNonNull(collapser, "collapser is null");
        this.control = requireNonNull(control, "control is null");
        this.invalidations = control.local();
        this.role = cache.role();
        this.signatures = new SignatureGate(cache.sites().keyrings());
        this.waitsForEdges = role.waitsForEdges(control.enabled());
        this.orderingWaitMillis = control.config().orderingWait().toMillis();
        this.startupWaitMillis = control.config().startupWait().toMillis();
        this.collapseTimeoutMillis = cache.config().cache().collapseTimeout().toMillis();
        this.nodeName = cache.config().identity().name();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        // The door: refused here, before any slot, collapse entry, probe or store handle is taken.
        if ("CONNECT".equals(method) || "TRACE".equals(method)) {
            String requestId = RequestIds.acceptOrGenerate(request.getHeaders().get(RequestIds.HEADER));
            response.getHeaders().put(HttpHeader.ALLOW, ALLOWED_METHODS);
            Delivery.sendText(response, callback, 405, "405 Method Not Allowed: " + nodeName + " is a reverse proxy; "
                    + method + " is not forwarded; request id " + requestId, XCache.PASS.field(), idField(requestId));
            return true;
        }
        RequestTarget target;
        try {
            HttpURI uri = request.getHttpURI();
            target = RequestTarget.parse(uri.getPath() == null ? "" : uri.getPath(), uri.getQuery());
        } catch (RequestTarget.InvalidTarget e) {
            String requestId = RequestIds.acceptOrGenerate(request.getHeaders().get(RequestIds.HEADER));
            cache.metrics().rejected("bad-request");
            Delivery.sendText(response, callback, 400, "400 Bad Request: " + e.getMessage() + "; request id "
                    + requestId, XCache.PASS.field(), idField(requestId));
            return true;
        }
        String named = tierSite(request);
        ServedSite site = named != null ? cache.sites().named(named) : cache.sites().route(Request.getServerName(request));
        if (site == null && named != null) {
            // an edge serves a site this shield has not learnt yet (the change is on its way down the log): never
            // fetch it from another site's origin; the edge's client may retry at once
            String requestId = RequestIds.acceptOrGenerate(request.getHeaders().get(RequestIds.HEADER));
            cache.metrics().rejected("site-unknown");
            Delivery.sendText(response, callback, 503, "503 Service Unavailable: site-unknown: " + nodeName + " does not"
                    + " serve site '" + named + "' yet; retry in a second; request id " + requestId, XCache.PASS.field(),
                    new HttpField(HttpHeader.RETRY_AFTER, "1"), new HttpField(Fetcher.ERROR_HEADER, "site-unknown"),
                    idField(requestId));
            return true;
        }
        if (site == null) {
            String requestId = RequestIds.acceptOrGenerate(request.getHeaders().get(RequestIds.HEADER));
            cache.metrics().rejected("misdirected");
            Delivery.sendText(response, callback, 421, "421 Misdirected Request: " + nodeName + " serves no site for this"
                    + " host; check the Host (sites are defined in admin, /api/v1/sites); request id " + requestId,
                    XCache.PASS.field(), idField(requestId));
            return true;
        }
        if (role.checksSignatures() && !site.signing().rules().isEmpty() && !"PURGE".equals(method)) {
            // signed URLs (the site's delivery.signing): checked on the canonical target, then their parameters are
            // dropped, so neither the key nor the upstream request ever carries them
            SignatureCheck.Verdict verdict = signatures.check(site, target, cache.now() / 1000);
            if (!verdict.allowed()) {
                request.setAttribute(ServedSite.ATTRIBUTE, site);
                refuse(response, callback, Reply.Refusal.forbidden(verdict.outcome().errorValue(), verdict.message()),
                        RequestIds.acceptOrGenerate(request.getHeaders().get(RequestIds.HEADER)));
                return true;
            }
            target = signatures.withoutSignature(site, target);
        }
        RequestTarget shaped = site.shape(target); // the key's and the upstream request's target
        request.setAttribute(ServedSite.ATTRIBUTE, site); // also the access log's site
        if (!"HEAD".equals(method) && !"GET".equals(method)) {
            if ("PURGE".equals(method)) {
                return purge(request, response, callback);
            }
            Reply.Refusal refusal = rateLimit(request, site, false);
            if (refusal != null) {
                refuse(response, callback, refusal, RequestIds.acceptOrGenerate(request.getHeaders().get(RequestIds.HEADER)));
                return true;
            }
            return pass(request, response, callback); // the servlet forwards and invalidates
        }
        ClientExchange exchange = new ClientExchange(this, request, response, callback, site, shaped);
        if (!invalidations.replayOver()) {
            // just started: look up only once what the store missed while down is applied (bounded)
            invalidations.whenReplayOver(startupWaitMillis).thenAccept(done -> cache.store().ioExecutor().execute(() -> {
                try {
                    exchange.lookUp(false);
                } catch (Throwable failure) {
                    Response.writeError(request, response, callback, failure);
                }
            }));
            return true;
        }
        if (waitsForEdges) {
            long needed = orderingId(request);
            if (needed > invalidations.lastApplied()) {
                // an edge has applied an invalidation this shield has not: look up only once it has (bounded)
                invalidations.whenApplied(needed, orderingWaitMillis).thenAccept(caughtUp ->
                        cache.store().ioExecutor().execute(() -> {
                            try {
                                exchange.lookUp(!caughtUp);
                            } catch (Throwable failure) {
                                Response.writeError(request, response, callback, failure);
                            }
                        }));
                return true;
            }
        }
        exchange.lookUp(false);
        return true;
    }

    /**
     * At a shield, the site a node of the tier named for this request ({@link LocalInvalidations#SITE_FIELD}, signed,
     * or bare from a trusted proxy when no node holds keys); null at an edge or when none is named. Without it the
     * site is the one claiming the request's host.
     */
    private @Nullable String tierSite(Request request) {
        if (role.routesByHost()) {
            return null;
        }
        String value = request.getHeaders().get(LocalInvalidations.SITE_FIELD);
        return value == null ? null : invalidations.verifiedSite(value, cache.forwarding().trusts(Request.getRemoteAddr(request)));
    }

    /** A follower waited {@code cache.collapse-timeout} for its leader's response headers. */
    static final class CollapseTimeout extends TimeoutException {
        private static final long serialVersionUID = 1L;

        CollapseTimeout(long millis) {
            super("waited " + millis + " ms for the response to a collapsed request (cache.collapse-timeout)");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** What a 405 names as allowed. */
    private static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    /** The last invalidation an edge applied, from its fetch (0 unless a node of the tier signed it: see TierKeys). */
    private long orderingId(Request request) {
        return invalidations.verifiedOrdering(request.getHeaders().get(LocalInvalidations.ORDERING_FIELD));
    }

    /** {@code PURGE}: through the control plane (admin checks the token and logs it), else refused. */
    private boolean purge(Request request, Response response, Callback callback) {
        // like every answer, a PURGE's carries a request id (the access log's, and admin's log line's)
        response.getHeaders().put(RequestIds.HEADER, RequestIds.acceptOrGenerate(request.getHeaders().get(RequestIds.HEADER)));
        if (control.purges().isPresent()) {
            ServedSite site = (ServedSite) request.getAttribute(ServedSite.ATTRIBUTE);
            control.purges().get().handle(request, response, callback,
                    site == null || site.definition() == null ? null : site.name()); // a site of the table, by name
        } else {
            response.getHeaders().put(HttpHeader.ALLOW, ALLOWED_METHODS);
            Delivery.sendText(response, callback, 405, "405 Method Not Allowed: PURGE needs the control plane; " + nodeName
                    + " has no control.admin-url (purge through the admin API instead)", XCache.PASS.field());
        }
        return true;
    }

    /**
     * This handler never blocks (lookups are in memory, fetches and writes asynchronous), so Jetty runs it
     * on the thread that read the request, with no hand-off: on one core that is the difference between
     * about 100 k and 150 k hits per second (43 k context switches in 5 s, against under a thousand).
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    /**
     * Hands a request to the servlet on a pool thread: servlet code may block, and this handler told Jetty
     * it does not.
     */
    boolean pass(Request request, Response response, Callback callback) {
        if (role.namesSiteUpstream() && request.getAttribute(ServedSite.ATTRIBUTE) instanceof ServedSite site) {
            request.setAttribute(CachingProxyServlet.SITE_FIELD_ATTRIBUTE, invalidations.siteField(site.name()));
        }
        request.getComponents().getThreadPool().execute(() -> {
            try {
                if (!super.handle(request, response, callback)) {
                    Response.writeError(request, response, callback, 404);
                }
            } catch (Throwable failure) {
                Response.writeError(request, response, callback, failure);
            }
        });
        return true;
    }


    /**
     * The door's per-client limit ({@code ratelimit.*}, the site's {@code delivery.rateLimit}): a refusal, or null
     * to go on. The client is the peer, or the address a trusted proxy forwarded for ({@link Forwarding}).
     *
     * @param hit whether the cache answers without going upstream (a misses-only limit lets it through)
     */
    Reply.@Nullable Refusal rateLimit(Request request, ServedSite site, boolean hit) {
        RateLimiter limiter = cache.rateLimiter();
        if (limiter == null || !limiter.limits(site.rateLimit())) {
            return null;
        }
        String peer = Request.getRemoteAddr(request);
        String forwardedFor = null;
        if (cache.forwarding().trusts(peer)) {
            List<String> lines = request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR);
            forwardedFor = lines.isEmpty() ? null : String.join(",", lines);
        }
        Admission admission = limiter.admit(cache.forwarding().clientAddress(peer, forwardedFor), site.name(),
                site.rateLimit(), hit);
        return admission.admitted() ? null : Reply.Refusal.rateLimited(admission.message(), admission.retryAfterSeconds());
    }

    /** Sends a refusal of the door: its status, {@code Blue-Origin-Error}, {@code Retry-After} if any, the text. */
    void refuse(Response response, Callback callback, Reply.Refusal refusal, String requestId) {
        cache.metrics().rejected(refusal.error());
        HttpField retry = refusal.retryAfterSeconds() > 0
                ? new HttpField(HttpHeader.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds())) : null;
        HttpField error = new HttpField(Fetcher.ERROR_HEADER, refusal.error());
        String text = refusal.status() + " " + HttpStatus.getMessage(refusal.status()) + ": " + refusal.error() + ": "
                + refusal.message() + "; request id " + requestId;
        if (retry == null) {
            Delivery.sendText(response, callback, refusal.status(), text, XCache.PASS.field(), error, idField(requestId));
        } else {
            Delivery.sendText(response, callback, refusal.status(), text, XCache.PASS.field(), error, retry, idField(requestId));
        }
    }

    /** How this node answers {@code Range} (at most {@link RangePolicy#DEFAULT_MAX_RANGES} specs in one field). */
    RangePolicy ranges() {
        return ranges;
    }

    /** The stored object's prepared header section, made once per stored object. */
    PreparedResponse prepared(StoredObject stored) {
        return stored.prepared(o -> cache.prepare(o.response(), o.body().length()));
    }

    ProxyCache cache() {
        return cache;
    }

    Fetcher fetcher() {
        return fetcher;
    }

    Collapser collapser() {
        return collapser;
    }

    LocalInvalidations invalidations() {
        return invalidations;
    }

    RolePolicy role() {
        return role;
    }

    String nodeName() {
        return nodeName;
    }

    long collapseTimeoutMillis() {
        return collapseTimeoutMillis;
    }

    private static HttpField idField(String requestId) {
        return new HttpField(RequestIds.HEADER, requestId);
    }
}
