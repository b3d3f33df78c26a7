package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.range.Slices;
import io.blueorigin.cdn.proxy.control.LocalInvalidations;
import io.blueorigin.cdn.proxy.encoding.EncodedVariants;
import io.blueorigin.cdn.proxy.site.ServedSite;
import io.blueorigin.cdn.proxy.site.SignatureGate;
import io.blueorigin.cdn.runtime.Json;
import io.blueorigin.cdn.storage.CacheStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /cache/inspect?url=<absolute URL or /path?query>[&host=<host>]} on the management port: this node's
 * view of one URL, the way Traffic Server's and Varnish's cache inspectors show it (docs/cache-inspector.md). The
 * site, the primary cache key and every stored variant with the tiers holding it, its status, age, remaining
 * freshness, size, type, tags, validators and whether a ban or a soft purge-all screens it.
 *
 * <p>The key is computed by the request path's own code ({@link io.blueorigin.cdn.proxy.site.SiteRouter#route},
 * {@link ServedSite#shape}, {@link ServedSite#keyOf}, signature parameters dropped like {@link CacheHandler} does),
 * so what it shows is what a request for that URL would look up. Read-only: it never reads a body, never promotes an
 * object to the heap, counts no hit or miss ({@link CacheStore#inspect}) and never sends a body. Its output is bounded:
 * at most {@link #MAX_VARIANTS} variants are listed, and the store keeps at most {@code Variants.MAX} per tier anyway.
 *
 * <p>{@code GET /cache/inspect?tag=<surrogate key>}: what a purge of that tag would hit here, the count of primary
 * keys carrying it and the first {@link #MAX_TAG_KEYS} of them with their tagged variants' tiers and sizes
 * ({@link CacheStore#tagged}).
 *
 * <p>Errors: a missing or malformed {@code url} is a 400 naming the problem; a host no site claims is a 200 with
 * {@code "site": null} and an explanation (a request would get a 421). The store's disk metadata is read on its I/O
 * executor, never on Jetty's threads (the management handler is non-blocking).
 */
final class CacheInspector extends Handler.Abstract.NonBlocking {
    /** The route on the management port. */
    static final String PATH = "/cache/inspect";
    /** Most variants listed in one answer; more are counted in {@code variantCount}, {@code truncated} set. */
    static final int MAX_VARIANTS = 32;
    /** Longest {@code url} accepted (the traffic port's request line is bounded the same way). */
    static final int MAX_URL_LENGTH = 4 * 1024;
    /** Most primary keys listed by {@code ?tag=}; all are counted in {@code keyCount}. */
    static final int MAX_TAG_KEYS = 100;
    /** Longest {@code tag} accepted (a Surrogate-Key header line is bounded by the request header limit anyway). */
    static final int MAX_TAG_LENGTH = 1024;
    private static final String USAGE = PATH + "?url=<absolute URL or /path?query>[&host=<host>] or " + PATH
            + "?tag=<surrogate key>";

    private final ProxyCache cache;
    private final LocalInvalidations invalidations;
    private final SignatureGate signatures;
    private final String nodeName;

    CacheInspector(ProxyCache cache, LocalInvalidations invalidations) {
        this.cache = requireNonNull(cache, "cache is null");
        this.invalidations = requireNonNull(invalidations, "invalidations is null");
        this.signatures = new SignatureGate(cache.sites().keyrings());
        this.nodeName = cache.config().identity().name();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Fields params = Request.extractQueryParameters(request);
        String url = params.getValue("url");
        String host = params.getValue("host");
        String tag = params.getValue("tag");
        if (tag != null) {
            return handleTag(tag, url != null || host != null, response, callback);
        }
        Query query;
        try {
            query = Query.parse(url, host);
        } catch (IllegalArgumentException e) {
            Json.respond(response, HttpStatus.BAD_REQUEST_400, Map.of("error", e.getMessage(),
                    "usage", USAGE), callback);
            return true;
        }
        try {
            cache.store().ioExecutor().execute(() -> {
                try {
                    Json.respond(response, HttpStatus.OK_200, inspect(query), callback);
                } catch (Throwable t) {
                    callback.failed(t);
                }
            });
        } catch (RejectedExecutionException stopping) {
            Json.respond(response, HttpStatus.SERVICE_UNAVAILABLE_503, Map.of("error", nodeName + " is stopping"), callback);
        }
        return true;
    }

    /** {@code ?tag=}: the stored objects a purge of that surrogate key would hit ({@link #tagged}). */
    private boolean handleTag(String tag, boolean withUrl, Response response, Callback callback) {
        String problem = withUrl ? "give either tag or url (with host), not both"
                : tag.isEmpty() ? "the tag parameter is empty: give a surrogate key (a Surrogate-Key tag)"
                : tag.length() > MAX_TAG_LENGTH ? "tag is " + tag.length() + " characters long; at most " + MAX_TAG_LENGTH
                : tag.chars().anyMatch(c -> c <= ' ' || c == 0x7f) ? "tag holds a space or control character: a"
                        + " Surrogate-Key field separates tags by spaces, so no tag has one"
                : null;
        if (problem != null) {
            Json.respond(response, HttpStatus.BAD_REQUEST_400, Map.of("error", problem, "usage", USAGE), callback);
            return true;
        }
        try {
            cache.store().ioExecutor().execute(() -> {
                try {
                    Json.respond(response, HttpStatus.OK_200, tagged(tag), callback);
                } catch (Throwable t) {
                    callback.failed(t);
                }
            });
        } catch (RejectedExecutionException stopping) {
            Json.respond(response, HttpStatus.SERVICE_UNAVAILABLE_503, Map.of("error", nodeName + " is stopping"), callback);
        }
        return true;
    }

    /**
     * The answer to {@code ?tag=}: how many primary keys carry the tag on this node (what a tag purge would remove,
     * every site's), and for the first {@link #MAX_TAG_KEYS} in key order each variant carrying it with its tiers and
     * size. Blocking (disk metadata): runs on the store's I/O executor. Read-only, as {@link #inspect}.
     */
    Map<String, Object> tagged(String tag) {
        long now = cache.now();
        CacheStore.Tagged tagged = cache.store().tagged(tag, MAX_TAG_KEYS);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", nodeName);
        out.put("role", cache.config().identity().role().label());
        out.put("tag", tag);
        out.put("time", Instant.ofEpochMilli(now).toString());
        out.put("keyCount", tagged.keyCount());
        out.put("truncated", tagged.truncated());
        Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
        long bytes = 0;
        for (CacheStore.KeyedCopy keyed : tagged.copies()) {
            CacheStore.TierCopy copy = keyed.copy();
            Map<String, Object> known = objects.get(keyed.primaryKey() + "\n" + copy.response().varyKey());
            if (known != null) {
                @SuppressWarnings("unchecked")
                List<String> tiers = (List<String>) known.get("tiers");
                tiers.add(copy.tier());
                continue;
            }
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("key", keyed.primaryKey());
            o.put("varyKey", copy.response().varyKey());
            List<String> tiers = new ArrayList<>(2);
            tiers.add(copy.tier());
            o.put("tiers", tiers);
            o.put("status", copy.response().status());
            o.put("size", copy.bodyLength());
            o.put("stale", !copy.response().isFresh(now));
            objects.put(keyed.primaryKey() + "\n" + copy.response().varyKey(), o);
            bytes += copy.bodyLength();
        }
        out.put("objectsListed", objects.size());
        out.put("bytesListed", bytes);
        out.put("objects", new ArrayList<>(objects.values()));
        if (tagged.keyCount() == 0) {
            out.put("explanation", "nothing stored on " + nodeName + " carries tag '" + tag + "': a purge of it would"
                    + " remove nothing here");
        }
        return out;
    }

    /** What the inspector was asked: a target already checked, and the host whose site it belongs to (null: none). */
    record Query(String url, @Nullable String host, RequestTarget target) {
        /**
         * @throws IllegalArgumentException with a message for the client when {@code url} is missing or no request
         *     could have it as its target
         */
        static Query parse(@Nullable String url, @Nullable String host) {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("the url parameter is required: an absolute URL (http://host/path?query)"
                        + " or a path (/path?query); or give tag=<surrogate key> instead");
            }
            if (url.length() > MAX_URL_LENGTH) {
                throw new IllegalArgumentException("url is " + url.length() + " characters long; at most " + MAX_URL_LENGTH);
            }
            if (host != null && (host.isBlank() || host.length() > 255 || !host.matches("[A-Za-z0-9.:\\[\\]_-]+"))) {
                throw new IllegalArgumentException("host '" + host + "' is not a host name (letters, digits, '.', '-', ':')");
            }
            HttpURI uri;
            try {
                uri = HttpURI.from(url);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("url '" + url + "' is not a URL: " + e.getMessage(), e);
            }
            String scheme = uri.getScheme();
            if (scheme != null && !scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
                throw new IllegalArgumentException("url '" + url + "': only http and https URLs are cached here");
            }
            if (scheme == null && !url.startsWith("/")) {
                throw new IllegalArgumentException("url '" + url + "' is neither an absolute http(s) URL nor a /-rooted path");
            }
            if (uri.hasViolations()) {
                throw new IllegalArgumentException("url '" + url + "' is ambiguous: " + uri.getViolations());
            }
            RequestTarget target;
            try {
                String path = uri.getPath();
                target = RequestTarget.parse(path == null || path.isEmpty() ? "/" : path, uri.getQuery());
            } catch (RequestTarget.InvalidTarget e) {
                throw new IllegalArgumentException("url '" + url + "': " + e.getMessage(), e);
            }
            String effectiveHost = host != null ? host : uri.getHost();
            return new Query(url, effectiveHost == null ? null : effectiveHost.toLowerCase(Locale.ROOT), target);
        }
    }

    /** The answer's body. Blocking (disk metadata): runs on the store's I/O executor. */
    Map<String, Object> inspect(Query query) {
        long now = cache.now();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", nodeName);
        out.put("role", cache.config().identity().role().label());
        out.put("url", query.url());
        out.put("host", query.host());
        out.put("time", Instant.ofEpochMilli(now).toString());
        ServedSite site = cache.sites().route(query.host());
        if (site == null) {
            out.put("site", null);
            out.put("explanation", "no site claims host '" + query.host() + "' on " + nodeName
                    + " and it has no default site: a request for this URL gets 421 (sites are defined in admin, /api/v1/sites)");
            return out;
        }
        out.put("site", site.name());
        RequestTarget target = query.target();
        if (cache.role().checksSignatures() && !site.signing().rules().isEmpty()) {
            target = signatures.withoutSignature(site, target); // as the request path keys it
        }
        String key = site.keyOf(site.shape(target));
        out.put("key", key);
        List<CacheStore.TierCopy> copies = cache.store().inspect(key);
        List<Map<String, Object>> variants = variants(key, copies, now);
        out.put("variantCount", variants.size());
        out.put("truncated", variants.size() > MAX_VARIANTS);
        out.put("variants", variants.size() > MAX_VARIANTS ? variants.subList(0, MAX_VARIANTS) : variants);
        // a large object fetched in slices (docs/ranges.md) is stored as slice entries found by this tag
        out.put("sliceEntries", cache.store().taggedKeys(Slices.tag(key)).size());
        if (variants.isEmpty()) {
            out.put("explanation", "nothing stored under this key on " + nodeName + ": a request for it would be a miss");
        }
        return out;
    }

    /** One entry per variant (secondary key), naming every tier holding it; the first tier's copy describes it. */
    private List<Map<String, Object>> variants(String key, List<CacheStore.TierCopy> copies, long now) {
        Map<String, Map<String, Object>> byVaryKey = new LinkedHashMap<>();
        for (CacheStore.TierCopy copy : copies) {
            Map<String, Object> known = byVaryKey.get(copy.response().varyKey());
            if (known != null) {
                @SuppressWarnings("unchecked")
                List<String> tiers = (List<String>) known.get("tiers");
                tiers.add(copy.tier());
                continue;
            }
            byVaryKey.put(copy.response().varyKey(), describe(key, copy, now));
        }
        return new ArrayList<>(byVaryKey.values());
    }

    private Map<String, Object> describe(String key, CacheStore.TierCopy copy, long now) {
        CachedResponse stored = copy.response();
        // what a lookup would use: screened by the bans and a soft purge-all, as ClientExchange.decide does
        CachedResponse screened = invalidations.screen(key, stored, now);
        CachedResponse r = screened == null ? stored : screened;
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("varyKey", r.varyKey());
        v.put("vary", r.varyFields());
        List<String> tiers = new ArrayList<>(2);
        tiers.add(copy.tier());
        v.put("tiers", tiers);
        v.put("status", r.status());
        v.put("ageSeconds", Math.max(0, r.currentAgeMillis(now) / 1000));
        long ttl = r.ttlMillis(now);
        v.put("ttlSeconds", ttl == Long.MAX_VALUE ? null : Math.floorDiv(ttl, 1000));
        v.put("fresh", r.isFresh(now));
        v.put("stale", !r.isFresh(now));
        v.put("staleWhileRevalidateSeconds", r.staleWhileRevalidateMillis() / 1000);
        v.put("staleIfErrorSeconds", r.staleIfErrorMillis() / 1000);
        v.put("mustRevalidate", r.mustRevalidate());
        v.put("noCache", r.noCache());
        v.put("size", copy.bodyLength());
        v.put("contentType", r.lookup().first("Content-Type"));
        v.put("contentEncoding", r.lookup().first("Content-Encoding"));
        v.put("encodedHere", EncodedVariants.isEncodedHere(r));
        v.put("tags", r.surrogateKeys().stream().filter(t -> !Slices.isSliceTag(t)).toList());
        v.put("etag", r.etag().map(Object::toString).orElse(null));
        v.put("lastModified", r.lastModifiedMillis() < 0 ? null : Instant.ofEpochMilli(r.lastModifiedMillis()).toString());
        v.put("storedAt", Instant.ofEpochMilli(r.responseTimeMillis()).toString());
        v.put("banned", screened == null);
        v.put("bans", invalidations.bansCovering(key, stored.responseTimeMillis()));
        v.put("softPurgedAll", screened != null && screened != stored); // marked stale by a soft purge-all
        return v;
    }
}
