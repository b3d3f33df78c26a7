package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.FieldList;
import io.blueorigin.cdn.httpcache.RequestFacts;
import io.blueorigin.cdn.httpcache.StoreDecision;
import io.blueorigin.cdn.httpcache.VaryKey;
import io.blueorigin.cdn.httpcache.internal.HttpDates;
import io.blueorigin.cdn.storage.GrowingBody;
import io.blueorigin.cdn.storage.ObjectWriter;
import io.blueorigin.cdn.storage.StoredObject;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends this node's upstream requests for the cache ({@code edgeToShieldRequest} /
 * {@code shieldToOriginRequest}) and turns each response into a {@link FetchOutcome}: decides storability
 * when the headers arrive, streams the body into the store (or through, bounded, when not stored), and
 * commits the object only once the body is complete.
 *
 * <p>The upstream request is built from the client request while that request is still valid (Jetty
 * recycles it after completion): method GET, raw path and query, end-to-end fields minus validators and
 * ranges (the cache wants the whole representation; a revalidation sends the stored response's own
 * validators), {@code Accept-Encoding} reduced to the coding the variant key names, {@code Via},
 * {@code X-Request-ID}, {@code Forwarded} and {@code X-Forwarded-For} appended.
 *
 * <p>Background revalidations ({@code stale-while-revalidate}) are deduplicated: one per stored variant.
 */
