package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CacheDecision;
import io.blueorigin.cdn.httpcache.CachePolicy;
import io.blueorigin.cdn.httpcache.CacheStatus;
import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.Conditionals;
import io.blueorigin.cdn.httpcache.RequestFacts;
import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.VaryKeys;
import io.blueorigin.cdn.proxy.control.ControlPlane;
import io.blueorigin.cdn.proxy.control.LocalInvalidations;
import io.blueorigin.cdn.proxy.site.ServedSite;
import io.blueorigin.cdn.runtime.AccessLog;
import io.blueorigin.cdn.storage.StoredObject;
import io.blueorigin.cdn.storage.Variants;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a request to an edge or shield is handled. Every GET and HEAD goes through these steps, in order
 * (after Varnish's {@code REQ_STEPS}); everything else passes to {@link CachingProxyServlet}, wrapped
 * below, which forwards it and invalidates what it changed.
 *
 * <ol>
 *   <li>{@code RequestFacts} from the Jetty request: the only place server types become cache types.</li>
 *   <li>{@code CacheKey} (site + normalized path and query); {@code store.lookup}; the variant whose
 *       {@code Vary} fields match (RFC 9111 §4.1).</li>
 *   <li>{@code CachePolicy.onRequest} decides: serve fresh, 304/412 from cache, serve stale and revalidate
 *       in the background, revalidate, fetch, or pass.</li>
 *   <li>Fetch or revalidate: {@link Fetcher} sends one upstream request; its outcome is a freshened stored
 *       response (304), a new response streaming in (stored or passed through), or a failure, which a
 *       stale response may stand in for (RFC 9111 §4.2.4, RFC 5861).</li>
 *   <li>{@link Delivery} writes status, prepared fields, {@code Age}, {@code Via}, {@code X-Cache},
 *       {@code Cache-Status} and {@code X-Request-ID}, then the body with backpressure.</li>
 * </ol>
 *
 * <p>Why a core Jetty handler in front of the servlet, not the servlet itself: the hit path must match
 * nginx on one core; measured here (1 KiB, wrk -c64, one pinned core) a core handler answered about
 * 140-170 k req/s, the same response through a servlet 75-90 k (docs/decisions/0002). Misses and passes
 * keep the servlet's proxy machinery.
 *
 * <p>Threading: stateless per request; a request's state lives in its stack frames and in the callbacks of
 * its fetch and delivery. The callback is completed exactly once, by {@link Delivery}.
 */
final class CacheHandler extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(CacheHandler.class);

    private final ProxyCache cache;
    private final Fetcher fetcher;
    private final Collapser collapser;
    private final String nodeName;
    private final long collapseTimeoutMillis;
    private final ControlPlane control;
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
        this.waitsForEdges = !cache.config().isClientFacing() && control.enabled();
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
        RequestTarget shaped = site.shape(target); // the key's and the upstream request's target
        request.setAttribute(ServedSite.ATTRIBUTE, site); // also the access log's site
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            if ("PURGE".equals(method)) {
                return purge(request, response, callback);
            }
            return pass(request, response, callback); // the servlet forwards and invalidates
        }
        if (!invalidations.replayOver()) {
            // just started: look up only once what the store missed while down is applied (bounded)
            invalidations.whenReplayOver(startupWaitMillis).thenAccept(done -> cache.store().ioExecutor().execute(() -> {
                try {
                    lookUp(request, response, callback, site, shaped, head, false);
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
                                lookUp(request, response, callback, site, shaped, head, !caughtUp);
                            } catch (Throwable failure) {
                                Response.writeError(request, response, callback, failure);
                            }
                        }));
                return true;
            }
        }
        return lookUp(request, response, callback, site, shaped, head, false);
    }

    /**
     * At a shield, the site a node of the tier named for this request ({@link LocalInvalidations#SITE_FIELD}, signed,
     * or bare from a trusted proxy when no node holds keys); null at an edge or when none is named. Without it the
     * site is the one claiming the request's host.
     */
    private @Nullable String tierSite(Request request) {
        if (cache.config().isClientFacing()) {
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
     * Steps 1-2: the key, the stored variants (from memory here, from disk on the I/O executor).
     *
     * @param bypassStored ignore what is stored (a shield that could not catch up with an edge's invalidations)
     */
    private boolean lookUp(Request request, Response response, Callback callback, ServedSite site, RequestTarget target,
            boolean head, boolean bypassStored) throws Exception {
        JettyFields fields = new JettyFields(request.getHeaders(), site.cookies());
        RequestFacts facts = RequestFacts.of(request.getMethod(), fields);
        String key = site.keyOf(target);
        if (bypassStored) {
            return decide(request, response, callback, site, facts, target, key, Variants.EMPTY, null, head);
        }
        Variants inMemory = cache.store().lookupInMemory(key);
        StoredObject stored = inMemory.isEmpty() ? null : inMemory.select(fields);
        if (stored == null && cache.store().mayHaveOnDisk(key)) {
            // the disk tier may have it: read it on the I/O executor, never on this (Jetty's reading) thread
            cache.store().ioExecutor().execute(() -> {
                try {
                    Variants all = cache.store().lookup(key);
                    decide(request, response, callback, site, facts, target, key, all,
                            all.isEmpty() ? null : all.select(fields), head);
                } catch (Throwable failure) {
                    Response.writeError(request, response, callback, failure);
                }
            });
            return true;
        }
        return decide(request, response, callback, site, facts, target, key, inMemory, stored, head);
    }

    /** Steps 3-5: decide with what is stored, then serve, fetch or pass. */
    private boolean decide(Request request, Response response, Callback callback, ServedSite site, RequestFacts facts,
            RequestTarget target, String key, Variants variants, @Nullable StoredObject stored, boolean head) throws Exception {
        CachePolicy policy = site.policy();
        long now = cache.now();
        if (stored != null) {
            StoredObject screened = invalidations.screen(key, stored, now);
            if (screened == null) {
                // a ban covers it: gone for this request and, soon, from the store
                cache.store().ioExecutor().execute(() -> cache.store().remove(key));
                variants = Variants.EMPTY;
            }
            stored = screened;
        }
        String method = facts.method();
        CacheDecision decision = policy.onRequest(facts, stored == null ? null : stored.response(),
                stored == null && !variants.isEmpty(), now);
        String requestId = RequestIds.acceptOrGenerate(((JettyFields) facts.fields()).requestId());
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} C2{} {} {} -> {} ({})", requestId, tag(), method, target.pathAndQuery(), decision.action(),
                    decision.reason());
        }
        if (decision.revalidateInBackground()) {
            fetcher.revalidateInBackground(site, key, target, facts, request, requireNonNull(stored), requestId);
        }
        switch (decision.action()) {
            case SERVE_FRESH -> serveStored(response, callback, requireNonNull(stored), now, XCache.HIT, null, head, requestId);
            case SERVE_STALE -> serveStored(response, callback, requireNonNull(stored), now, XCache.STALE,
                    CacheStatus.of(nodeName).hit().ttl(ttlSeconds(stored, now)).detail("max-stale"), head, requestId);
            case SERVE_STALE_AND_REVALIDATE -> serveStored(response, callback, requireNonNull(stored), now, XCache.STALE,
                    CacheStatus.of(nodeName).hit().ttl(ttlSeconds(stored, now)).detail("stale-while-revalidate"), head,
                    requestId);
            case RESPOND_NOT_MODIFIED -> {
                PreparedResponse p = prepared(requireNonNull(stored));
                HttpField status = decision.servesStale()
                        ? p.cacheStatus(CacheStatus.of(nodeName).hit().ttl(ttlSeconds(stored, now)).detail("stale-while-revalidate"))
                        : p.hitStatus(nodeName, ttlSeconds(stored, now));
                Delivery.sendNotModified(response, callback, p, ResponseFields.age(ageSeconds(stored, now)),
                        (decision.servesStale() ? XCache.STALE : XCache.HIT).field(), status, idField(requestId));
            }
            case RESPOND_PRECONDITION_FAILED -> Delivery.sendText(response, callback, 412,
                    "412 Precondition Failed: the stored response does not match If-Match / If-Unmodified-Since",
                    XCache.HIT.field(), idField(requestId));
            case RESPOND_GATEWAY_TIMEOUT -> Delivery.sendText(response, callback, 504,
                    "504 Gateway Timeout: only-if-cached, and " + nodeName + " has no usable stored response",
                    XCache.PASS.field(), new HttpField(PreparedResponse.CACHE_STATUS,
                            CacheStatus.of(nodeName).fwd(decision.fwd()).detail("only-if-cached").toString()),
                    idField(requestId));
            case FETCH, REVALIDATE -> {
                if (head) {
                    // HEAD is answered from a stored GET; a HEAD that would need upstream is passed through as HEAD
                    return pass(request, response, callback);
                }
                fetch(request, response, callback, site, facts, target, key, decision, stored, requestId);
            }
            case PASS -> {
                return pass(request, response, callback);
            }
            default -> throw new IllegalStateException("unhandled action " + decision.action());
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
    private boolean pass(Request request, Response response, Callback callback) {
        if (cache.config().isClientFacing() && request.getAttribute(ServedSite.ATTRIBUTE) instanceof ServedSite site) {
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
     * Misses and revalidations of one key share one upstream fetch (collapsing): the first request leads,
     * the others follow for at most {@code cache.collapse-timeout}. A key remembered as hit-for-miss fetches
     * on its own at once.
     */
    private void fetch(Request request, Response response, Callback callback, ServedSite site, RequestFacts facts,
            RequestTarget target, String key, CacheDecision decision, @Nullable StoredObject stored, String requestId) {
        StoredObject base = decision.action() == CacheDecision.Action.REVALIDATE ? stored : null;
        Fetch fetch = new Fetch();
        long waitStart = NanoTime.now();
        String flightKey = null; // a hit-for-miss key fetches on its own, outside the in-flight map
        if (!collapser.isHitForMiss(key)) {
            flightKey = base == null ? key : key + '\u0000' + base.response().varyKey() + "\u0000revalidate";
            Collapser.Registration registration = collapser.register(flightKey, fetch);
            if (!registration.leader()) {
                follow(registration.fetch(), request, response, callback, site, facts, target, key, decision, stored,
                        requestId, waitStart);
                return;
            }
        }
        fetch.subscribe(ownOutcome(request, waitStart, site, facts, response, callback, stored, decision, requestId));
        fetcher.send(fetch, flightKey, site, key, target, facts, request, base, requestId);
    }

    /** Delivers the outcome of a fetch this request sent itself, noting its upstream wait for the access log. */
    private Consumer<FetchOutcome> ownOutcome(Request request, long waitStart, ServedSite site, RequestFacts facts,
            Response response, Callback callback, @Nullable StoredObject stored, CacheDecision decision, String requestId) {
        return outcome -> {
            upstreamTime(request, waitStart);
            onOutcome(outcome, site, facts, response, callback, stored, decision, requestId, false);
        };
    }

    /** Records how long {@code request} waited for an upstream outcome, for the access log. */
    private static void upstreamTime(Request request, long waitStartNanos) {
        request.setAttribute(AccessLog.UPSTREAM_MILLIS, NanoTime.millisSince(waitStartNanos));
    }

    /**
     * A follower waits for the leader's outcome, bounded; a response it cannot use (not stored, or another
     * variant) sends it upstream on its own.
     */
    private void follow(Fetch leaders, Request request, Response response, Callback callback, ServedSite site,
            RequestFacts facts, RequestTarget target, String key, CacheDecision decision, @Nullable StoredObject stored,
            String requestId, long waitStart) {
        AtomicBoolean claimed = new AtomicBoolean();
        collapser.waiting().incrementAndGet();
        Scheduler.Task timeout = request.getComponents().getScheduler().schedule(() -> {
            if (claimed.compareAndSet(false, true)) {
                collapser.waiting().decrementAndGet();
                upstreamTime(request, waitStart);
                cache.metrics().rejected("collapse-timeout");
                onOutcome(new FetchOutcome.Failed(new CollapseTimeout(collapseTimeoutMillis)), site, facts, response,
                        callback, stored, decision, requestId, true);
            }
        }, collapseTimeoutMillis, TimeUnit.MILLISECONDS);
        // snapshot what a follower needs to go upstream itself, while its request is valid
        Runnable alone = () -> {
            Fetch own = new Fetch();
            own.subscribe(ownOutcome(request, waitStart, site, facts, response, callback, stored, decision, requestId));
            fetcher.send(own, null, site, key, target, facts, request,
                    decision.action() == CacheDecision.Action.REVALIDATE ? stored : null, requestId);
        };
        leaders.subscribe(outcome -> {
            if (!claimed.compareAndSet(false, true)) {
                return; // timed out already
            }
            timeout.cancel();
            collapser.waiting().decrementAndGet();
            if (outcome instanceof FetchOutcome.Fresh fresh && !usableByFollower(fresh, facts)) {
                alone.run();
                return;
            }
            upstreamTime(request, waitStart);
            onOutcome(outcome, site, facts, response, callback, stored, decision, requestId, true);
        });
    }

    /** A follower can read the leader's response if it is being stored and is the variant the follower asked for. */
    private static boolean usableByFollower(FetchOutcome.Fresh fresh, RequestFacts facts) {
        if (!fresh.stored()) {
            return false;
        }
        CachedResponse r = fresh.response();
        return r.varyFields().isEmpty() || VaryKeys.of(facts.fields()).matches(r);
    }

    /** What a fetch produced, for one waiting client. Runs on the thread that published the outcome. */
    private void onOutcome(FetchOutcome outcome, ServedSite site, RequestFacts facts, Response response, Callback callback,
            @Nullable StoredObject stored, CacheDecision decision, String requestId, boolean collapsed) {
        long now = cache.now();
        CachePolicy policy = site.policy();
        if (outcome instanceof FetchOutcome.Validated v) {
                StoredObject object = v.object();
                PreparedResponse p = prepared(object);
                CacheStatus status = CacheStatus.of(nodeName).fwd(decision.fwd()).fwdStatus(304).ttl(ttlSeconds(object, now));
                if (object.response().status() == 200 && Conditionals.evaluate(facts.fields(), true,
                        object.response().etag().orElse(null), object.response().validatorDateMillis())
                        == Conditionals.Outcome.NOT_MODIFIED) {
                    Delivery.sendNotModified(response, callback, p, ResponseFields.age(ageSeconds(object, now)),
                            XCache.REVALIDATED.field(), p.cacheStatus(status), idField(requestId));
                } else {
                    Delivery.send(response, callback, p, object.body(), false, ResponseFields.age(ageSeconds(object, now)),
                            XCache.REVALIDATED.field(), p.cacheStatus(status), idField(requestId));
                }
        } else if (outcome instanceof FetchOutcome.Failed f) {
            if (stored != null && policy.mayServeStale(stored.response(), CachePolicy.UpstreamFailure.UNREACHABLE, now)) {
                serveStored(response, callback, stored, now, XCache.STALE, CacheStatus.of(nodeName).fwd(decision.fwd())
                        .ttl(ttlSeconds(stored, now)).detail("stale-if-error"), false, requestId);
                return;
            }
            respondFailure(response, callback, site, f.cause(), decision, requestId, collapsed);
        } else if (outcome instanceof FetchOutcome.Fresh fresh) {
                CachedResponse r = fresh.response();
                if (stored != null) {
                    var failure = CachePolicy.failureOf(r.status());
                    if (failure.isPresent() && policy.mayServeStale(stored.response(), failure.get(), now)) {
                        fresh.body().reader().close(); // nobody reads the error body; the fetch stops
                        serveStored(response, callback, stored, now, XCache.STALE, CacheStatus.of(nodeName).fwd(decision.fwd())
                                .fwdStatus(r.status()).ttl(ttlSeconds(stored, now)).detail("stale-if-error"), false, requestId);
                        return;
                    }
                }
                PreparedResponse p = fresh.prepared();
                CacheStatus status = CacheStatus.of(nodeName).fwd(decision.fwd()).fwdStatus(r.status());
                if (collapsed) {
                    status.collapsed();
                }
                if (fresh.stored()) {
                    status.stored();
                } else {
                    status.detail(fresh.reason());
                }
                XCache x = fresh.stored() || "larger than store.max-object-size".equals(fresh.reason()) ? XCache.MISS : XCache.PASS;
                HttpField age = ResponseFields.age(Math.max(0, r.currentAgeMillis(now) / 1000));
                if (r.status() == 200 && Conditionals.evaluate(facts.fields(), true, r.etag().orElse(null),
                        r.validatorDateMillis()) == Conditionals.Outcome.NOT_MODIFIED) {
                    Delivery.sendNotModified(response, callback, p, age, x.field(), p.cacheStatus(status), idField(requestId));
                    return;
                }
                Delivery.send(response, callback, p, fresh.body(), false, age, x.field(), p.cacheStatus(status),
                        idField(requestId));
            }
    }

    /**
     * No response to give: a queue-full or open-breaker upstream gets a fast 503 with Retry-After; an
     * unreachable one a 502, a slow one a 504, all plain text naming this node, the kind of failure and the
     * request id. The body never names the upstream or quotes an exception: the log line (same request id)
     * has them.
     */
    private void respondFailure(Response response, Callback callback, ServedSite site, Throwable cause,
            CacheDecision decision, String requestId, boolean collapsed) {
        CacheStatus member = CacheStatus.of(nodeName).fwd(decision.fwd());
        if (collapsed) {
            member.collapsed();
        }
        if (cause instanceof Fetcher.Overloaded || cause instanceof Fetcher.CircuitOpen) {
            boolean overloaded = cause instanceof Fetcher.Overloaded;
            String kind = overloaded ? "upstream-overloaded" : "circuit-open";
            cache.metrics().rejected(overloaded ? "overloaded" : "circuit-open");
            LOG.info("{} {}: {}", requestId, nodeName, cause.getMessage());
            Delivery.sendText(response, callback, 503, "503 Service Unavailable: " + kind + ": " + nodeName
                    + (overloaded ? " has too many requests waiting for its upstream" : " is letting its failing upstream recover")
                    + "; retry in a second; request id " + requestId, XCache.MISS.field(),
                    new HttpField(HttpHeader.RETRY_AFTER, "1"), new HttpField(Fetcher.ERROR_HEADER, kind),
                    new HttpField(PreparedResponse.CACHE_STATUS, member.detail(kind).toString()), idField(requestId));
            return;
        }
        if (cause instanceof CollapseTimeout) {
            // a follower's own wait ran out (cache.collapse-timeout): the leader's fetch goes on
            Delivery.sendText(response, callback, 504, "504 Gateway Timeout: collapse-timeout: " + nodeName + " waited "
                    + collapseTimeoutMillis + " ms for another request's fetch of this object (cache.collapse-timeout); "
                    + "request id " + requestId, XCache.MISS.field(), new HttpField(Fetcher.ERROR_HEADER, "collapse-timeout"),
                    new HttpField(PreparedResponse.CACHE_STATUS, member.detail("collapse-timeout").toString()),
                    idField(requestId));
            return;
        }
        int status = Fetcher.isTimeout(cause) ? 504 : 502;
        // a shield's table site is fetched from the site's origins (see Fetcher.ORIGIN_UNREACHABLE)
        String kind = Fetcher.errorValue(cause, site.definition() != null && !cache.config().isClientFacing());
        LOG.warn("{} {} site {} upstream {} failed: {}", requestId, nodeName, site, upstreamNames(site), describe(cause));
        Delivery.sendText(response, callback, status, status + (status == 504 ? " Gateway Timeout: " : " Bad Gateway: ")
                + kind + ": " + nodeName + " could not get a response from its upstream; request id " + requestId,
                XCache.MISS.field(), new HttpField(Fetcher.ERROR_HEADER, kind),
                new HttpField(PreparedResponse.CACHE_STATUS, member.detail(kind).toString()), idField(requestId));
    }

    /** The upstream(s), for log lines only. */
    private static String upstreamNames(ServedSite site) {
        var all = site.upstreams().all();
        return all.size() == 1 ? all.get(0).toString() : "tier " + all;
    }

    private void serveStored(Response response, Callback callback, StoredObject stored, long now, XCache x,
            @Nullable CacheStatus status, boolean head, String requestId) {
        PreparedResponse p = prepared(stored);
        HttpField cacheStatus = status == null ? p.hitStatus(nodeName, ttlSeconds(stored, now)) : p.cacheStatus(status);
        Delivery.send(response, callback, p, stored.body(), head, ResponseFields.age(ageSeconds(stored, now)), x.field(),
                cacheStatus, idField(requestId));
    }

    private PreparedResponse prepared(StoredObject stored) {
        return stored.prepared(o -> PreparedResponse.of(o.response(), o.response().fields(), o.body().length(),
                cache.viaSelf(), cache.droppedFields()));
    }

    private static long ageSeconds(StoredObject stored, long now) {
        return stored.response().currentAgeMillis(now) / 1000;
    }

    private static long ttlSeconds(StoredObject stored, long now) {
        return Math.floorDiv(stored.response().ttlMillis(now), 1000);
    }

    private static HttpField idField(String requestId) {
        return new HttpField(RequestIds.HEADER, requestId);
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private String tag() {
        return cache.config().isClientFacing() ? "E" : "S";
    }
}
