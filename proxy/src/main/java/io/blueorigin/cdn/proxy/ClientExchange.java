package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CacheDecision;
import io.blueorigin.cdn.httpcache.CacheStatus;
import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.RequestFacts;
import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.VaryKeys;
import io.blueorigin.cdn.httpcache.encoding.AcceptEncoding;
import io.blueorigin.cdn.httpcache.encoding.Coding;
import io.blueorigin.cdn.httpcache.range.ByteRange;
import io.blueorigin.cdn.httpcache.range.MultipartByteranges;
import io.blueorigin.cdn.httpcache.range.RangeDecision;
import io.blueorigin.cdn.httpcache.range.Representation;
import io.blueorigin.cdn.httpcache.range.Slices;
import io.blueorigin.cdn.httpcache.reply.Fetched;
import io.blueorigin.cdn.httpcache.reply.Reply;
import io.blueorigin.cdn.httpcache.reply.ReplyPolicy;
import io.blueorigin.cdn.proxy.encoding.Compressor;
import io.blueorigin.cdn.proxy.encoding.EncodedVariants;
import io.blueorigin.cdn.proxy.site.ServedSite;
import io.blueorigin.cdn.runtime.AccessLog;
import io.blueorigin.cdn.storage.Body;
import io.blueorigin.cdn.storage.BodySlice;
import io.blueorigin.cdn.storage.MultipartBody;
import io.blueorigin.cdn.storage.StoredObject;
import io.blueorigin.cdn.storage.Variants;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client GET or HEAD at an edge or shield, from lookup to the reply: the one object that holds the
 * request's state (request, response, callback, site, target, facts, key, stored variant, decision, request id,
 * upstream wait), so each step takes at most two arguments:
 *
 * <pre>
 *   lookUp ─► decide ─┬─► deliver(reply)                       answered from cache (ReplyPolicy.fromStore)
 *                     ├─► fetch ─┬─► onOutcome ─► deliver(reply) (ReplyPolicy.afterFetch)
 *                     │          └─► follow ───► onOutcome ─► deliver(reply)
 *                     ├─► sliced ─► onSliced ─┬─► deliver(reply)     combined from slices (ReplyPolicy.sliced)
 *                     │                       └─► onOutcome | fetch  not sliced (Slicer)
 *                     └─► pass (the servlet)
 * </pre>
 *
 * <p>http-cache decides; this class carries out. {@link CacheDecision} says whether to go upstream, {@link Reply}
 * what the client is sent; {@link #deliver(Reply)} is the only place a reply is written, and the only place the
 * {@code X-Cache} and {@code Cache-Status} values are formed.
 *
 * <p>Threading: steps run one after another (on Jetty's thread, the store's I/O executor, or the thread that
 * published a fetch's outcome), never two at once: the fields below are written before the step that hands the
 * exchange on, and read after it. The callback is completed exactly once, by {@link Delivery}.
 */
final class ClientExchange {
    private static final Logger LOG = LoggerFactory.getLogger(ClientExchange.class);

    private final CacheHandler handler;
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final ServedSite site;
    /** The canonical target shaped by the site's query policy: the key's and the upstream request's. */
    private final RequestTarget target;
    private final boolean head;

    // set by lookUp
    /** The request's fields as received; {@link #facts} reads {@code Accept-Encoding} as the negotiated coding. */
    private JettyFields received;
    /** The coding negotiated for the reply (an edge that compresses); identity otherwise. */
    private Coding coding = Coding.IDENTITY;
    /** The identity variant served although {@link #coding} was negotiated: its copy is made in the background. */
    private @Nullable StoredObject compressible;
    private RequestFacts facts;
    private String key;
    private String requestId;
    // set by decide
    private @Nullable StoredObject stored;
    private CacheDecision decision;
    // set when going upstream
    private long waitStart;
    private boolean collapsed;
    // set by onOutcome
    private FetchOutcome.@Nullable Fresh fresh;
    private @Nullable Throwable failure;

    ClientExchange(CacheHandler handler, Request request, Response response, Callback callback, ServedSite site,
            RequestTarget target) {
        this.handler = handler;
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.site = site;
        this.target = target;
        this.head = "HEAD".equals(request.getMethod());
    }

    /**
     * Steps 1-2: the key, the stored variants (from memory here, from disk on the I/O executor).
     *
     * @param bypassStored ignore what is stored (a shield that could not catch up with an edge's invalidations)
     */
    void lookUp(boolean bypassStored) {
        JettyFields fields = new JettyFields(request.getHeaders(), site.cookies());
        received = fields;
        Compressor compressor = handler.cache().compressor();
        if (compressor == null) {
            facts = RequestFacts.of(request.getMethod(), fields);
        } else {
            // variants are keyed on the negotiated coding, not the client's spelling: at most br, gzip, identity
            coding = AcceptEncoding.negotiate(fields, compressor.policy().codings()).coding();
            facts = RequestFacts.of(request.getMethod(), AcceptEncoding.normalized(fields, coding));
        }
        requestId = RequestIds.acceptOrGenerate(fields.requestId());
        key = site.keyOf(target);
        if (bypassStored) {
            decide(Variants.EMPTY, null);
            return;
        }
        ProxyCache cache = handler.cache();
        Variants inMemory = cache.store().lookupInMemory(key);
        StoredObject found = select(inMemory);
        if (found == null && cache.store().mayHaveOnDisk(key)) {
            // the disk tier may have it: read it on the I/O executor, never on this (Jetty's reading) thread
            cache.store().ioExecutor().execute(() -> {
                try {
                    Variants all = cache.store().lookup(key);
                    decide(all, select(all));
                } catch (Throwable t) {
                    Response.writeError(request, response, callback, t);
                }
            });
            return;
        }
        decide(inMemory, found);
    }

    /**
     * The stored variant for this request (RFC 9111 §4.1). At an edge that compresses: a copy it encoded only while
     * fresh (it is never revalidated: the identity one is), else the identity variant, whose copy in the negotiated
     * coding is then made in the background (docs/compression.md).
     */
    private @Nullable StoredObject select(Variants variants) {
        if (handler.cache().compressor() == null) {
            return variants.isEmpty() ? null : variants.select(facts.fields());
        }
        EncodedVariants.Selection selection = EncodedVariants.selectFor(variants, received, coding, handler.cache().now());
        compressible = selection.compressible();
        return selection.object();
    }

    /** Step 3: decide with what is stored (bans screened), then answer, fetch or pass. */
    private void decide(Variants variants, @Nullable StoredObject found) {
        ProxyCache cache = handler.cache();
        long now = cache.now();
        if (found != null) {
            StoredObject screened = handler.invalidations().screen(key, found, now);
            if (screened == null) {
                // a ban covers it: gone for this request and, soon, from the store
                String banned = key;
                cache.store().ioExecutor().execute(() -> cache.store().remove(banned));
                variants = Variants.EMPTY;
            }
            found = screened;
        }
        stored = found;
        decision = site.policy().onRequest(facts, found == null ? null : found.response(),
                found == null && !variants.isEmpty(), now);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} C2{} {} {} -> {} ({})", requestId, handler.role().tag(), facts.method(), target.pathAndQuery(),
                    decision.action(), decision.reason());
        }
        Reply.Refusal refusal = handler.rateLimit(request, site, !wentUpstream() && decision.action() != CacheDecision.Action.PASS);
        if (refusal != null) {
            deliver(Reply.refused(refusal));
            return;
        }
        if (decision.revalidateInBackground()) {
            handler.fetcher().revalidateInBackground(site, key, target, facts, request, requireNonNull(found), requestId);
        }
        switch (decision.action()) {
            case FETCH, REVALIDATE -> {
                if (head) {
                    // HEAD is answered from a stored GET; a HEAD that would need upstream is passed through as HEAD
                    handler.pass(request, response, callback);
                } else if (slices()) {
                    sliced(Slices.firstIndex(facts.fields().values("Range"), handler.cache().config().cache().sliceSize()));
                } else {
                    fetch();
                }
            }
            case PASS -> handler.pass(request, response, callback);
            default -> {
                deliver(ranged(ReplyPolicy.fromStore(decision)));
                Compressor compressor = handler.cache().compressor();
                if (compressor != null && compressible != null && decision.action() == CacheDecision.Action.SERVE_FRESH) {
                    compressor.compressInBackground(key, compressible, coding, received); // never fails; later hits use it
                }
            }
        }
    }

    /**
     * Step 4: misses and revalidations of one key share one upstream fetch (collapsing): the first request
     * leads, the others follow for at most {@code cache.collapse-timeout}. A key remembered as hit-for-miss
     * fetches on its own at once.
     */
    private void fetch() {
        Collapser collapser = handler.collapser();
        waitStart = NanoTime.now();
        Fetch fetch = new Fetch();
        String flightKey = null; // a hit-for-miss key fetches on its own, outside the in-flight map
        if (!collapser.isHitForMiss(key)) {
            StoredObject base = revalidated();
            flightKey = base == null ? key : key + '\u0000' + base.response().varyKey() + "\u0000revalidate";
            Collapser.Registration registration = collapser.register(flightKey, fetch);
            if (!registration.leader()) {
                follow(registration.fetch());
                return;
            }
        }
        sendUpstream(fetch, flightKey);
    }

    /** Whether this miss is answered from slices ({@code cache.slice-size}, docs/ranges.md): a GET with nothing stored. */
    private boolean slices() {
        return handler.cache().config().cache().slicing() && decision.action() == CacheDecision.Action.FETCH
                && !handler.collapser().isHitForMiss(key);
    }

    /** Step 4 for a sliced miss: the slice holding the first byte asked for, found or fetched ({@link Slicer}). */
    private void sliced(long firstIndex) {
        waitStart = NanoTime.now();
        new Slicer(handler, site, key, target, facts, request, requestId).start(firstIndex, this::onSliced);
    }

    /**
     * Step 5 for a sliced miss: the representation combined from slices is the stored one this reply is made from; an
     * object not sliced is answered as a fetch's outcome, or fetched whole.
     */
    private void onSliced(Slicer.Start start) {
        if (start instanceof Slicer.Combined combined) {
            request.setAttribute(AccessLog.UPSTREAM_MILLIS, NanoTime.millisSince(waitStart));
            stored = combined.object();
            deliver(ranged(ReplyPolicy.sliced(combined.hit())));
            return;
        }
        Slicer.Unsliced unsliced = (Slicer.Unsliced) start;
        FetchOutcome outcome = unsliced.outcome();
        if (outcome instanceof FetchOutcome.Fresh f && (f.response().status() == 416 || f.response().status() == 206)) {
            f.body().reader().close(); // nobody reads it
            if (f.response().status() == 416 && unsliced.index() > 0) {
                sliced(0); // the range starts past the end: slice 0 tells the length, and the 416 is ours
            } else {
                fetch(); // a 206 that is no usable slice, or an empty object: fetched whole, as without slicing
            }
        } else if (outcome == null) {
            fetch();
        } else {
            onOutcome(outcome); // the upstream ignored the range (its 200 is stored under the key), or another answer
        }
    }

    /**
     * Sends this request's own fetch; its outcome comes back to {@link #onOutcome}. A {@code 103 Early Hints} from
     * upstream is relayed to this client while its response is not begun (RFC 9110 §15.2, RFC 8297).
     */
    private void sendUpstream(Fetch fetch, @Nullable String flightKey) {
        fetch.subscribe(this::onOutcome);
        request.setAttribute(EarlyHints.ATTRIBUTE, (Consumer<HttpFields>) hints -> {
            if (response.isCommitted() || request.getConnectionMetaData().getHttpVersion().getVersion() < 11) {
                return; // a 1xx never goes to an HTTP/1.0 client, nor after the final response began
            }
            try {
                response.writeInterim(HttpStatus.EARLY_HINTS_103, hints); // best effort: a hint lost is harmless
            } catch (RuntimeException raced) {
                LOG.debug("{} 103 not relayed: {}", requestId, raced.toString());
            }
        });
        handler.fetcher().send(fetch, flightKey, site, key, target, facts, request, revalidated(), requestId);
    }

    /** The stored variant whose validators go upstream, when the decision is to revalidate it. */
    private @Nullable StoredObject revalidated() {
        return decision.action() == CacheDecision.Action.REVALIDATE ? stored : null;
    }

    /**
     * A follower waits for the leader's outcome, bounded; a response it cannot use (not stored, or another
     * variant) sends it upstream on its own.
     */
    private void follow(Fetch leaders) {
        Collapser collapser = handler.collapser();
        AtomicBoolean claimed = new AtomicBoolean();
        collapser.waiting().incrementAndGet();
        long timeoutMillis = handler.collapseTimeoutMillis();
        Scheduler.Task timeout = request.getComponents().getScheduler().schedule(() -> {
            if (claimed.compareAndSet(false, true)) {
                collapser.waiting().decrementAndGet();
                collapsed = true;
                handler.cache().metrics().rejected("collapse-timeout");
                onOutcome(new FetchOutcome.Failed(new CacheHandler.CollapseTimeout(timeoutMillis)));
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        leaders.subscribe(outcome -> {
            if (!claimed.compareAndSet(false, true)) {
                return; // timed out already
            }
            timeout.cancel();
            collapser.waiting().decrementAndGet();
            if (outcome instanceof FetchOutcome.Fresh f && !usableByFollower(f)) {
                sendUpstream(new Fetch(), null);
                return;
            }
            collapsed = true;
            onOutcome(outcome);
        });
    }

    /** A follower can read the leader's response if it is being stored and is the variant the follower asked for. */
    private boolean usableByFollower(FetchOutcome.Fresh f) {
        if (!f.stored()) {
            return false;
        }
        CachedResponse r = f.response();
        return r.varyFields().isEmpty() || VaryKeys.of(facts.fields()).matches(r);
    }

    /** Step 5: what a fetch produced. Runs on the thread that published the outcome. */
    private void onOutcome(FetchOutcome outcome) {
        request.setAttribute(AccessLog.UPSTREAM_MILLIS, NanoTime.millisSince(waitStart));
        Fetched fetched;
        if (outcome instanceof FetchOutcome.Validated v) {
            stored = v.object();
            fetched = new Fetched.Validated(v.object().response());
        } else if (outcome instanceof FetchOutcome.Failed f) {
            failure = f.cause();
            fetched = new Fetched.Failure(Fetcher.errorOf(f.cause()));
        } else {
            fresh = (FetchOutcome.Fresh) outcome;
            fetched = new Fetched.Response(fresh.response(), fresh.stored(), fresh.cacheable(), fresh.reason());
        }
        Reply reply = ReplyPolicy.afterFetch(fetched, facts.fields(), stored == null ? null : stored.response(),
                site.policy(), handler.cache().now());
        if (fresh != null && reply.source() != Reply.Source.FETCHED) {
            fresh.body().reader().close(); // nobody reads the new body (a stale response stands in): the fetch stops
        }
        deliver(ranged(reply));
    }

    /**
     * {@code reply} narrowed by the request's {@code Range}, if it has one (RFC 9110 §14; after the conditionals).
     * A response being fetched is ranged as it arrives: a 206 goes out as soon as its bytes do.
     */
    private Reply ranged(Reply reply) {
        if (reply.kind() != Reply.Kind.SEND || !request.getHeaders().contains(HttpHeader.RANGE)) {
            return reply;
        }
        boolean fromStore = reply.source() == Reply.Source.STORED;
        CachedResponse r = fromStore ? requireNonNull(stored).response() : requireNonNull(fresh).response();
        Body body = fromStore ? stored.body() : fresh.body();
        RangeDecision ranges = handler.ranges().decide(facts.method(), facts.fields().values("Range"),
                facts.fields().values("If-Range"), Representation.of(r, body.length()));
        return ReplyPolicy.withRanges(reply, ranges, fromStore || fresh.stored());
    }

    /**
     * Step 6, the only writer of a reply: status and fields of the representation the reply names (stored or
     * fetched), {@code Age}, {@code X-Cache}, {@code Cache-Status}, the request id, then the body; or this node's
     * own text answer.
     */
    void deliver(Reply reply) {
        long now = handler.cache().now();
        switch (reply.kind()) {
            case SEND, NOT_MODIFIED, PARTIAL, MULTIPART, UNSATISFIABLE -> deliverRepresentation(reply, now);
            case PRECONDITION_FAILED -> Delivery.sendText(response, callback, 412,
                    "412 Precondition Failed: the stored response does not match If-Match / If-Unmodified-Since",
                    XCache.of(reply.served()).field(), idField());
            case ONLY_IF_CACHED -> Delivery.sendText(response, callback, 504, "504 Gateway Timeout: only-if-cached, and "
                    + handler.nodeName() + " has no usable stored response", XCache.of(reply.served()).field(),
                    new HttpField(PreparedResponse.CACHE_STATUS, cacheStatus(reply, null).toString()), idField());
            case FAIL -> fail(reply);
            case REFUSED -> handler.refuse(response, callback, requireNonNull(reply.refusal()), requestId);
            default -> throw new IllegalStateException("unhandled reply " + reply.kind());
        }
    }

    /**
     * A reply made of a representation, the stored one or the one arriving: all of it, a 304 of its metadata, a 206
     * of one range or several, or a 416 naming its length.
     */
    private void deliverRepresentation(Reply reply, long now) {
        boolean fromStore = reply.source() == Reply.Source.STORED;
        PreparedResponse p = fromStore ? handler.prepared(requireNonNull(stored)) : requireNonNull(fresh).prepared();
        CachedResponse r = fromStore ? stored.response() : fresh.response();
        Body whole = fromStore ? stored.body() : fresh.body();
        HttpField age = ResponseFields.age(Math.max(0, r.currentAgeMillis(now) / 1000));
        HttpField cacheStatus = cacheStatus(reply, p, r, now);
        HttpField x = XCache.of(reply.served()).field();
        RangeDecision ranges = reply.ranges();
        switch (reply.kind()) {
            case SEND -> Delivery.send(response, callback, p, whole, head, age, x, cacheStatus, idField());
            case NOT_MODIFIED -> Delivery.sendNotModified(response, callback, p, age, x, cacheStatus, idField());
            case PARTIAL -> {
                ByteRange range = requireNonNull(ranges).ranges().get(0);
                Delivery.sendPartial(response, callback, p, BodySlice.of(whole, range),
                        new HttpField(HttpHeader.CONTENT_RANGE, range.contentRange(ranges.completeLength())),
                        age, x, cacheStatus, idField());
            }
            case MULTIPART -> {
                MultipartByteranges framing = MultipartByteranges.of(requireNonNull(ranges),
                        Optional.ofNullable(r.lookup().first("Content-Type")),
                        MultipartByteranges.newBoundary(ThreadLocalRandom.current()));
                Delivery.sendPartial(response, callback, p, MultipartBody.of(framing, whole),
                        new HttpField(HttpHeader.CONTENT_TYPE, framing.contentTypeField()), age, x, cacheStatus, idField());
            }
            case UNSATISFIABLE -> {
                if (!fromStore) {
                    whole.reader().close(); // nobody reads the arriving body: a stored one goes on, a passed one stops
                }
                long length = requireNonNull(ranges).completeLength();
                Delivery.sendText(response, callback, 416, "416 Range Not Satisfiable: no range asked for lies within the "
                        + length + " bytes of this representation; request id " + requestId,
                        new HttpField(HttpHeader.CONTENT_RANGE, ByteRange.unsatisfiedContentRange(length)), x, cacheStatus,
                        idField());
            }
            default -> throw new IllegalStateException(reply.kind() + " carries no representation");
        }
    }


    /**
     * No response to give: a queue-full or open-breaker upstream gets a fast 503 with Retry-After; an
     * unreachable one a 502, a slow one a 504, all plain text naming this node, the kind of failure and the
     * request id. The body never names the upstream or quotes an exception: the log line (same request id)
     * has them.
     */
    private void fail(Reply reply) {
        Reply.UpstreamError error = requireNonNull(reply.error());
        String node = handler.nodeName();
        HttpField x = XCache.of(reply.served()).field();
        switch (error) {
            case OVERLOADED, CIRCUIT_OPEN -> {
                boolean overloaded = error == Reply.UpstreamError.OVERLOADED;
                handler.cache().metrics().rejected(overloaded ? "overloaded" : "circuit-open");
                LOG.info("{} {}: {}", requestId, node, failure == null ? error : failure.getMessage());
                Delivery.sendText(response, callback, error.status(), error.status() + " Service Unavailable: " + error.value()
                        + ": " + node + (overloaded ? " has too many requests waiting for its upstream"
                        : " is letting its failing upstream recover") + "; retry in a second; request id " + requestId, x,
                        new HttpField(HttpHeader.RETRY_AFTER, "1"), new HttpField(Fetcher.ERROR_HEADER, error.value()),
                        new HttpField(PreparedResponse.CACHE_STATUS, cacheStatus(reply, null).detail(error.value()).toString()),
                        idField());
            }
            case COLLAPSE_TIMEOUT ->
                // a follower's own wait ran out (cache.collapse-timeout): the leader's fetch goes on
                Delivery.sendText(response, callback, 504, "504 Gateway Timeout: collapse-timeout: " + node + " waited "
                        + handler.collapseTimeoutMillis() + " ms for another request's fetch of this object"
                        + " (cache.collapse-timeout); request id " + requestId, x,
                        new HttpField(Fetcher.ERROR_HEADER, error.value()),
                        new HttpField(PreparedResponse.CACHE_STATUS, cacheStatus(reply, null).detail(error.value()).toString()),
                        idField());
            default -> {
                // a shield's table site is fetched from the site's origins (see Fetcher.ORIGIN_UNREACHABLE)
                String kind = Fetcher.errorValue(failure, site.definition() != null && handler.role().fetchesSiteOrigins());
                LOG.warn("{} {} site {} upstream {} failed: {}", requestId, node, site, upstreamNames(), describe(failure));
                int status = error.status();
                Delivery.sendText(response, callback, status, status + (status == 504 ? " Gateway Timeout: " : " Bad Gateway: ")
                        + kind + ": " + node + " could not get a response from its upstream; request id " + requestId, x,
                        new HttpField(Fetcher.ERROR_HEADER, kind),
                        new HttpField(PreparedResponse.CACHE_STATUS, cacheStatus(reply, null).detail(kind).toString()), idField());
            }
        }
    }

    /** {@code Cache-Status} for a reply with a representation; a plain fresh hit uses the prepared, pre-encoded one. */
    private HttpField cacheStatus(Reply reply, PreparedResponse p, CachedResponse r, long now) {
        long ttl = Math.floorDiv(r.ttlMillis(now), 1000);
        if (reply.served() == Reply.Served.HIT && reply.detail() == null && !wentUpstream()) {
            return p.hitStatus(handler.nodeName(), ttl);
        }
        return p.cacheStatus(cacheStatus(reply, reply.source() == Reply.Source.STORED ? ttl : null));
    }

    /**
     * This node's {@code Cache-Status} member (RFC 9211) for {@code reply}: a hit, or why it went upstream and how
     * that went, in one order: hit | fwd, fwd-status, ttl (a stored response's), collapsed, stored, detail.
     */
    private CacheStatus cacheStatus(Reply reply, @Nullable Long ttlSeconds) {
        CacheStatus member = CacheStatus.of(handler.nodeName());
        if (reply.served() != Reply.Served.HIT && (wentUpstream() || reply.kind() == Reply.Kind.ONLY_IF_CACHED)) {
            member.fwd(decision.fwd());
        } else {
            member.hit(); // answered from cache (a sliced object whose slices were all stored too)
        }
        if (reply.fwdStatus() > 0) {
            member.fwdStatus(reply.fwdStatus());
        }
        if (ttlSeconds != null) {
            member.ttl(ttlSeconds);
        }
        if (collapsed) {
            member.collapsed();
        }
        if (reply.stored()) {
            member.stored();
        }
        if (reply.detail() != null && reply.kind() != Reply.Kind.FAIL) {
            member.detail(reply.detail()); // a failure's detail is named by fail(), which may name it more precisely
        }
        return member;
    }

    private boolean wentUpstream() {
        return decision.action() == CacheDecision.Action.FETCH || decision.action() == CacheDecision.Action.REVALIDATE;
    }

    private HttpField idField() {
        return new HttpField(RequestIds.HEADER, requestId);
    }

    /** The upstream(s), for log lines only. */
    private String upstreamNames() {
        var all = site.upstreams().all();
        return all.size() == 1 ? all.get(0).toString() : "tier " + all;
    }

    private static String describe(@Nullable Throwable failure) {
        if (failure == null) {
            return "no response";
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
