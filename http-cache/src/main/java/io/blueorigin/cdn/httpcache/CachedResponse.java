package io.blueorigin.cdn.httpcache;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What a cache keeps about one stored response besides its body: the status and end-to-end header
 * fields as they will be sent again, and the facts every later decision needs, computed once when it was
 * stored (or freshened by a 304). Immutable; all times are epoch milliseconds, all durations milliseconds.
 *
 * @param status the status code
 * @param fields end-to-end header fields to send (hop-by-hop fields and {@code Age} removed)
 * @param requestTimeMillis when the request that fetched it was sent upstream
 * @param responseTimeMillis when the response arrived
 * @param correctedInitialAgeMillis RFC 9111 §4.2.3 corrected_initial_age
 * @param freshnessLifetimeMillis the lifetime this cache uses: the RFC's, clamped by the tier's cap
 * @param staleWhileRevalidateMillis how long after expiry it may be served while one revalidation runs (0: not)
 * @param staleIfErrorMillis how long after expiry it may be served when upstream fails (0: not)
 * @param mustRevalidate {@code must-revalidate} or {@code proxy-revalidate}: once stale, never served
 *     without validation, not even within {@code stale-while-revalidate} / {@code stale-if-error}
 * @param sharedMaxAge {@code s-maxage} was given: it implies {@code proxy-revalidate} (RFC 9111 §5.2.2.10),
 *     so no implicit grace; an explicit {@code stale-while-revalidate} / {@code stale-if-error} still applies
 * @param noCache never served without validation
 * @param etag the entity tag, if any
 * @param lastModifiedMillis {@code Last-Modified}, or -1
 * @param dateMillis {@code Date}, or -1
 * @param varyFields the normalized {@code Vary} field names (empty: none)
 * @param varyKey the secondary key this variant is stored under
 * @param surrogateKeys the {@code Surrogate-Key} tags
 * @param contentLength the body length, or -1 while unknown
 */
public record CachedResponse(
        int status,
        List<Field> fields,
        long requestTimeMillis,
        long responseTimeMillis,
        long correctedInitialAgeMillis,
        long freshnessLifetimeMillis,
        long staleWhileRevalidateMillis,
        long staleIfErrorMillis,
        boolean mustRevalidate,
        boolean sharedMaxAge,
        boolean noCache,
        Optional<EntityTag> etag,
        long lastModifiedMillis,
        long dateMillis,
        List<String> varyFields,
        String varyKey,
        List<String> surrogateKeys,
        long contentLength) {

    public CachedResponse {
        requireNonNull(fields, "fields is null");
        requireNonNull(etag, "etag is null");
        requireNonNull(varyFields, "varyFields is null");
        requireNonNull(varyKey, "varyKey is null");
        requireNonNull(surrogateKeys, "surrogateKeys is null");
        fields = List.copyOf(fields);
        varyFields = List.copyOf(varyFields);
        surrogateKeys = List.copyOf(surrogateKeys);
    }

    /**
     * current_age at {@code nowMillis} (§4.2.3). A response received in this clock's future (the clock stepped back
     * since, see {@link Age}) is taken as exactly as old as its lifetime: stale, so it is revalidated (once: the
     * answer is stored with the new time), while its stale-while-revalidate and stale-if-error allowances still hold.
     */
    public long currentAgeMillis(long nowMillis) {
        if (Age.receivedInTheFuture(responseTimeMillis, nowMillis)) {
            return Math.max(correctedInitialAgeMillis, freshnessLifetimeMillis);
        }
        return Age.currentAge(correctedInitialAgeMillis, responseTimeMillis, nowMillis);
    }

    /** Remaining freshness at {@code nowMillis}: positive while fresh, zero or negative once stale (§4.2). */
    public long ttlMillis(long nowMillis) {
        long age = currentAgeMillis(nowMillis);
        return freshnessLifetimeMillis == Long.MAX_VALUE ? Long.MAX_VALUE : freshnessLifetimeMillis - age;
    }

    /** RFC 9111 §4.2: fresh iff freshness_lifetime &gt; current_age. */
    public boolean isFresh(long nowMillis) {
        return ttlMillis(nowMillis) > 0;
    }

    /** The date a client's {@code If-Modified-Since} is compared with: Last-Modified, else Date (§4.3.2). */
    public long validatorDateMillis() {
        return lastModifiedMillis >= 0 ? lastModifiedMillis : dateMillis;
    }

    /** The fields as a lookup. */
    public FieldLookup lookup() {
        return FieldLookup.of(fields);
    }

    /**
     * A copy that is stale from {@code nowMillis} on (a soft purge): its freshness lifetime ends at its
     * current age, so {@code stale-while-revalidate} and {@code stale-if-error} windows start now. A
     * response already stale is returned unchanged.
     */
    public CachedResponse markedStale(long nowMillis) {
        long age = Math.max(0, currentAgeMillis(nowMillis));
        if (freshnessLifetimeMillis <= age) {
            return this;
        }
        return new CachedResponse(status, fields, requestTimeMillis, responseTimeMillis, correctedInitialAgeMillis,
                age, staleWhileRevalidateMillis, staleIfErrorMillis, mustRevalidate, sharedMaxAge, noCache, etag,
                lastModifiedMillis, dateMillis, varyFields, varyKey, surrogateKeys, contentLength);
    }

    /** A copy whose body length is now known (set when the body is complete). */
    public CachedResponse withBodyLength(long length) {
        return new CachedResponse(status, fields, requestTimeMillis, responseTimeMillis, correctedInitialAgeMillis,
                freshnessLifetimeMillis, staleWhileRevalidateMillis, staleIfErrorMillis, mustRevalidate, sharedMaxAge, noCache, etag,
                lastModifiedMillis, dateMillis, varyFields, varyKey, surrogateKeys, length);
    }
}