final class Fetcher {
    private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);
    /** Request fields not forwarded on a cache fetch (besides hop-by-hop ones and Host). */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "if-match", "if-none-match", "if-modified-since",
            "if-unmodified-since", "if-range", "range", "accept-encoding", "x-request-id", "via", "expect",
            "content-length", "content-type", "forwarded", "x-forwarded-for");

    private final ProxyCache cache;
    private final HttpClient client;
    private final String upstreamBase;
    private final long readTimeoutMillis;
    /** Background revalidations in flight, by primary key and variant; entries removed when they complete. */
    private final ConcurrentHashMap<String, Fetch> revalidations = new ConcurrentHashMap<>();

    Fetcher(ProxyCache cache, HttpClient client) {
        this.cache = requireNonNull(cache, "cache is null");
        this.client = requireNonNull(client, "client is null");
        this.upstreamBase = cache.config().upstream().base();
        this.readTimeoutMillis = cache.config().upstream().readTimeout().toMillis();
    }

    /**
     * Starts a fetch for the client request's target.
     *
     * @param key primary cache key
     * @param facts the client request's facts
     * @param clientRequest the client request (read now, never after this returns)
     * @param stored a stored variant to revalidate (its validators are sent, a 304 freshens it), or null
     * @param requestId the request id sent upstream
     * @param subscriber gets the outcome; subscribed before the request is sent, so a response that arrives
     *     at once still finds its reader (a pass-through body with no reader is abandoned)
     */
    Fetch fetch(String key, RequestFacts facts, Request clientRequest, @Nullable StoredObject stored, String requestId,
            java.util.function.Consumer<FetchOutcome> subscriber) {
        Fetch fetch = new Fetch();
        fetch.subscribe(subscriber);
        send(fetch, key, facts, clientRequest, stored, requestId, null);
        return fetch;
    }

    /** Revalidates {@code stored} in the background unless a revalidation of it is already running. */
    void revalidateInBackground(String key, RequestFacts facts, Request clientRequest, StoredObject stored, String requestId) {
        String flightKey = key + '\u0000' + stored.response().varyKey();
        Fetch fetch = new Fetch();
        if (revalidations.putIfAbsent(flightKey, fetch) != null) {
            return;
        }
        send(fetch, key, facts, clientRequest, stored, requestId, flightKey);
    }

    int revalidationsInFlight() {
        return revalidations.size();
    }

    private void send(Fetch fetch, String key, RequestFacts facts, Request clientRequest, @Nullable StoredObject stored,
            String requestId, @Nullable String flightKey) {
        String target = upstreamBase + clientRequest.getHttpURI().getPathQuery();
        org.eclipse.jetty.client.Request upstreamRequest = client.newRequest(target)
                .method(HttpMethod.GET)
                .idleTimeout(readTimeoutMillis, TimeUnit.MILLISECONDS)
                .headers(h -> copyHeaders(clientRequest, stored, requestId, h));
        Exchange exchange = new Exchange(fetch, key, facts, stored, flightKey);
        exchange.requestTimeMillis = cache.now();
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {}2{} GET {}{}", requestId, tag(), upstreamTag(), target, stored == null ? "" : " (revalidate)");
        }
        upstreamRequest.onResponseHeaders(exchange::onHeaders)
                .onResponseContentAsync(exchange::onContent)
                .send(exchange::onComplete);
    }

    private void copyHeaders(Request clientRequest, @Nullable StoredObject stored, String requestId, HttpFields.Mutable out) {
        HttpFields in = clientRequest.getHeaders();
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
                default -> {
                    if (!NOT_FORWARDED.contains(lower) && !HopByHop.isHopByHop(lower, nominated)) {
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
        String remote = Request.getRemoteAddr(clientRequest);
        out.put(HttpHeader.X_FORWARDED_FOR, forwardedFor == null ? remote : forwardedFor + ", " + remote);
        String host = in.get(HttpHeader.HOST);
        String element = "for=" + forwardedNode(remote) + (host == null ? "" : ";host=\"" + host.replace("\"", "") + "\"")
                + ";proto=" + clientRequest.getHttpURI().getScheme();
        out.put(HttpHeader.FORWARDED, forwarded == null ? element : forwarded + ", " + element);
        out.put(RequestIds.HEADER, requestId);
        if (stored != null) {
            CachedResponse r = stored.response();
            r.etag().ifPresent(tag -> out.put(HttpHeader.IF_NONE_MATCH, tag.toString()));
            if (r.lastModifiedMillis() >= 0) {
                out.put(HttpHeader.IF_MODIFIED_SINCE, HttpDates.format(r.lastModifiedMillis()));
            }
        }
    }

    private static String forwardedNode(String address) {
        return address.indexOf(':') >= 0 ? "\"[" + address + "]\"" : address;
    }

    private String tag() {
        return cache.config().isClientFacing() ? "E" : "S";
    }

    private String upstreamTag() {
        return cache.config().isClientFacing() ? "S" : "O";
    }

    /** One upstream exchange's state. Its callbacks are serialised by Jetty's client (one response, in order). */
    private final class Exchange {
        private final Fetch fetch;
        private final String key;
        private final RequestFacts facts;
        private final @Nullable StoredObject stored;
        private final @Nullable String flightKey;
        long requestTimeMillis;
        /** Set in onHeaders; read by later callbacks of the same exchange (Jetty orders them). */
        private @Nullable ObjectWriter writer;
        private @Nullable GrowingBody body;
        private @Nullable CachedResponse response;

        Exchange(Fetch fetch, String key, RequestFacts facts, @Nullable StoredObject stored, @Nullable String flightKey) {
            this.fetch = fetch;
            this.key = key;
            this.facts = facts;
            this.stored = stored;
            this.flightKey = flightKey;
        }

        void onHeaders(org.eclipse.jetty.client.Response upstreamResponse) {
            long responseTime = cache.now();
            int status = upstreamResponse.getStatus();
            FieldList fields = JettyFields.toFieldList(upstreamResponse.getHeaders());
            if (status == 304 && stored != null) {
                Optional<CachedResponse> freshened = cache.policy().freshen(stored.response(), facts, fields,
                        requestTimeMillis, responseTime);
                if (freshened.isPresent()) {
                    fetch.publish(new FetchOutcome.Validated(cache.store().freshen(key, stored, freshened.get())));
                } else {
                    fetch.publish(new FetchOutcome.Failed(new IllegalStateException(
                            "upstream answered 304 with a validator that does not match the stored response")));
                }
                return;
            }
            StoreDecision decision = cache.policy().onResponse(facts, status, fields, requestTimeMillis, responseTime);
            CachedResponse r = decision.response();
            long announced = r.contentLength();
            long maxObject = cache.store().maxObjectBytes();
            boolean keepStale = stored != null && status >= 500;
            boolean store = decision.store() && !keepStale && (announced < 0 || announced <= maxObject);
            String reason = keepStale && decision.store() ? "kept the stale response" : decision.reason();
            if (decision.store() && !store && announced > maxObject) {
                reason = "larger than store.max-object-size";
            }
            int chunkSize = cache.config().cache().storage().chunkSize();
            GrowingBody growing;
            if (store) {
                writer = cache.store().begin(key, r, announced);
                growing = writer.body();
            } else {
                growing = new GrowingBody(chunkSize, announced, false, 4L * chunkSize);
            }
            body = growing;
            response = r;
            long length = status == 204 ? 0 : announced;
            PreparedResponse prepared = PreparedResponse.of(r, r.fields(), length, cache.viaSelf(), cache.droppedFields());
            fetch.publish(new FetchOutcome.Fresh(r, prepared, growing, store, store ? "stored" : reason));
        }

        void onContent(org.eclipse.jetty.client.Response upstreamResponse, org.eclipse.jetty.io.Content.Chunk chunk,
                Runnable demander) {
            GrowingBody growing = body;
            if (growing == null) {
                demander.run(); // a 304 has no body; nothing else arrives without headers
                return;
            }
            ByteBuffer data = chunk.getByteBuffer();
            if (writer != null) {
                writer.write(data);
                if (growing.committed() > cache.store().maxObjectBytes()) {
                    writer.abandon();
                    writer = null;
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

        void onComplete(Result result) {
            try {
                if (result.isSucceeded()) {
                    if (writer != null && response != null) {
                        writer.commit(response);
                    } else if (body != null) {
                        body.complete();
                    }
                    return;
                }
                Throwable failure = result.getFailure();
                if (!fetch.isPublished()) {
                    fetch.publish(new FetchOutcome.Failed(failure));
                } else if (writer != null) {
                    writer.abort(failure);
                } else if (body != null) {
                    body.fail(failure);
                }
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{} upstream failed: {}", key, failure.toString());
                }
            } finally {
                if (flightKey != null) {
                    revalidations.remove(flightKey, fetch);
                }
            }
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
