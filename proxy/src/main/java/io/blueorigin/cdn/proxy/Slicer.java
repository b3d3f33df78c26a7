package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.EntityTag;
import io.blueorigin.cdn.httpcache.RequestFacts;
import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.range.Slices;
import io.blueorigin.cdn.proxy.site.ServedSite;
import io.blueorigin.cdn.storage.Body;
import io.blueorigin.cdn.storage.CacheStore;
import io.blueorigin.cdn.storage.StoredObject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client GET answered from slices (nginx {@code slice}; RFC 9111 §3.3-3.4): it finds or fetches each slice the
 * response needs, one at a time, and combines them into one representation.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Turning it on.</b> {@code cache.slice-size} (S bytes, 0 = off) on a node: every GET miss that would fetch
 *       the whole object (no stored variant of the primary key) is answered from slices instead. A stored whole
 *       object, fresh or stale, is served and revalidated as before. Both roles may slice: an edge that slices asks
 *       its shield for ranges, which a shield answers from its stored or arriving whole object (origin sees one whole
 *       GET) or, when it slices too, from its own slices (origin sees only the slices clients need). Recommended:
 *       the same size on both tiers for very large objects, edges only otherwise.</li>
 *   <li><b>A slice</b> {@code i} is bytes {@code i*S..(i+1)*S-1}, fetched with {@code Range: bytes=i*S-(i+1)*S-1}
 *       (no {@code If-Range}: a changed object is caught by comparing validators here, so an upstream never sends
 *       the whole new object in answer to a slice request), collapsed per slice key ({@code key + "\0slice=" + i},
 *       {@link Slices#key}), and stored as its own entry: the upstream's 206, kept only when it is exactly that slice,
 *       of a known total, with a strong validator (RFC 9111 §3.3). Its {@code Content-Range} gives the total.</li>
 *   <li><b>Combining</b> (§3.4). The first slice a request needs is the reference: its validator, total and fields
 *       describe the whole 200 ({@link Slices#whole}). Another slice is used only if it has the same strong validator
 *       ({@link Slices#combinable}) and total. A stored slice that differs is stale: fetched again. A fetched slice
 *       that differs means the object changed under the reference: every slice of the key is dropped and the
 *       response fails (aborted if begun, as nginx does); the client's retry starts from a clean slate. Two versions
 *       are never stitched.</li>
 *   <li><b>Ranges.</b> A {@code Range} request starts at the slice holding its first byte ({@link Slices#firstIndex});
 *       the reply is decided by {@code RangePolicy}/{@code ReplyPolicy} on the combined representation, and the
 *       body ({@link SlicedBody}) asks for a slice only when a reader reaches it, so only covered slices are fetched.
 *       A slice start past the end (the upstream's 416) restarts at slice 0, which gives the length for the 416.</li>
 *   <li><b>Not sliced</b>: an upstream that answers a slice request with a 200 (it ignores ranges) has that response
 *       stored under the primary key as usual and served from; any other status is relayed as it is; a 206 that
 *       cannot be stored as a slice (no strong validator, wrong bounds), an empty object, or one of more than
 *       {@link Slices#MAX_SLICES} slices, is fetched whole as without slicing (logged).</li>
 *   <li><b>Purges.</b> Each slice entry carries an internal surrogate key ({@link Slices#tag}); a URL purge removes
 *       the key and that tag, tag purges and bans reach slices as they reach their whole objects.</li>
 *   <li><b>Memory.</b> A reader holds one slice at a time; a slice is a normal store entry (spilled to disk if
 *       large), so a client of a huge object never pins more than one slice in flight.</li>
 * </ul>
 *
 * <p>Threading: {@link #start} runs once; {@link #slice} is called by the one delivery reading the body. The reference
 * is written before the combined object is handed on and only read after.
 */
final class Slicer implements SlicedBody.Source {
    private static final Logger LOG = LoggerFactory.getLogger(Slicer.class);

    private final CacheHandler handler;
    private final ServedSite site;
    private final String key;
    private final RequestTarget target;
    private final RequestFacts facts;
    private final Request request;
    private final String requestId;
    private final long size;
    /** Set by {@link #start}: the first slice's response, its total and its index and piece. */
    private @Nullable CachedResponse reference;
    private long total;
    private long firstIndex;
    private @Nullable Piece first;
    /** The strong entity tag the request's {@code If-Range} names (an edge asking this shield for one version), or null. */
    private final @Nullable EntityTag wanted;

    Slicer(CacheHandler handler, ServedSite site, String key, RequestTarget target, RequestFacts facts, Request request,
            String requestId) {
        this.handler = handler;
        this.site = site;
        this.key = key;
        this.target = target;
        this.facts = facts;
        this.request = request;
        this.requestId = requestId;
        this.size = handler.cache().config().cache().sliceSize();
        List<String> ifRange = facts.fields().values("If-Range");
        Optional<EntityTag> tag = ifRange.size() == 1 ? EntityTag.parse(ifRange.get(0).trim()) : Optional.empty();
        this.wanted = tag.isPresent() && !tag.get().weak() ? tag.get() : null;
    }

    /** What {@link #start} found. */
    sealed interface Start {}

    /** The combined representation ({@code body} a {@link SlicedBody}); {@code hit} when its first slice was stored. */
    record Combined(StoredObject object, boolean hit) implements Start {}

    /**
     * Not sliced: {@code outcome} is the upstream's answer to the first slice request to serve as it is, or null to
     * fetch the whole object as without slicing; {@code index} the slice asked for.
     */
    record Unsliced(@Nullable FetchOutcome outcome, long index) implements Start {}

    /** A slice found or fetched: its response and body, or the outcome that was not a usable slice. */
    private record Piece(@Nullable CachedResponse response, @Nullable Body body, boolean hit, @Nullable FetchOutcome other) {}

    /** Finds or fetches slice {@code index}, the reference, then tells {@code then}. */
    void start(long index, Consumer<Start> then) {
        if (index > 0 && pastTheEnd(index)) {
            index = 0; // slice 0 (stored) already tells the length: a range past it is a 416, asked of no upstream
        }
        firstIndex = index;
        long asked = index;
        acquire(index).whenComplete((p, error) -> {
            if (error != null) {
                then.accept(new Unsliced(new FetchOutcome.Failed(unwrap(error)), asked));
                return;
            }
            if (p.response() == null) {
                then.accept(new Unsliced(p.other(), asked));
                return;
            }
            long length = contentRange(p.response()).complete();
            if (!Slices.sliceable(length, size)) {
                LOG.info("{} not slicing {}: {} bytes would be {} slices of {} (at most {}); fetching it whole", requestId,
                        key, length, Slices.count(length, size), size, Slices.MAX_SLICES);
                then.accept(new Unsliced(null, asked));
                return;
            }
            reference = p.response();
            total = length;
            first = p;
            StoredObject whole = new StoredObject(Slices.whole(p.response(), length), new SlicedBody(length, size, this),
                    handler.cache().now());
            then.accept(new Combined(whole, p.hit()));
        });
    }

    /** Whether a fresh slice 0 in memory says slice {@code index} lies past the end of the object. */
    private boolean pastTheEnd(long index) {
        StoredObject zero = handler.cache().store().lookupInMemory(Slices.key(key, 0)).select(facts.fields());
        if (zero == null || !zero.response().isFresh(handler.cache().now())) {
            return false;
        }
        Optional<Slices.ContentRange> range = Slices.parseContentRange(zero.response().lookup().first("Content-Range"));
        return range.isPresent() && range.get().complete() >= 0 && index >= Slices.count(range.get().complete(), size);
    }

    @Override
    public CompletableFuture<Body> slice(long index) {
        Piece known = first;
        if (index == firstIndex && known != null) {
            return CompletableFuture.completedFuture(requireNonNull(known.body()));
        }
        return acquire(index).thenApply(p -> {
            if (p.body() == null) {
                throw new CompletionException(new IllegalStateException("slice " + index + " of " + key
                        + " could not be had: " + describe(p.other())));
            }
            return p.body();
        });
    }

    /** Slice {@code index} from the store (memory, else disk on the I/O executor), else from upstream. */
    private CompletableFuture<Piece> acquire(long index) {
        CompletableFuture<Piece> result = new CompletableFuture<>();
        CacheStore store = handler.cache().store();
        String sliceKey = Slices.key(key, index);
        StoredObject found = store.lookupInMemory(sliceKey).select(facts.fields());
        if (found == null && store.mayHaveOnDisk(sliceKey)) {
            store.ioExecutor().execute(() -> {
                try {
                    fromStore(index, store.lookup(sliceKey).select(facts.fields()), result);
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } else {
            fromStore(index, found, result);
        }
        return result;
    }

    /** A stored slice that is fresh, not banned and of the reference's version is used; else the slice is fetched. */
    private void fromStore(long index, @Nullable StoredObject found, CompletableFuture<Piece> result) {
        long now = handler.cache().now();
        StoredObject usable = found == null ? null : handler.invalidations().screen(Slices.key(key, index), found, now);
        if (usable != null && usable.response().isFresh(now) && matches(index, usable.response())) {
            result.complete(new Piece(usable.response(), usable.body(), true, null));
            return;
        }
        fetch(index, result); // a newer slice replaces a stale or other-version one when it commits
    }

    /** Whether {@code slice} is slice {@code index} of the reference's representation (any, before the reference). */
    private boolean matches(long index, CachedResponse slice) {
        Optional<Slices.ContentRange> range = Slices.parseContentRange(slice.lookup().first("Content-Range"));
        if (range.isEmpty() || !Slices.isSlice(range.get(), index, size)) {
            return false;
        }
        CachedResponse ref = reference;
        if (ref == null) {
            // a stored slice of another version than the one the request names is stale for it
            return wanted == null || slice.etag().map(wanted::equals).orElse(false);
        }
        return range.get().complete() == total && Slices.combinable(ref, slice);
    }

    /** Fetches slice {@code index}, collapsed on its key; a follower of a fetch that is not stored fetches its own. */
    private void fetch(long index, CompletableFuture<Piece> result) {
        Fetch fetch = new Fetch();
        Collapser.Registration registration = handler.collapser().register(Slices.key(key, index), fetch);
        if (!registration.leader()) {
            registration.fetch().subscribe(outcome -> {
                if (outcome instanceof FetchOutcome.Fresh f && !f.stored()) {
                    send(new Fetch(), index, result);
                } else {
                    onFetched(index, outcome, result);
                }
            });
            return;
        }
        send(fetch, index, result);
    }

    private void send(Fetch fetch, long index, CompletableFuture<Piece> result) {
        fetch.subscribe(outcome -> onFetched(index, outcome, result));
        CachedResponse ref = reference;
        String ifRange = ref == null || ref.etag().isEmpty() || ref.etag().get().weak() ? null : ref.etag().get().toString();
        handler.fetcher().sendSlice(fetch, site, key, new Fetcher.SliceRequest(index, size, ifRange), target, facts, request,
                requestId);
    }

    /** A fetched slice: used if stored as slice {@code index} of the reference's version; a changed object drops all. */
    private void onFetched(long index, FetchOutcome outcome, CompletableFuture<Piece> result) {
        if (outcome instanceof FetchOutcome.Fresh f && f.stored() && f.response().status() == 206) {
            if (reference != null && !matches(index, f.response())) {
                // the object changed upstream since the reference: its slices do not combine (RFC 9111 §3.4)
                LOG.info("{} slice {} of {} is of another version than slice {} (validator {} against {}): dropping its slices",
                        requestId, index, key, firstIndex, Slices.validator(f.response()).orElse("none"),
                        reference == null ? "none" : Slices.validator(reference).orElse("none"));
                CacheStore store = handler.cache().store();
                store.ioExecutor().execute(() -> store.removeTagged(Slices.tag(key)));
                result.completeExceptionally(new IllegalStateException("the object changed upstream between its slices"));
                return;
            }
            result.complete(new Piece(f.response(), f.body(), false, null));
            return;
        }
        result.complete(new Piece(null, null, false, outcome));
    }

    private static Slices.ContentRange contentRange(CachedResponse slice) {
        return Slices.parseContentRange(slice.lookup().first("Content-Range")).orElseThrow();
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static String describe(@Nullable FetchOutcome outcome) {
        if (outcome instanceof FetchOutcome.Fresh f) {
            f.body().reader().close(); // nobody reads it
            return "status " + f.response().status() + " (" + f.reason() + ")";
        }
        if (outcome instanceof FetchOutcome.Failed f) {
            return Fetcher.brief(f.cause());
        }
        return String.valueOf(outcome);
    }
}
