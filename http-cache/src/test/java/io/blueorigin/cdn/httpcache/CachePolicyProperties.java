package io.blueorigin.cdn.httpcache;

import static io.blueorigin.cdn.httpcache.Messages.T;
import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CacheDecision.Action;
import io.blueorigin.cdn.httpcache.CachePolicyConfig.RequestNoCache;
import io.blueorigin.cdn.httpcache.CachePolicyConfig.SetCookie;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * {@link CachePolicy} never throws on what clients and upstreams send, never gives more freshness than it is
 * told, and always decides (fuzzed with {@link HostileValues} over arbitrary request and response header sets).
 */
class CachePolicyProperties {
    private static final String[] NAMES = {"Cache-Control", "Expires", "Date", "Age", "Vary", "ETag", "Last-Modified",
        "CDN-Cache-Control", "Content-Length", "Surrogate-Key", "Connection", "Set-Cookie", "Location"};

    @Provide
    Arbitrary<FieldList> responseFields() {
        Arbitrary<Field> field = Arbitraries.of(NAMES).flatMap(name -> new HeaderValues().get().map(v -> new Field(name, v)));
        return field.list().ofMaxSize(10).map(FieldList::new);
    }

    @Provide
    Arbitrary<CachePolicy> policies() {
        return Arbitraries.longs().between(0, 400_000).injectDuplicates(0.1).map(cap -> cap == 400_000 ? Long.MAX_VALUE : cap)
                .flatMap(cap -> Arbitraries.of(RequestNoCache.class).flatMap(noCache -> Arbitraries.of(SetCookie.class)
                        .map(cookie -> new CachePolicy(new CachePolicyConfig(cap, 0.1, 86_400_000L, 10_000, 1_000, 300_000,
                                noCache, cookie, List.of("CDN-Cache-Control"))))));
    }

    @Property
    void onResponseNeverThrows(@ForAll("policies") CachePolicy policy, @ForAll @IntRange(min = 100, max = 999) int status,
            @ForAll("responseFields") FieldList fields, @ForAll @LongRange(min = -10_000, max = 10_000) long delay) {
        StoreDecision d = policy.onResponse(Messages.get("Accept-Encoding: gzip"), status, fields, T, T + delay);
        CachedResponse r = d.response();
        assertThat(d.reason()).isNotBlank();
        assertThat(r.freshnessLifetimeMillis()).isNotNegative();
        assertThat(r.correctedInitialAgeMillis()).isNotNegative();
        assertThat(r.fields()).noneMatch(f -> f.is("Age") || f.is("Connection"));
        // freshening with the same fields as a 304 never throws either
        assertThat(policy.freshen(r, Messages.get(""), fields, T + 1, T + 2)).isNotNull();
        assertThat(CachePolicy.invalidates(Messages.request("POST", ""), status, fields, "example.com")).isNotNull();
    }

    @Property
    void onRequestNeverThrows(@ForAll("policies") CachePolicy policy, @ForAll("responseFields") FieldList response,
            @ForAll(supplier = HeaderValues.class) String cacheControl, @ForAll(supplier = HeaderValues.class) String validator,
            @ForAll @LongRange(min = -1_000_000, max = 100_000_000) long later) {
        CachedResponse stored = policy.onResponse(Messages.get(""), 200, response, T, T).response();
        RequestFacts request = RequestFacts.of("GET", Messages.lines("Cache-Control: " + cacheControl,
                "Pragma: " + cacheControl, "If-None-Match: " + validator, "If-Modified-Since: " + validator));
        CacheDecision d = policy.onRequest(request, stored, false, T + later);
        assertThat(d.reason()).isNotBlank();
        // §4.2: only a fresh response is served as fresh; RFC 5861 §3: only a stale one within its window is
        // served while revalidating
        boolean fresh = stored.isFresh(T + later);
        if (d.action() == Action.SERVE_FRESH) {
            assertThat(fresh).isTrue();
        }
        if (d.action() == Action.SERVE_STALE_AND_REVALIDATE) {
            assertThat(fresh).isFalse();
            assertThat(-stored.ttlMillis(T + later)).isBetween(0L, stored.staleWhileRevalidateMillis());
        }
        if (d.action() == Action.SERVE_STALE) {
            assertThat(fresh).isFalse();
            assertThat(stored.mustRevalidate() || stored.noCache() || stored.sharedMaxAge()).isFalse();
        }
    }

