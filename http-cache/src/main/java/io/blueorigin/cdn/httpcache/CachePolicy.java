package io.blueorigin.cdn.httpcache;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.CacheDecision.Action;
import io.blueorigin.cdn.httpcache.CacheDecision.Fwd;
import io.blueorigin.cdn.httpcache.internal.HttpDates;
import io.blueorigin.cdn.httpcache.internal.ListTokenizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The caching decisions of one tier, as pure functions of request, stored response, upstream response
 * and time: whether a stored response may be used ({@link #onRequest}, RFC 9111 §4), whether an upstream
 * response may be stored and for how long ({@link #onResponse}, §3 and §4.2), how a 304 freshens a stored
 * response ({@link #freshen}, §4.3.4), when a stale response may stand in for a failed upstream
 * ({@link #mayServeStale}, §4.2.4 and RFC 5861), and what an unsafe request invalidates
 * ({@link #invalidates}, §4.4).
 *
 * <p>The proxy executes; this class decides. It reads no clock and does no I/O; every decision carries a
 * reason. Thread-safe (immutable).
 *
 * <p>Deviations from RFC 9111, each a policy an operator can see in the configuration:
 * <ul>
 *   <li>§3: responses carrying {@code Set-Cookie} are not stored by default (Varnish's default), or are
 *       stored without those fields ({@code cache.set-cookie=strip}).</li>
 *   <li>§4.2.1: 404/410 and 500/502/503/504 responses without any freshness information get the short
 *       negative-caching lifetimes of the configuration (origin protection). Responses that say anything
 *       about their freshness are never given more than they say.</li>
 *   <li>§4.2: a tier's TTL cap limits how long after receipt it serves a response without revalidation;
 *       it only ever shortens freshness.</li>
 *   <li>§5.2.1.4: a client's {@code no-cache} revalidates (default) or is ignored ({@code cache.request-no-cache}).</li>
 *   <li>§4.2.4: a stale response is served when the upstream is unreachable or answers 502/503/504 (the
 *       cache is "disconnected" from the origin), for up to {@code cache.max-stale-on-error}, unless the
 *       response forbids it.</li>
 *   <li>Qualified {@code no-cache="f"} / {@code private="f"} are treated as unqualified (allowed, safer).</li>
 *   <li>§5.2.2.10: {@code s-maxage} implies {@code proxy-revalidate}, yet an explicit
 *       {@code stale-while-revalidate} or {@code stale-if-error} in the same response is honoured within its
 *       window (the origin asked for it in so many words); the implicit grace on disconnection is not.</li>
 * </ul>
 */
public final class CachePolicy {
    /** Status codes that are heuristically cacheable (RFC 9110 §15.1). */
    private static final Set<Integer> HEURISTIC = Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);
    /** Status codes this cache understands (for {@code must-understand}, RFC 9111 §5.2.2.3). */
    private static final Set<Integer> UNDERSTOOD = Set.of(200, 201, 202, 203, 204, 300, 301, 302, 303, 307, 308,
            400, 401, 403, 404, 405, 406, 410, 414, 451, 500, 501, 502, 503, 504);
    /**
     * Fields never stored: hop-by-hop (RFC 9110 §7.6.1), those specific to the proxy (RFC 9111 §3.1 names
     * Proxy-Authenticate, Proxy-Authentication-Info and Proxy-Authorization) and Age, which is recomputed (§5.1).
     */
    private static final Set<String> NOT_STORED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authentication-info", "proxy-authorization", "te", "trailer",
            "transfer-encoding", "upgrade", "age");

    private final CachePolicyConfig config;

    public CachePolicy(CachePolicyConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    public CachePolicyConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- requests (§4)

    /**
     * What to do with {@code request} given the stored variant that matches it (or null).
     *
     * @param request the client's request
     * @param stored the stored response whose secondary key matches the request, or null
     * @param otherVariants whether other variants exist for the URI (a miss is then a {@code vary-miss})
     * @param nowMillis the current time
     */
    public CacheDecision onRequest(RequestFacts request, @Nullable CachedResponse stored, boolean otherVariants,
            long nowMillis) {
        if (!request.isGetOrHead()) {
            return CacheDecision.of(Action.PASS, Fwd.METHOD, "method " + request.method());
        }
        RequestDirectives rd = config.requestNoCache() == CachePolicyConfig.RequestNoCache.IGNORE
                ? withoutFreshnessDemands(request.directives()) : request.directives();
        if (stored == null) {
            if (rd.onlyIfCached()) {
                return CacheDecision.of(Action.RESPOND_GATEWAY_TIMEOUT, otherVariants ? Fwd.VARY_MISS : Fwd.URI_MISS, "only-if-cached");
            }
            return CacheDecision.of(Action.FETCH, otherVariants ? Fwd.VARY_MISS : Fwd.URI_MISS, "miss");
        }
        long age = stored.currentAgeMillis(nowMillis);
        long ttl = stored.ttlMillis(nowMillis);
        // explicit stale extensions are honoured unless must-revalidate / proxy-revalidate / no-cache forbid
        boolean staleExtensionsAllowed = !stored.mustRevalidate() && !stored.noCache();
        // anything else stale (client max-stale) also needs the absence of s-maxage's implied proxy-revalidate
        boolean allowsStale = staleExtensionsAllowed && !stored.sharedMaxAge();

        if (stored.noCache()) {
            return revalidateOr504(rd, Fwd.STALE, "no-cache response");
        }
        if (rd.noCache()) {
            return revalidateOr504(rd, Fwd.REQUEST, "client no-cache");
        }
        boolean freshForClient = ttl > 0
                && (!rd.hasMaxAge() || age <= rd.maxAgeSeconds() * 1000)
                && (rd.minFreshSeconds() < 0 || ttl >= rd.minFreshSeconds() * 1000);
        if (freshForClient) {
            return serve(request, stored, Action.SERVE_FRESH, "fresh");
        }
        if (ttl > 0) {
            // fresh, but not fresh enough for this client's max-age / min-fresh
            return revalidateOr504(rd, Fwd.REQUEST, "client max-age/min-fresh");
        }
        long staleness = -ttl;
        // §5.2.1.1-§5.2.1.3: the client's own directives bound any stale response: with max-stale, up to that
        // staleness and never older than its max-age; without max-stale, a client that sent max-age or
        // min-fresh "does not wish to receive a stale response" (a reload's max-age=0 must not get the stale
        // copy when a fresher one would be revalidated)
        boolean clientAcceptsStale = rd.maxStaleSeconds() >= 0
                ? (!rd.hasMaxAge() || age <= rd.maxAgeSeconds() * 1000)
                        && (rd.maxStaleSeconds() == Long.MAX_VALUE || staleness <= rd.maxStaleSeconds() * 1000)
                : !rd.hasMaxAge() && rd.minFreshSeconds() < 0;
        if (allowsStale && rd.maxStaleSeconds() >= 0 && clientAcceptsStale) {
            return serve(request, stored, Action.SERVE_STALE, "client max-stale");
        }
        // RFC 5861 §3: only a response that carries stale-while-revalidate (a window > 0) is served stale
        // while it revalidates; without one, a response that just expired (staleness 0) is revalidated
        if (staleExtensionsAllowed && clientAcceptsStale && stored.staleWhileRevalidateMillis() > 0
                && staleness <= stored.staleWhileRevalidateMillis()) {
            return serve(request, stored, Action.SERVE_STALE_AND_REVALIDATE, "stale-while-revalidate");
        }
        return revalidateOr504(rd, Fwd.STALE, "stale");
    }

    private static CacheDecision revalidateOr504(RequestDirectives rd, Fwd fwd, String reason) {
        if (rd.onlyIfCached()) {
            return CacheDecision.of(Action.RESPOND_GATEWAY_TIMEOUT, fwd, "only-if-cached: " + reason);
        }
        return CacheDecision.of(Action.REVALIDATE, fwd, reason);
    }

    /**
     * Serving a stored response: the client's own preconditions may turn it into a 304 or 412 (RFC 9111
     * §4.3.2); a stale-while-revalidate still revalidates in the background.
     */
    private static CacheDecision serve(RequestFacts request, CachedResponse stored, Action action, String reason) {
        boolean background = action == Action.SERVE_STALE_AND_REVALIDATE;
        if (stored.status() == 200) {
            // RFC 9111 §4.3.2 lets If-Modified-Since fall back to Date; If-Unmodified-Since has no such fallback
            // and is ignored without a Last-Modified (RFC 9110 §13.1.4), so it must not see the Date
            long lastModified = request.fields().has("If-Unmodified-Since") ? stored.lastModifiedMillis()
                    : stored.validatorDateMillis();
            switch (Conditionals.evaluate(request.fields(), true, stored.etag().orElse(null), lastModified)) {
                case NOT_MODIFIED -> {
                    return new CacheDecision(Action.RESPOND_NOT_MODIFIED, Fwd.NONE, reason + ", not modified", background);
                }
                case PRECONDITION_FAILED -> {
                    return new CacheDecision(Action.RESPOND_PRECONDITION_FAILED, Fwd.NONE, reason + ", precondition failed",
                            background);
                }
                default -> {
                    // send the stored response
                }
            }
        }
        return CacheDecision.of(action, Fwd.NONE, reason);
    }

    private static RequestDirectives withoutFreshnessDemands(RequestDirectives rd) {
        return new RequestDirectives(-1, rd.maxStaleSeconds(), -1, false, rd.noStore(), rd.onlyIfCached());
    }

    // ---------------------------------------------------------------- responses (§3, §4.2)

    /**
     * Whether to store the response to {@code request}, and the stored form of it.
     *
     * @param request the client request the response answers
     * @param status upstream status code
     * @param fields upstream header fields
     * @param requestTimeMillis when the upstream request was sent
     * @param responseTimeMillis when the response arrived
     */
    public StoreDecision onResponse(RequestFacts request, int status, FieldList fields, long requestTimeMillis,
            long responseTimeMillis) {
        Described d = describe(status, fields, requestTimeMillis, responseTimeMillis, request.fields());
        String refusal = refusal(request, status, fields, d);
        boolean store = refusal == null;
        return new StoreDecision(store, store ? "stored" : refusal, d.response);
    }

    /**
     * {@link #onResponse} for the answer to a slice request this node made itself ({@code Range: bytes=a-b} for one
     * slice, docs/ranges.md): a 206 may be stored as a partial response (RFC 9111 §3.3, this cache keeps each slice
     * complete in itself and combines slices only under one strong validator, §3.4) by the rules a 200 would be;
     * any other status is judged as {@link #onResponse} judges it.
     */
    public StoreDecision onSliceResponse(RequestFacts request, int status, FieldList fields, long requestTimeMillis,
            long responseTimeMillis) {
        if (status != 206) {
            return onResponse(request, status, fields, requestTimeMillis, responseTimeMillis);
        }
        Described d = describe(status, fields, requestTimeMillis, responseTimeMillis, request.fields());
        String refusal = refusal(request, 200, fields, d);
        boolean store = refusal == null;
        return new StoreDecision(store, store ? "stored" : refusal, d.response);
    }

    private @Nullable String refusal(RequestFacts request, int status, FieldLookup fields, Described d) {
        ResponseDirectives rd = d.directives;
        if (!request.isGet()) {
            return "method " + request.method();
        }
        if (status < 200) {
            return "interim status";
        }
        if (status == 206 || status == 304) {
            return "status " + status;
        }
        if (rd.mustUnderstand() && !UNDERSTOOD.contains(status)) {
            return "must-understand, status " + status;
        }
        // §5.2.2.3: a cache that understands the status code SHOULD ignore no-store sent with must-understand
        // (must-understand returning here means the status is understood)
        if (rd.noStore() && !rd.mustUnderstand()) {
            return "no-store";
        }
        if (request.directives().noStore()) {
            return "client no-store";
        }
        if (rd.isPrivate()) {
            return "private";
        }
        if (request.hasAuthorization() && !rd.isPublic() && rd.sMaxAgeSeconds() < 0 && !rd.mustRevalidate()) {
            return "Authorization";
        }
        if (d.varyStar) {
            return "Vary: *";
        }
        if (d.response.varyKey().equals(VaryKey.TOO_LONG)) {
            return "Vary key over " + VaryKey.MAX_LENGTH + " characters";
        }
        if (d.tooManySurrogateKeys) {
            return "more than " + SurrogateKeys.MAX_KEYS + " Surrogate-Key keys";
        }
        if (fields.has("Set-Cookie") && config.setCookie() == CachePolicyConfig.SetCookie.PASS) {
            return "Set-Cookie";
        }
        if (!d.hasFreshnessInformation) {
            return "no freshness information";
        }
        CachedResponse r = d.response;
        if (r.freshnessLifetimeMillis() <= 0 && r.etag().isEmpty() && r.lastModifiedMillis() < 0
                && r.staleIfErrorMillis() <= 0 && r.staleWhileRevalidateMillis() <= 0) {
            return "zero lifetime and no validator";
        }
        return null;
    }

    /**
     * A response as this cache reads it: its directives, lifetime and stored form.
     *
     * @param tooManySurrogateKeys its {@code Surrogate-Key} names more keys than a stored response may carry
     *     ({@link SurrogateKeys#MAX_KEYS}); {@code response} then carries none
     */
    private record Described(ResponseDirectives directives, boolean hasFreshnessInformation, boolean varyStar,
            boolean tooManySurrogateKeys, CachedResponse response) {}

    private Described describe(int status, FieldList fields, long requestTimeMillis, long responseTimeMillis,
            FieldLookup requestFields) {
        boolean targeted = false;
        ResponseDirectives rd = null;
        for (String name : config.targetedFields()) {
            List<String> values = fields.values(name);
            if (!values.isEmpty()) {
                Optional<ResponseDirectives> parsed = ResponseDirectives.parseTargeted(String.join(", ", values));
                if (parsed.isPresent()) {
                    rd = parsed.get();
                    targeted = true;
                    break;
                }
            }
        }
        if (rd == null) {
            rd = ResponseDirectives.parse(fields.values("Cache-Control"));
        }

        long dateMillis = singleDate(fields.values("Date"));
        long ageSeconds = ageValue(fields.values("Age"));
        long correctedInitialAge = Age.correctedInitialAge(ageSeconds, dateMillis, requestTimeMillis, responseTimeMillis);
        long lastModified = singleDate(fields.values("Last-Modified"));
        Optional<EntityTag> etag = Optional.ofNullable(fields.first("ETag")).flatMap(EntityTag::parse);

        // §4.2.1: s-maxage, then max-age, then Expires - Date (ignored when a targeted field is used, RFC 9213 §2.1)
        long lifetime;
        boolean explicit = true;
        if (rd.sMaxAgeSeconds() >= 0) {
            lifetime = rd.sMaxAgeSeconds() * 1000;
        } else if (rd.maxAgeSeconds() >= 0) {
            lifetime = rd.maxAgeSeconds() * 1000;
        } else if (!targeted && fields.has("Expires")) {
            lifetime = expiresLifetime(fields.values("Expires"), dateMillis >= 0 ? dateMillis : responseTimeMillis);
        } else {
            explicit = false;
            lifetime = 0;
        }
        boolean hasFreshnessInformation = explicit;
        if (!explicit && (HEURISTIC.contains(status) || rd.isPublic()) && lastModified >= 0) {
            // §4.2.2: a fraction of the time since Last-Modified, bounded
            long date = dateMillis >= 0 ? dateMillis : responseTimeMillis;
            lifetime = Math.min(config.heuristicMaxMillis(), (long) (Math.max(0, date - lastModified) * config.heuristicFraction()));
            hasFreshnessInformation = true;
        } else if (!explicit && (rd.isPublic() || HEURISTIC.contains(status)) && (etag.isPresent())) {
            // storable (heuristically cacheable or public) but no heuristic possible: stale at once, usable after validation
            hasFreshnessInformation = true;
        }
        if (!explicit && lifetime == 0) {
            if ((status == 404 || status == 410) && config.negativeTtlMillis() > 0) {
                lifetime = config.negativeTtlMillis();
                hasFreshnessInformation = true;
            } else if ((status == 500 || status == 502 || status == 503 || status == 504) && config.errorTtlMillis() > 0) {
                lifetime = config.errorTtlMillis();
                hasFreshnessInformation = true;
            }
        }
        // the tier's cap: served without revalidation at most ttlCap after receipt; never longer than the RFC allows
        if (config.ttlCapMillis() != Long.MAX_VALUE) {
            lifetime = Math.min(lifetime, Age.saturatedAdd(correctedInitialAge, config.ttlCapMillis()));
        }

        Optional<List<String>> varyFields = VaryKey.fieldNames(fields.values("Vary"));
        boolean varyStar = varyFields.isEmpty();
        List<String> vary = varyFields.orElse(List.of());
        String varyKey = VaryKey.of(vary, requestFields);
        Optional<List<String>> surrogateKeys = SurrogateKeys.parse(fields.values("Surrogate-Key"));

        CachedResponse response = new CachedResponse(status, storedFields(fields), requestTimeMillis, responseTimeMillis,
                correctedInitialAge, lifetime,
                rd.staleWhileRevalidateSeconds() > 0 ? rd.staleWhileRevalidateSeconds() * 1000 : 0,
                rd.staleIfErrorSeconds() > 0 ? rd.staleIfErrorSeconds() * 1000 : 0,
                rd.mustRevalidate() || rd.proxyRevalidate(), rd.sMaxAgeSeconds() >= 0, rd.noCache(), etag, lastModified,
                dateMillis, vary, varyKey,
                surrogateKeys.orElse(List.of()), contentLength(fields.first("Content-Length")));
        return new Described(rd, hasFreshnessInformation, varyStar, surrogateKeys.isEmpty(), response);
    }

    /** Expires − Date; an invalid Expires, or several different ones, means already expired (§5.3, §4.2.1). */
    private static long expiresLifetime(List<String> expires, long dateMillis) {
        long first = -1;
        for (String value : expires) {
            OptionalLong parsed = HttpDates.parse(value);
            if (parsed.isEmpty() || (first >= 0 && parsed.getAsLong() != first)) {
                return 0;
            }
            first = parsed.getAsLong();
        }
        return Math.max(0, first - dateMillis);
    }

    /** A date field given once with a valid HTTP-date; -1 otherwise (absent, invalid, or conflicting). */
    private static long singleDate(List<String> values) {
        long result = -1;
        for (String value : values) {
            OptionalLong parsed = HttpDates.parse(value);
            if (parsed.isEmpty() || (result >= 0 && parsed.getAsLong() != result)) {
                return -1;
            }
            result = parsed.getAsLong();
        }
        return result;
    }

    /** The Age field as delta-seconds; absent or invalid counts as 0 (§5.1: recipients ignore invalid Age). */
    private static long ageValue(List<String> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<String> members = ListTokenizer.members(values);
        if (members.isEmpty()) {
            return 0;
        }
        long v = DeltaSeconds.parse(members.get(0));
        return Math.max(0, v);
    }

    private static long contentLength(@Nullable String value) {
        if (value == null) {
            return -1;
        }
        long v = DeltaSeconds.parse(value.trim());
        return v >= DeltaSeconds.MAX ? parseLongOr(value.trim()) : v;
    }

    private static long parseLongOr(String s) {
        try {
            long v = Long.parseLong(s);
            return v < 0 ? -1 : v;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The fields kept: all but hop-by-hop (incl. those Connection names), Age, and Set-Cookie when stripped. */
    private List<Field> storedFields(FieldList fields) {
        Set<String> nominated = new HashSet<>();
        for (String token : ListTokenizer.members(fields.values("Connection"))) {
            nominated.add(token.toLowerCase(Locale.ROOT));
        }
        List<Field> out = new ArrayList<>(fields.fields().size());
        for (Field f : fields.fields()) {
            String lower = f.name().toLowerCase(Locale.ROOT);
            if (NOT_STORED.contains(lower) || nominated.contains(lower)
                    || (lower.equals("set-cookie") && config.setCookie() == CachePolicyConfig.SetCookie.STRIP)) {
                continue;
            }
            out.add(f);
        }
        return out;
    }

    // ---------------------------------------------------------------- validation (§4.3.4)

    /**
     * Freshens a stored response with a 304 received in answer to a conditional request (RFC 9111 §4.3.4):
     * the 304's fields replace the stored ones of the same name (except {@code Content-Length}, those never
     * stored, those its {@code Connection} nominates, and {@code Set-Cookie}), and age (counting the 304's
     * {@code Age}) and freshness are computed anew from the merged fields.
     *
     * @return the freshened response, or empty when the 304 does not describe the stored response (its
     *     entity tag does not match the stored one: strongly if it is strong, weakly if weak) or when the
     *     merged response could not be stored (its {@code Surrogate-Key} names more than
     *     {@link SurrogateKeys#MAX_KEYS} keys, so keeping it would let a purge by one of them miss it), in
     *     which case the caller fetches unconditionally
     */
    public Optional<CachedResponse> freshen(CachedResponse stored, RequestFacts request, FieldList notModified,
            long requestTimeMillis, long responseTimeMillis) {
        Optional<EntityTag> newTag = Optional.ofNullable(notModified.first("ETag")).flatMap(EntityTag::parse);
        if (newTag.isPresent() && !describesStored(newTag.get(), stored.etag())) {
            return Optional.empty();
        }
        // Connection-nominated fields are hop-by-hop (RFC 9110 §7.6.1); Set-Cookie is one client's, and the
        // stored response is shared (what onResponse guarantees for either cache.set-cookie setting)
        Set<String> notMerged = new HashSet<>();
        for (String token : ListTokenizer.members(notModified.values("Connection"))) {
            notMerged.add(token.toLowerCase(Locale.ROOT));
        }
        notMerged.add("set-cookie");
        Set<String> replaced = new HashSet<>();
        for (Field f : notModified.fields()) {
            String lower = f.name().toLowerCase(Locale.ROOT);
            if (!NOT_STORED.contains(lower) && !lower.equals("content-length") && !notMerged.contains(lower)) {
                replaced.add(lower);
            }
        }
        List<Field> merged = new ArrayList<>();
        for (Field f : stored.fields()) {
            if (!replaced.contains(f.name().toLowerCase(Locale.ROOT))) {
                merged.add(f);
            }
        }
        for (Field f : notModified.fields()) {
            // §4.2.3: the 304's Age is the age of this validation (e.g. a shield answering from its own
            // cache), so it counts in corrected_initial_age; describe() reads it and never stores it
            if (replaced.contains(f.name().toLowerCase(Locale.ROOT)) || f.is("Age")) {
                merged.add(f);
            }
        }
        Described d = describe(stored.status(), new FieldList(merged), requestTimeMillis, responseTimeMillis, request.fields());
        if (d.tooManySurrogateKeys) {
            return Optional.empty();
        }
        CachedResponse r = d.response;
        return Optional.of(new CachedResponse(stored.status(), r.fields(), requestTimeMillis, responseTimeMillis,
                r.correctedInitialAgeMillis(), r.freshnessLifetimeMillis(), r.staleWhileRevalidateMillis(),
                r.staleIfErrorMillis(), r.mustRevalidate(), r.sharedMaxAge(), r.noCache(),
                stored.etag().isPresent() ? stored.etag() : r.etag(),
                r.lastModifiedMillis(), r.dateMillis(), stored.varyFields(), stored.varyKey(), r.surrogateKeys(),
                stored.contentLength()));
    }

    /**
     * §4.3.4: a strong validator in the 304 selects only a stored response with the same strong validator
     * (strong comparison: a weak or missing stored tag does not match); a weak one selects a stored response
     * whose tag it weakly matches.
     */
    private static boolean describesStored(EntityTag notModifiedTag, Optional<EntityTag> storedTag) {
        if (!notModifiedTag.weak()) {
            return storedTag.isPresent() && notModifiedTag.strongMatches(storedTag.get());
        }
        return storedTag.isEmpty() || notModifiedTag.weakMatches(storedTag.get());
    }

    // ---------------------------------------------------------------- failures (§4.2.4, RFC 5861)

    /** How an upstream failed, as far as serving stale is concerned. */
    public enum UpstreamFailure {
        /** Connect refused or timed out, reset, read timeout: the cache is disconnected. */
        UNREACHABLE,
        /** 502, 503 or 504 from the upstream: a gateway reports the origin unreachable. */
        GATEWAY_ERROR,
        /** 500 or another 5xx: the origin itself failed. */
        SERVER_ERROR
    }

    /**
     * Whether {@code stored} may be served, stale, in place of a failed upstream: within its
     * {@code stale-if-error}, or (when disconnected) within {@code cache.max-stale-on-error}; never when the
     * response forbids stale serving ({@code must-revalidate}, {@code proxy-revalidate}, {@code s-maxage},
     * {@code no-cache}).
     */
    public boolean mayServeStale(CachedResponse stored, UpstreamFailure failure, long nowMillis) {
        if (stored.mustRevalidate() || stored.noCache()) {
            return false;
        }
        long staleness = Math.max(0, -stored.ttlMillis(nowMillis));
        long window = stored.staleIfErrorMillis();
        if (failure != UpstreamFailure.SERVER_ERROR && !stored.sharedMaxAge()) {
            window = Math.max(window, config.maxStaleOnErrorMillis());
        }
        return staleness <= window;
    }

    /** Classifies an upstream status for {@link #mayServeStale}; empty when it is not a failure. */
    public static Optional<UpstreamFailure> failureOf(int status) {
        if (status == 502 || status == 503 || status == 504) {
            return Optional.of(UpstreamFailure.GATEWAY_ERROR);
        }
        if (status >= 500) {
            return Optional.of(UpstreamFailure.SERVER_ERROR);
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- invalidation (§4.4)

    /**
     * The request-targets a response to an unsafe request invalidates: the target URI and any same-origin
     * {@code Location} / {@code Content-Location}, but only after a non-error (2xx or 3xx) response.
     *
     * @param request the request
     * @param status the response status
     * @param responseFields the response fields
     * @param requestHost the request's {@code Host} (authority), to recognise same-origin absolute URIs
     * @return raw paths (with queries) to invalidate, starting with {@code "."} for the target itself
     */
    public static List<String> invalidates(RequestFacts request, int status, FieldLookup responseFields,
            @Nullable String requestHost) {
        if (request.isSafe() || status < 200 || status >= 400) {
            return List.of();
        }
        List<String> out = new ArrayList<>(3);
        out.add(".");
        for (String name : List.of("Location", "Content-Location")) {
            String value = responseFields.first(name);
            if (value != null) {
                sameOriginPath(value.trim(), requestHost).ifPresent(out::add);
            }
        }
        return out;
    }

    private static Optional<String> sameOriginPath(String uri, @Nullable String requestHost) {
        if (uri.startsWith("/") && !uri.startsWith("//")) {
            return Optional.of(uri);
        }
        int scheme = uri.indexOf("://");
        if (scheme <= 0 || requestHost == null) {
            return Optional.empty(); // relative references other than absolute paths are not resolved
        }
        int pathStart = uri.indexOf('/', scheme + 3);
        String authority = pathStart < 0 ? uri.substring(scheme + 3) : uri.substring(scheme + 3, pathStart);
        if (!authority.equalsIgnoreCase(requestHost)) {
            return Optional.empty();
        }
        return Optional.of(pathStart < 0 ? "/" : uri.substring(pathStart));
    }
}
