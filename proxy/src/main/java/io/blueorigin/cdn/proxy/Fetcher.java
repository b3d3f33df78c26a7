package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.FieldList;
import io.blueorigin.cdn.httpcache.RequestFacts;
import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.StoreDecision;
import io.blueorigin.cdn.httpcache.VaryKey;
import io.blueorigin.cdn.httpcache.internal.HttpDates;
import io.blueorigin.cdn.httpcache.range.Slices;
import io.blueorigin.cdn.httpcache.reply.Reply;
import io.blueorigin.cdn.httpcache.site.Origin;
import io.blueorigin.cdn.proxy.control.LocalInvalidations;
import io.blueorigin.cdn.proxy.site.ServedSite;
import io.blueorigin.cdn.proxy.upstream.ConcurrencyGate;
import io.blueorigin.cdn.proxy.upstream.Upstream;
import io.blueorigin.cdn.proxy.upstream.UpstreamAttempt;
import io.blueorigin.cdn.proxy.upstream.Upstreams;
import io.blueorigin.cdn.runtime.NodeServer;
import io.blueorigin.cdn.storage.GrowingBody;
import io.blueorigin.cdn.storage.ObjectWriter;
import io.blueorigin.cdn.storage.StoredObject;
import java.net.ConnectException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.NanoTime;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends this node's upstream requests for the cache ({@code edgeToShieldRequest} /
 * {@code shieldToOriginRequest}) and turns each response into a {@link FetchOutcome}: decides storability
 * when the headers arrive, streams the body into the store (or through, bounded, when not stored), and
 * commits the object only once the body is complete.
 *
 * <p>The upstream request is built from the client request at once, while that request is valid (Jetty
 * recycles it after completion, and a fetch may wait in a queue or run in the background): method GET,
 * raw path and query, end-to-end fields minus validators and ranges (the cache wants the whole
 * representation, or one slice of it: {@link #sendSlice} adds its own {@code Range}; a revalidation sends the stored
 * response's own validators), {@code Accept-Encoding}
 * reduced to the coding the variant key names, {@code Via}, {@code X-Request-ID}, {@code Forwarded} and
 * {@code X-Forwarded-For} appended.
 *
 * <p>Upstream protection, in order: the key's upstream ({@link Upstreams}: ring, mark-down, fallback);
 * its concurrency gate (queue full: {@link Overloaded}); its circuit breaker (open: {@link CircuitOpen}).
 * A connect failure (the request never reached the upstream) or a stopping upstream's refusal marks it
 * down and moves on to the key's next usable upstream, until each has been tried; a request that got no
 * response for another reason but a timeout is retried once; nothing else is retried (with one upstream
 * and no fallback there is nowhere to retry).
 */
final class Fetcher {
    private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);
    /** Request fields not forwarded on a cache fetch (besides hop-by-hop ones and Host). */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "if-match", "if-none-match", "if-modified-since",
            "if-unmodified-since", "if-range", "range", "accept-encoding", "x-request-id", "via", "expect",
            "content-length", "content-type", "forwarded", "x-forwarded-for", "blue-origin-invalidation", "blue-origin-site");
    /**
     * Marks a 5xx a node of this CDN generated itself: {@code upstream-unreachable} (it could not connect to
     * its upstream; an edge then skips that shield for a while), {@code upstream-timeout} or
     * {@code upstream-failed} (no or a broken response), {@code upstream-overloaded} or {@code circuit-open}
     * (it is protecting its upstream), {@code shutting-down}. A 5xx without it was relayed from the origin.
     */
    static final String ERROR_HEADER = NodeServer.ERROR_FIELD;
    static final String UNREACHABLE = "upstream-unreachable";
    /**
     * A shield could not connect to a site's origin: that site's trouble, so unlike {@link #UNREACHABLE} an edge does
     * not mark the shield down (which would send every site's keys around it).
     */
    static final String ORIGIN_UNREACHABLE = "origin-unreachable";

    /** The upstream's queue was full. */
    static final class Overloaded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Overloaded(Upstream upstream) {
            super("upstream " + upstream + " has too many requests in flight and queued (upstream.max-concurrent, "
                    + "upstream.max-queued)", null, false, false);
        }
    }

    /** The upstream's circuit breaker is open. */
    static final class CircuitOpen extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CircuitOpen(Upstream upstream) {
            super("upstream " + upstream + " is failing; its circuit breaker is open (upstream.breaker.*)", null, false, false);
        }
    }

    private final ProxyCache cache;
    private final OriginClients clients;
    private final Collapser collapser;
    private final LocalInvalidations invalidations;
    /** An edge following admin tells its shield which invalidations it has applied (see {@link LocalInvalidations#ORDERING_FIELD}). */
    private final boolean sendsOrdering;
    private final long readTimeoutMillis;
    /** {@code server.response-header-size}: what this node's server writes at most. */
    private final int maxStoredHeadLimit;
    /** The largest stored header section: the server's limit less {@link #OWN_FIELDS_RESERVE}. */
    private final int maxStoredHead;
    /**
     * Room kept for the fields a node adds to a stored response on every hit (Age, Via, X-Cache, Cache-Status,
     * X-Request-ID, Date), and those of the tiers in front of it.
     */
    static final int OWN_FIELDS_RESERVE = 2048;

    Fetcher(ProxyCache cache, OriginClients clients, Collapser collapser, LocalInvalidations invalidations) {
        this.cache = requireNonNull(cache, "cache is null");
        this.clients = requireNonNull(clients, "clients is null");
        this.collapser = requireNonNull(collapser, "collapser is null");
        this.invalidations = requireNonNull(invalidations, "invalidations is null");
        this.sendsOrdering = cache.role().sendsOrdering(cache.config().control().enabled());
        this.readTimeoutMillis = cache.config().upstream().readTimeout().toMillis();
        this.maxStoredHeadLimit = cache.config().server().limits().responseHeaderSize();
        this.maxStoredHead = maxStoredHeadLimit - OWN_FIELDS_RESERVE;
    }

    /**
     * Sends {@code fetch} (its subscribers already attached). Never throws: whatever goes wrong, the fetch is
     * published as failed and its collapse entry settled, so no follower waits for a fetch that never went.
     *
     * @param flightKey the key it is registered under in the {@link Collapser}, or null when not collapsed
     * @param key primary cache key
     * @param target the request's canonical target (what the key names is what the upstream is asked for)
     * @param facts the client request's facts
     * @param clientRequest the client request (read now, never after this returns)
     * @param stored a stored variant to revalidate (its validators are sent, a 304 freshens it), or null
     * @param requestId the request id sent upstream
     */
    void send(Fetch fetch, @Nullable String flightKey, ServedSite site, String key, RequestTarget target, RequestFacts facts,
            Request clientRequest, @Nullable StoredObject stored, String requestId) {
        Exchange exchange;
        try {
            HttpFields.Mutable headers = HttpFields.build();
            copyHeaders(clientRequest, site, stored, requestId, headers);
            exchange = new Exchange(fetch, flightKey, site, key, facts, stored, target.pathAndQuery(), headers.asImmutable(),
                    requestId);
        } catch (RuntimeException e) {
            LOG.warn("{} could not build the upstream request: {}", requestId, brief(e));
            fetch.publish(new FetchOutcome.Failed(e));
            if (flightKey != null) {
                collapser.settle(flightKey, fetch);
            }
            return;
        }
        exchange.earlyHints = clientRequest.getAttribute(EarlyHints.ATTRIBUTE);
        exchange.attempt(site.upstreams().select(key), 1);
    }

    /**
     * Sends {@code fetch} for slice {@code index} of {@code key} ({@code Range: bytes=index*size-...}, docs/ranges.md),
     * registered in the {@link Collapser} under the slice's key; its outcome is published like {@link #send}'s. A 206
     * that is exactly that slice, with a strong validator, is stored under the slice's key (tagged so a purge of the
     * URL finds it); a 200 (an upstream that ignores ranges) is stored under {@code key} as any 200 is; anything else
     * is not stored. Never throws.
     *
     * @param slice the slice's index and the slice size
     */
    void sendSlice(Fetch fetch, ServedSite site, String key, SliceRequest slice, RequestTarget target, RequestFacts facts,
            Request clientRequest, String requestId) {
        String flightKey = Slices.key(key, slice.index());
        Exchange exchange;
        try {
            HttpFields.Mutable headers = HttpFields.build();
            copyHeaders(clientRequest, site, null, requestId, headers);
            headers.put(HttpHeader.RANGE, Slices.requestRange(slice.index(), slice.size()));
            if (slice.ifRange() != null && cache.role().sendsIfRangeOnSlices()) {
                headers.put(HttpHeader.IF_RANGE, slice.ifRange()); // a shield must not answer with a slice of another version
            }
            exchange = new Exchange(fetch, flightKey, site, key, facts, null, target.pathAndQuery(), headers.asImmutable(),
                    requestId);
            exchange.slice = slice;
        } catch (RuntimeException e) {
            LOG.warn("{} could not build the upstream request for a slice: {}", requestId, brief(e));
            fetch.publish(new FetchOutcome.Failed(e));
            collapser.settle(flightKey, fetch);
            return;
        }
        exchange.attempt(site.upstreams().select(key), 1); // every slice of a key goes where the key goes
    }

    /**
     * Slice {@code index} of slices of {@code size} bytes; {@code ifRange} the strong entity tag of the version it must
     * be of (sent by an edge to its shield, never to an origin, which would answer a changed object whole), or null.
     */
    record SliceRequest(long index, long size, @Nullable String ifRange) {}

    /** Revalidates {@code stored} in the background unless a revalidation of it is already running. */
    void revalidateInBackground(ServedSite site, String key, RequestTarget target, RequestFacts facts, Request clientRequest,
            StoredObject stored, String requestId) {
        String flightKey = key + '\u0000' + stored.response().varyKey() + "\u0000revalidate";
        Fetch fetch = new Fetch();
        if (collapser.register(flightKey, fetch).leader()) {
            send(fetch, flightKey, site, key, target, facts, clientRequest, stored, requestId);
        }
    }

    /**
     * The fields of an upstream request for the cache: the client's end-to-end fields minus validators, ranges
     * and what {@link Forwarding} strips; {@code Accept-Encoding} normalized (it is part of the variant key);
     * {@code Via}, {@code X-Forwarded-For}, {@code Forwarded} and {@code X-Request-ID} of this node's own. No
     * {@code User-Agent} is added: the client's (if any) is the only one.
     */
    private void copyHeaders(Request clientRequest, ServedSite site, @Nullable StoredObject stored, String requestId,
            HttpFields.Mutable out) {
        HttpFields in = clientRequest.getHeaders();
        Forwarding forwarding = cache.forwarding();
        Set<String> nominated = HopByHop.nominated(in.getValuesList(HttpHeader.CONNECTION));
        String via = null;
        String forwardedFor = null;
        String forwarded = null;
        for (HttpField f : in) {
            String lower = f.getLowerCaseName();
            switch (lower) {
                case "via" -> via = via == null ? f.getValue() : via + ", " + f.getValue();
                case "x-forwarded-for" -> forwardedFor = forwardedFor == null ? f.getValue() : forwardedFor + ", " + f.getValue();
                case "forwarded" -> forwarded = forwarded == null ? f.getValue() : forwarded + ", " + f.getValue();
                case "cookie" -> {
                    String kept = site.cookies().apply(f.getValue()); // the site's cookie policy
                    if (kept != null && !forwarding.strips(lower)) {
                        out.add(HttpHeader.COOKIE, kept);
                    }
                }
                default -> {
                    if (!NOT_FORWARDED.contains(lower) && !HopByHop.isHopByHop(lower, nominated) && !forwarding.strips(lower)) {
                        out.add(f);
                    }
                }
            }
        }
        List<String> acceptEncoding = in.getValuesList(HttpHeader.ACCEPT_ENCODING);
        if (!acceptEncoding.isEmpty()) {
            out.put(HttpHeader.ACCEPT_ENCODING, VaryKey.normalizeAcceptEncoding(acceptEncoding));
        }
        String self = cache.viaSelf();
        out.put(HttpHeader.VIA, via == null ? self : via + ", " + self);
        String peer = Request.getRemoteAddr(clientRequest);
        boolean trusted = forwarding.trusts(peer);
        out.put(HttpHeader.X_FORWARDED_FOR, forwarding.xForwardedFor(forwardedFor, peer, trusted));
        out.put(HttpHeader.FORWARDED, forwarding.forwarded(forwarded, peer, trusted));
        out.put(RequestIds.HEADER, requestId);
        if (sendsOrdering) {
            invalidations.signedOrdering().ifPresent(value -> out.put(LocalInvalidations.ORDERING_FIELD, value));
        }
        if (cache.role().namesSiteUpstream()) {
            // the shield serves the same site: named in the signed field, and the client's host for a shield that
            // cannot verify it (an edge restarted while admin is down holds no tier keys) to select it by
            out.put(LocalInvalidations.SITE_FIELD, invalidations.siteField(site.name()));
            String host = Request.getServerName(clientRequest);
            if (host != null && !host.isEmpty()) {
                out.put(HttpHeader.HOST, host);
            }
        }
        if (stored != null) {
            CachedResponse r = stored.response();
            r.etag().ifPresent(tag -> out.put(HttpHeader.IF_NONE_MATCH, tag.toString()));
            if (r.lastModifiedMillis() >= 0) {
                out.put(HttpHeader.IF_MODIFIED_SINCE, HttpDates.format(r.lastModifiedMillis()));
            }
        }
    }

    private String tag() {
        return cache.role().tag();
    }

    private String upstreamTag() {
        return cache.role().upstreamTag();
    }

    /**
     * The {@link #ERROR_HEADER} value for a failure to get a response: {@code upstream-unreachable} when the
     * connection could not be made (an edge skips that shield), else {@code upstream-timeout} or
     * {@code upstream-failed} (the origin's trouble, not the shield's).
     */
    static String errorValue(@Nullable Throwable failure) {
        return errorValue(failure, false);
    }

    /**
     * {@link #errorValue(Throwable)}, where {@code siteOrigin} says the upstream was a site's origin fetched by a
     * shield: a connection it could not make is then {@link #ORIGIN_UNREACHABLE}, that site's trouble.
     */
    static String errorValue(@Nullable Throwable failure, boolean siteOrigin) {
        if (failure != null && neverReachedUpstream(failure)) {
            return siteOrigin ? ORIGIN_UNREACHABLE : UNREACHABLE;
        }
        if (failure instanceof HeadersTooLarge) {
            return "upstream-headers-too-large";
        }
        return failure != null && isTimeout(failure) ? "upstream-timeout" : "upstream-failed";
    }

    /** Whether a failure happened before the request reached the upstream (safe to send elsewhere). */
    static boolean neverReachedUpstream(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnresolvedAddressException) {
                return true;
            }
            if (t instanceof java.net.SocketTimeoutException && String.valueOf(t.getMessage()).contains("onnect")) {
                return true;
            }
        }
        return false;
    }

    /** Bytes of a header section on the wire: a status line, then each field as {@code name: value CRLF}. */
    static int headSize(HttpFields fields) {
        long size = 32;
        for (HttpField f : fields) {
            size += f.getName().length() + f.getValue().length() + 4L;
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /** An upstream's header section is larger than this node writes ({@code server.response-header-size}). */
    static final class HeadersTooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HeadersTooLarge(int bytes, int limit) {
            super("upstream header section of " + bytes + " bytes, more than server.response-header-size (" + limit + ")",
                    null, false, false);
        }
    }

    /** A failure in one short line for logs (Jetty's exception messages embed whole connection dumps). */
    static String brief(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        return failure.getClass().getSimpleName() + ": " + (message.length() > 100 ? message.substring(0, 100) + "..." : message);
    }

    /** How a fetch that gave no response failed, as the reply decision classifies it. */
    static Reply.UpstreamError errorOf(Throwable failure) {
        if (failure instanceof Overloaded) {
            return Reply.UpstreamError.OVERLOADED;
        }
        if (failure instanceof CircuitOpen) {
            return Reply.UpstreamError.CIRCUIT_OPEN;
        }
        if (failure instanceof CacheHandler.CollapseTimeout) {
            return Reply.UpstreamError.COLLAPSE_TIMEOUT;
        }
        return isTimeout(failure) ? Reply.UpstreamError.TIMEOUT : Reply.UpstreamError.FAILED;
    }

    static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** One upstream exchange's state. Its callbacks are serialised by Jetty's client (one response, in order). */
    private final class Exchange {
        private final Fetch fetch;
        private final @Nullable String flightKey;
        private final ServedSite site;
        private final String key;
        private final RequestFacts facts;
        private final @Nullable StoredObject stored;
        private final String pathQuery;
        private final HttpFields headers;
        private final String requestId;
        /** Where a {@code 103 Early Hints} from upstream goes (the leading client's response), or null. */
        private @Nullable Object earlyHints;
        private long requestTimeMillis;
        /** When the current attempt was sent ({@link NanoTime}), for the upstream latency metric. */
        private long sentNanos;
        private @Nullable Upstream upstream;
        private boolean settled;
        /** Set in onHeaders; read by later callbacks of the same exchange (Jetty orders them). */
        private @Nullable ObjectWriter writer;
        private @Nullable GrowingBody body;
        private @Nullable CachedResponse response;
        private int status;
        /** The response is the upstream's own failure (see {@link #onComplete}). */
        private boolean upstreamFault;
        /** The upstream is stopping and refused the request without acting on it. */
        private boolean refused;
        /** The slice asked for ({@link #sendSlice}), or null for a whole representation. */
        private @Nullable SliceRequest slice;
        /** Upstreams that failed to answer this fetch. */
        private final Set<Upstream> tried = new java.util.HashSet<>(4);

        Exchange(Fetch fetch, @Nullable String flightKey, ServedSite site, String key, RequestFacts facts,
                @Nullable StoredObject stored, String pathQuery, HttpFields headers, String requestId) {
            this.fetch = fetch;
            this.flightKey = flightKey;
            this.site = site;
            this.key = key;
            this.facts = facts;
            this.stored = stored;
            this.pathQuery = pathQuery;
            this.headers = headers;
            this.requestId = requestId;
        }

        /** Sends to {@code target} through its gate and breaker. */
        void attempt(Upstream target, int number) {
            // a retry starts clean: nothing of the failed attempt was published, its body was released
            upstream = target;
            status = 0;
            upstreamFault = false;
            refused = false;
            writer = null;
            body = null;
            response = null;
            boolean admitted = target.gate().enter(ConcurrencyGate.Kind.FILL, permit -> send(target, permit, number));
            if (!admitted) {
                fail(new Overloaded(target));
            }
        }

        /**
         * Runs holding a permit of {@code target}'s gate (now, or later on the thread that returned one). From
         * here the {@link UpstreamAttempt} owns permit and breaker admission; it ends in {@link #onComplete},
         * or below if the request cannot even be sent.
         */
        private void send(Upstream target, ConcurrencyGate.Permit permit, int number) {
            UpstreamAttempt attempt = UpstreamAttempt.begin(target, permit);
            if (attempt == null) {
                fail(new CircuitOpen(target));
                return;
            }
            try {
                URI url = URI.create(target.base() + pathQuery); // a canonical target always parses
                requestTimeMillis = cache.now();
                sentNanos = NanoTime.now();
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{} {}2{} GET {}{}", requestId, tag(), upstreamTag(), url, stored == null ? "" : " (revalidate)");
                }
                Origin origin = target.origin();
                clients.clientFor(target).newRequest(url)
                        .method(HttpMethod.GET)
                        .idleTimeout(origin == null ? readTimeoutMillis : origin.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .headers(h -> {
                            h.add(headers);
                            if (target.isFallback() || origin != null) {
                                // an origin has no use for the tier's position or site, and gets its own Host
                                h.remove(LocalInvalidations.ORDERING_FIELD);
                                h.remove(LocalInvalidations.SITE_FIELD);
                                h.remove(HttpHeader.HOST);
                            }
                            if (origin != null && origin.hostHeader() != null) {
                                h.put(HttpHeader.HOST, origin.hostHeader());
                            }
                        })
                        .attribute(EarlyHints.ATTRIBUTE, earlyHints)
                        .onResponseHeaders(this::onHeaders)
                        .onResponseContentAsync(this::onContent)
                        .send(result -> onComplete(result, attempt, number));
            } catch (RuntimeException e) {
                // never sent: no verdict on the upstream; give everything back and tell the waiters
                attempt.end(UpstreamAttempt.Verdict.NONE);
                LOG.warn("{} could not send to {}: {}", requestId, target, brief(e));
                fail(e);
            }
        }

        private void fail(Throwable cause) {
            fetch.publish(new FetchOutcome.Failed(cause));
            settle();
        }

        /** Takes this fetch out of the collapser's in-flight map (once; idempotent). */
        private void settle() {
            if (!settled) {
                settled = true;
                if (flightKey != null) {
                    collapser.settle(flightKey, fetch);
                }
            }
        }

        void onHeaders(org.eclipse.jetty.client.Response upstreamResponse) {
            long responseTime = cache.now();
            status = upstreamResponse.getStatus();
            if (upstream != null) {
                cache.metrics().upstreamResponse(ProxyMetrics.label(upstream), status, NanoTime.since(sentNanos));
            }
            int head = headSize(upstreamResponse.getHeaders());
            if (head > maxStoredHeadLimit) {
                // more than this node can write on: never stored, never relayed, the origin's to fix
                LOG.warn("{} {} sent a header section of {} bytes for {}, more than server.response-header-size ({} bytes)",
                        requestId, upstream, head, pathQuery, maxStoredHeadLimit);
                upstreamResponse.abort(new HeadersTooLarge(head, maxStoredHeadLimit));
                return;
            }
            FieldList fields = JettyFields.toFieldList(upstreamResponse.getHeaders());
            if (status == 503 && NodeServer.SHUTTING_DOWN.equals(fields.first(ERROR_HEADER))) {
                refused = true; // a stopping shield did not act on it: onComplete sends it to the next one
                return;
            }
            boolean unreachable = status >= 500 && UNREACHABLE.equals(fields.first(ERROR_HEADER));
            if (unreachable && upstream != null) {
                site.upstreams().markDown(upstream, "it could not reach its own upstream");
            }
            upstreamFault = unreachable || (cache.role().countsGatewayErrorsAgainstUpstream() && (status == 502 || status == 503 || status == 504));
            if (status == 304 && stored != null) {
                Optional<CachedResponse> freshened = site.policy().freshen(stored.response(), facts, fields,
                        requestTimeMillis, responseTime);
                if (freshened.isPresent()) {
                    fetch.publish(new FetchOutcome.Validated(cache.store().freshen(key, stored, freshened.get())));
                } else {
                    fetch.publish(new FetchOutcome.Failed(new IllegalStateException(
                            "upstream answered 304 that cannot freshen the stored response (a validator that does not match it, "
                                    + "or fields this node does not keep, such as more Surrogate-Key keys than it indexes)")));
                }
                settle();
                return;
            }
            StoreDecision decision = slice == null
                    ? site.policy().onResponse(facts, status, fields, requestTimeMillis, responseTime)
                    : site.policy().onSliceResponse(facts, status, fields, requestTimeMillis, responseTime);
            CachedResponse r = decision.response();
            long announced = r.contentLength();
            // a slice request's 206 is stored under the slice's key; its 200 (ranges ignored) under the key, as usual
            boolean isSlice = slice != null && status == 206;
            String storeKey = isSlice ? Slices.key(key, slice.index()) : key;
            String notSliced = slice == null ? null : sliceRefusal(status, fields, r, announced);
            if (isSlice) {
                r = Slices.tagged(r, key);
            }
            long maxObject = cache.store().maxObjectBytes();
            boolean keepStale = stored != null && status >= 500;
            boolean store = decision.store() && !keepStale && (announced < 0 || announced <= maxObject);
            String reason = keepStale && decision.store() ? "kept the stale response" : decision.reason();
            if (decision.store() && !store && announced > maxObject) {
                reason = "larger than store.max-object-size";
            }
            if (store && notSliced != null) {
                store = false;
                reason = notSliced;
            }
            if (store && head > maxStoredHead) {
                // every hit would fail to write it: pass it through once instead (it may still fit without our fields)
                store = false;
                reason = "header section too large to store";
                LOG.warn("{} not storing {}: its header section ({} bytes) leaves no room for this node's fields within "
                        + "server.response-header-size ({} bytes)", requestId, pathQuery, head, maxStoredHeadLimit);
            }
            GrowingBody growing;
            if (store) {
                writer = cache.store().begin(storeKey, r, announced);
                growing = writer.body();
                collapser.clearHitForMiss(storeKey);
            } else {
                growing = cache.store().passThrough(announced);
                if (!keepStale && status < 500 && slice == null) {
                    collapser.markHitForMiss(key); // later requests fetch at once rather than queue behind this key
                }
            }
            body = growing;
            response = r;
            long length = status == 204 ? 0 : announced;
            PreparedResponse prepared = cache.prepare(r, length);
            fetch.publish(new FetchOutcome.Fresh(r, prepared, growing, store, store || (decision.store() && announced > maxObject),
                    store ? "stored" : reason));
            if (!store) {
                settle(); // a body passed through has one reader: nobody else may join it
            }
        }

        /**
         * Why the answer to a slice request is not stored, or null: a 206 must be exactly the slice asked for, of a
         * known length, with a strong validator to combine it by (RFC 9111 §3.4); a 200 is stored as any 200 is;
         * nothing else is stored.
         */
        private @Nullable String sliceRefusal(int status, FieldList fields, CachedResponse r, long announced) {
            SliceRequest s = requireNonNull(slice);
            if (status == 200) {
                return null;
            }
            if (status != 206) {
                return "status " + status + " to a slice request";
            }
            Optional<Slices.ContentRange> range = Slices.parseContentRange(fields.first("Content-Range"));
            if (range.isEmpty() || !Slices.isSlice(range.get(), s.index(), s.size())
                    || (announced >= 0 && announced != range.get().last() - range.get().first() + 1)) {
                return "not the slice asked for";
            }
            if (Slices.validator(r).isEmpty()) {
                return "slice without a strong validator";
            }
            return null;
        }

        void onContent(org.eclipse.jetty.client.Response upstreamResponse, org.eclipse.jetty.io.Content.Chunk chunk,
                Runnable demander) {
            GrowingBody growing = body;
            if (growing == null) {
                demander.run(); // a 304 has no body; nothing else arrives without headers
                return;
            }
            ByteBuffer data = chunk.getByteBuffer();
            cache.metrics().upstreamBytes(data.remaining());
            if (writer != null) {
                writer.write(data);
                if (growing.committed() > cache.store().maxObjectBytes() || !growing.retains()) { // too large, or memory short
                    writer.abandon();
                    writer = null;
                    settle();
                }
            } else {
                growing.write(data);
            }
            if (!growing.retains() && growing.readerCount() == 0) {
                upstreamResponse.abort(new CancellationException("no reader left for a response that is not stored"));
                return;
            }
            if (growing.isBacklogged()) {
                growing.whenDrained(demander);
            } else {
                demander.run();
            }
        }

        /**
         * What the circuit breaker counts as a failure of {@code target}: no response or a broken one, a
         * timeout, and a 5xx that is the target's own failure. A shield's upstream is the origin, so its
         * 502/503/504 count. An edge's upstream is a shield, which relays the origin's 5xx: those are not the
         * shield's failures (counting them would open every shield's breaker and send edges around the
         * tier, straight to a failing origin); only a 5xx a shield marks as its own
         * ({@code Blue-Origin-Error: upstream-unreachable}) counts.
         */
        void onComplete(Result result, UpstreamAttempt attempt, int number) {
            Upstream target = attempt.upstream();
            Throwable failure = result.isFailed() ? result.getFailure() : null;
            if (failure == null && refused) {
                failure = new ConnectException(target + " is shutting down");
            }
            try {
                if (failure != null && status == 0) {
                    cache.metrics().upstreamError(ProxyMetrics.label(target)); // no response at all
                }
                boolean failed = failure != null || upstreamFault;
                // a cancelled body (nobody left to read it) or an oversized head is still an answer from the upstream
                attempt.end(failed && !(failure instanceof CancellationException) && !(failure instanceof HeadersTooLarge)
                        ? UpstreamAttempt.Verdict.FAILURE : UpstreamAttempt.Verdict.SUCCESS);
                if (failure == null) {
                    if (writer != null && response != null) {
                        writer.commit(response);
                    } else if (body != null) {
                        body.complete();
                    }
                    return;
                }
                // A published fetch leaves the collapse map before its readers see the failure: a request that
                // comes after one of them saw it (a client retrying the truncated response) must fetch anew, not
                // join a body that is being released.
                if (fetch.isPublished()) {
                    settle();
                }
                // whatever arrived of this attempt is released before anything else happens
                if (writer != null) {
                    writer.abort(failure);
                } else if (body != null) {
                    body.fail(failure);
                }
                if (!fetch.isPublished()) {
                    if (neverReachedUpstream(failure)) {
                        site.upstreams().markDown(target, brief(failure));
                    }
                    // A GET that got no response may be sent again (RFC 9110 §9.2.2): one that never reached its
                    // upstream to each usable upstream in turn (cheap, and harmless); one that was reset or closed
                    // once more; a slow upstream never (that would double its load).
                    tried.add(target);
                    boolean retry = neverReachedUpstream(failure)
                            || (number == 1 && !isTimeout(failure) && !(failure instanceof HeadersTooLarge));
                    Optional<Upstream> next = retry ? site.upstreams().next(key, tried) : Optional.empty();
                    if (next.isPresent()) {
                        LOG.info("{} no response from {} ({}), retrying on {}", requestId, target, brief(failure), next.get());
                        attempt(next.get(), number + 1);
                        return;
                    }
                    fetch.publish(new FetchOutcome.Failed(failure));
                }
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{} upstream {} failed: {}", requestId, target, failure.toString());
                }
            } catch (RuntimeException e) {
                // a bug of ours must not strand the waiters or the permit
                LOG.warn("{} completing the fetch from {} failed: {}", requestId, target, brief(e), e);
                attempt.end(UpstreamAttempt.Verdict.NONE);
                fetch.publish(new FetchOutcome.Failed(e));
            } finally {
                if (fetch.isPublished()) {
                    settle();
                }
            }
        }
    }
}