    @Property
    void lifetimeNeverExceedsTheExplicitOne(@ForAll("policies") CachePolicy policy,
            @ForAll @LongRange(min = 0, max = 10_000_000) long maxAge, @ForAll @LongRange(min = -1, max = 10_000_000) long sMaxAge,
            @ForAll @IntRange(min = 200, max = 599) int status, @ForAll("responseFields") FieldList others,
            @ForAll @LongRange(min = 0, max = 5_000) long delay) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("Cache-Control", "max-age=" + maxAge + (sMaxAge >= 0 ? ", s-maxage=" + sMaxAge : "")));
        others.fields().stream().filter(f -> !f.is("Cache-Control") && !f.is("CDN-Cache-Control")).forEach(fields::add);
        CachedResponse r = policy.onResponse(Messages.get(""), status, new FieldList(fields), T, T + delay).response();
        long explicit = (sMaxAge >= 0 ? sMaxAge : maxAge) * 1000;
        assertThat(r.freshnessLifetimeMillis()).isLessThanOrEqualTo(explicit);
        long cap = policy.config().ttlCapMillis();
        if (cap != Long.MAX_VALUE) {
            // deviation §4.2: served at most ttlCap after receipt, so never beyond corrected_initial_age + cap
            assertThat(r.freshnessLifetimeMillis()).isLessThanOrEqualTo(r.correctedInitialAgeMillis() + cap);
            assertThat(r.isFresh(T + delay + cap)).isFalse();
        }
    }

    @Property
    void heuristicFreshnessIsBounded(@ForAll("policies") CachePolicy policy,
            @ForAll @LongRange(min = -100_000_000, max = 100_000) long lastModifiedOffset,
            @ForAll @IntRange(min = 200, max = 599) int status) {
        // §4.2.2: no explicit freshness: at most the configured heuristic maximum (or the negative-caching TTLs)
        FieldList fields = Messages.lines("Date: " + Messages.date(0), "Last-Modified: " + Messages.date(lastModifiedOffset));
        CachedResponse r = policy.onResponse(Messages.get(""), status, fields, T, T).response();
        assertThat(r.freshnessLifetimeMillis()).isLessThanOrEqualTo(policy.config().heuristicMaxMillis());
        if (lastModifiedOffset >= 0 && status != 404 && status != 410 && (status < 500 || status > 504)) {
            assertThat(r.freshnessLifetimeMillis()).isZero();
        }
    }

    // ---------------------------------------------------------------- fuzzing: arbitrary header sets, end to end

    private static final String[] REQUEST_NAMES = {"Cache-Control", "Pragma", "If-Match", "If-None-Match",
        "If-Modified-Since", "If-Unmodified-Since", "Authorization", "Accept", "Accept-Encoding", "Accept-Language",
        "Cookie", "X-Foo", "Host"};
    private static final String[] RESPONSE_NAMES = {"Cache-Control", "CDN-Cache-Control", "Expires", "Date", "Age",
        "Vary", "ETag", "Last-Modified", "Content-Length", "Surrogate-Key", "Connection", "Set-Cookie", "Location",
        "Content-Location", "Pragma", "Keep-Alive", "X-Foo"};

    @Provide
    Arbitrary<FieldList> hostileRequestFields() {
        return hostileFields(REQUEST_NAMES);
    }

    @Provide
    Arbitrary<FieldList> hostileResponseFields() {
        return hostileFields(RESPONSE_NAMES);
    }

    private static Arbitrary<FieldList> hostileFields(String[] names) {
        Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.of(names)),
                Tuple.of(1, Arbitraries.of(names).map(n -> n.toUpperCase(java.util.Locale.ROOT))));
        Arbitrary<Field> field = Combinators.combine(name, new HostileValues().get()).as(Field::new);
        return field.list().ofMaxSize(12).map(FieldList::new);
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "PURGE", "OPTIONS", "get", "", "G\u0000T");
    }

    @Provide
    Arbitrary<Integer> statuses() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(200, 203, 204, 206, 301, 304, 404, 410, 500, 502, 503, 504)),
                Tuple.of(1, Arbitraries.integers().between(-1, 1000)));
    }

    @Property(tries = 10_000)
    void decisionsAreTotalOnArbitraryHeaderSets(@ForAll("policies") CachePolicy policy, @ForAll("methods") String method,
            @ForAll("hostileRequestFields") FieldList requestFields, @ForAll("statuses") int status,
            @ForAll("hostileResponseFields") FieldList responseFields,
            @ForAll @LongRange(min = -100_000, max = 100_000) long delay,
            @ForAll @LongRange(min = -1_000_000_000L, max = 1_000_000_000_000L) long later, @ForAll boolean otherVariants) {
        RequestFacts request = RequestFacts.of(method, requestFields);
        StoreDecision stored = policy.onResponse(request, status, responseFields, T, T + delay);
        CachedResponse r = stored.response();
        assertThat(stored.reason()).isNotBlank();
        assertThat(r.freshnessLifetimeMillis()).isNotNegative();
        assertThat(r.correctedInitialAgeMillis()).isNotNegative();
        assertThat(r.surrogateKeys()).hasSizeLessThanOrEqualTo(SurrogateKeys.MAX_KEYS);
        assertThat(r.varyKey().equals(VaryKey.TOO_LONG) || r.varyKey().length() <= VaryKey.MAX_LENGTH).isTrue();
        if (stored.store()) {
            assertThat(r.varyKey()).isNotEqualTo(VaryKey.TOO_LONG);
        }
        long now = T + delay + later;
        for (CachedResponse candidate : java.util.Arrays.asList(r, null)) {
            CacheDecision d = policy.onRequest(request, candidate, otherVariants, now);
            assertThat(d.action()).isNotNull();
            assertThat(d.reason()).isNotBlank();
        }
        // the stored response is reused by requests with other hostile fields, and freshened by a hostile 304
        RequestFacts next = RequestFacts.of("GET", responseFields);
        assertThat(policy.onRequest(next, r, otherVariants, now).action()).isNotNull();
        policy.freshen(r, next, requestFields, T + delay, T + delay + 1).ifPresent(f -> {
            assertThat(f.varyKey()).isEqualTo(r.varyKey());
            assertThat(f.freshnessLifetimeMillis()).isNotNegative();
            assertThat(f.surrogateKeys()).hasSizeLessThanOrEqualTo(SurrogateKeys.MAX_KEYS);
        });
        for (CachePolicy.UpstreamFailure failure : CachePolicy.UpstreamFailure.values()) {
            policy.mayServeStale(r, failure, now);
        }
        assertThat(CachePolicy.failureOf(status)).isNotNull();
        assertThat(CachePolicy.invalidates(request, status, responseFields, requestFields.first("Host"))).hasSizeLessThanOrEqualTo(3);
        assertThat(VaryKeys.of(requestFields).matches(r)).isEqualTo(r.varyFields().isEmpty()
                ? r.varyKey().isEmpty() : VaryKey.of(r.varyFields(), requestFields).equals(r.varyKey()));
    }
}
