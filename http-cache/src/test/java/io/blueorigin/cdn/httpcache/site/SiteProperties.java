package io.blueorigin.cdn.httpcache.site;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.CachePolicyConfig.RequestNoCache;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every valid site survives {@code toMap} / {@code fromMap}; any junk is refused with a {@link SiteException} only. */
class SiteProperties {

    // ---- valid sites

    static Arbitrary<String> label() {
        return Arbitraries.strings().withChars("abc0-").ofMinLength(1).ofMaxLength(3)
                .filter(l -> !l.startsWith("-") && !l.endsWith("-"));
    }

    static Arbitrary<String> domain() {
        // the last label starts with a letter (RFC 2396 toplabel: java.net.URI reads no host from http://a.0)
        return Combinators.combine(label().list().ofMinSize(1).ofMaxSize(2), label().filter(l -> Character.isLetter(l.charAt(0))))
                .as((l, top) -> String.join(".", l) + "." + top);
    }

    static Arbitrary<HostPattern> pattern() {
        return Combinators.combine(domain(), Arbitraries.of(true, false)).as(HostPattern::new);
    }

    static Arbitrary<List<HostPattern>> hosts() {
        return pattern().list().ofMaxSize(8).map(list -> {
            List<HostPattern> kept = new ArrayList<>();
            for (HostPattern p : list) {
                if (kept.stream().noneMatch(p::overlaps)) {
                    kept.add(p);
                }
            }
            return kept;
        });
    }

    static Arbitrary<URI> url() {
        Arbitrary<String> host = Arbitraries.oneOf(domain(),
                Arbitraries.integers().between(0, 255).list().ofSize(4).map(l -> l.get(0) + "." + l.get(1) + "." + l.get(2)
                        + "." + l.get(3)),
                Arbitraries.of("[::1]", "[2001:db8::7]"));
        Arbitrary<String> port = Arbitraries.integers().between(1, 65535).map(p -> ":" + p).injectNull(0.5);
        Arbitrary<String> path = Arbitraries.of("", "/", "/prefix", "/a/b/", "/%7Ea");
        return Combinators.combine(Arbitraries.of("http", "https", "HTTPS"), host, port, path)
                .as((s, h, p, pa) -> URI.create(s + "://" + h + (p == null ? "" : p) + pa));
    }

    static Arbitrary<Origin> origin() {
        Arbitrary<String> hostHeader = Combinators.combine(domain(),
                Arbitraries.integers().between(1, 65535).map(p -> ":" + p).injectNull(0.5))
                .as((d, p) -> p == null ? d : d + p).injectNull(0.5);
        return Combinators.combine(url(), hostHeader, millis(1, 60_000), millis(1, 3_600_000),
                Arbitraries.integers().between(1, 100_000), Arbitraries.of(true, false)).as(Origin::new);
    }

    static Arbitrary<Duration> millis(long min, long max) {
        return Arbitraries.oneOf(Arbitraries.longs().between(min, max),
                Arbitraries.of(min, max),
                Arbitraries.longs().between(min / 1000, max / 1000).map(s -> Math.max(min, s * 1000)),
                Arbitraries.longs().between(0, max / 86_400_000L).map(d -> Math.max(min, d * 86_400_000L)))
                .map(Duration::ofMillis);
    }

    static Arbitrary<List<Origin>> origins() {
        return origin().list().ofMinSize(1).ofMaxSize(Site.MAX_ORIGINS).map(list -> {
            List<Origin> kept = new ArrayList<>();
            for (Origin o : list) {
                if (kept.stream().noneMatch(k -> k.url().equals(o.url()))) {
                    kept.add(o);
                }
            }
            return kept;
        });
    }

    static Arbitrary<QueryPolicy> query() {
        Arbitrary<List<String>> names = Arbitraries.strings().withChars("wh%2F.-_ ").ofMinLength(1).ofMaxLength(4)
                .list().ofMinSize(1).ofMaxSize(5);
        return Arbitraries.oneOf(Arbitraries.of(QueryPolicy.Mode.KEEP, QueryPolicy.Mode.SORTED, QueryPolicy.Mode.DROP)
                .map(m -> new QueryPolicy(m, List.of())), names.map(n -> new QueryPolicy(QueryPolicy.Mode.ALLOW_LIST, n)));
    }

    static Arbitrary<CookiePolicy> cookies() {
        Arbitrary<List<String>> names = Arbitraries.strings().withChars("_gaA-.!~").ofMinLength(1).ofMaxLength(5)
                .list().ofMinSize(1).ofMaxSize(5);
        return Arbitraries.oneOf(Arbitraries.just(CookiePolicy.PASS),
                names.map(n -> new CookiePolicy(CookiePolicy.Mode.STRIP, n)));
    }

    static Arbitrary<SiteCaching> caching() {
        long year = SiteCaching.MAX_TTL.toMillis();
        return Combinators.combine(millis(0, year).injectNull(0.4), millis(0, year).injectNull(0.4),
                millis(0, year).injectNull(0.4), Arbitraries.of(RequestNoCache.class).injectNull(0.4), query(), cookies())
                .as(SiteCaching::new);
    }

    @Provide
    Arbitrary<Site> sites() {
        Arbitrary<String> name = Combinators.combine(Arbitraries.strings().withChars("a0z9").ofLength(1),
                Arbitraries.strings().withChars("az09._-").ofMaxLength(62)).as(String::concat);
        return Combinators.combine(name, hosts(), origins(), caching()).as(Site::new);
    }

    @Property
    void everyValidSiteRoundTrips(@ForAll("sites") Site site) {
        Map<String, Object> written = site.toMap();
        Site read = Site.fromMap(written);
        assertThat(read).isEqualTo(site);
        assertThat(read.toMap()).isEqualTo(written);
    }

    @Property
    void aTableOfOneValidSiteSelectsItByEachOfItsHosts(@ForAll("sites") Site site) {
        SiteTable table = SiteTable.of(1, List.of(site));
        for (HostPattern p : site.hosts()) {
            String host = p.wildcard() ? "x." + p.domain() : p.domain().toUpperCase(java.util.Locale.ROOT) + ".:80";
            assertThat(table.select(host)).isSameAs(site);
        }
    }

    // ---- junk

    static final List<String> KEYS = List.of("name", "hosts", "origins", "caching", "delivery", "url", "host",
            "connectTimeout", "readTimeout", "maxConcurrent", "verifyTls", "edgeTtlCap", "shieldTtlCap", "negativeTtl",
            "requestNoCache", "query", "cookies", "mode", "allow", "names", "x");

    static Arbitrary<Object> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "a", "A", "0", "10", "1.5", "1.5s", "0ms", "1ms", "30s", "400d", "999999999999d", "-1s",
                        "http://a.com", "https://[::1]:8080/p", "ftp://a.com", "http://a.com:99999", "http://a.com:0",
                        "http://a.com:2147483648", "http://[", "http://%zz", "http:a", "//a.com", "http://u@a.com",
                        "http://a.com/?q", "http://a.com/#", "http://a_b.com", "*.a.com", "*.com", "a.*.com", "*",
                        "\u212A.com", "a.com:99999", "keep", "sorted", "drop", "allow-list", "strip", "pass", "ignore",
                        "revalidate", "true", "null", "\u0000", "\n"),
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.of(0.5, -0.0, 1.0, 256.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        Double.MAX_VALUE, 1e300, Float.NaN).map(d -> (Object) d),
                Arbitraries.of(new BigDecimal("1e400"), new BigDecimal("256.0000000000000000001"),
                        new BigInteger("99999999999999999999999")).map(n -> (Object) n),
                Arbitraries.of(true, false).map(b -> (Object) b))
                .injectNull(0.05);
    }

    static Arbitrary<Object> junk(int depth) {
        if (depth == 0) {
            return scalar();
        }
        Arbitrary<Object> inner = Arbitraries.lazy(() -> junk(depth - 1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, scalar()),
                net.jqwik.api.Tuple.of(1, inner.list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l))),
                net.jqwik.api.Tuple.of(2, Arbitraries.maps(Arbitraries.of(KEYS), inner).ofMaxSize(5)
                        .map(m -> (Object) new LinkedHashMap<>(m))));
    }

    /** A valid site's map with one value somewhere in it replaced by junk (or a junk key added). */
    @Provide
    Arbitrary<Object> nearlyValid() {
        return Combinators.combine(sites(), junk(2), Arbitraries.integers().between(0, 10_000), Arbitraries.of(KEYS),
                Arbitraries.of(true, false)).as((site, junk, pick, key, replace) -> {
                    Object copy = mutableCopy(site.toMap());
                    List<Object[]> slots = new ArrayList<>();
                    collect(copy, slots);
                    Object[] slot = slots.get(pick % slots.size());
                    if (slot[0] instanceof Map<?, ?> map) {
                        @SuppressWarnings("unchecked")
                        Map<Object, Object> m = (Map<Object, Object>) map;
                        m.put(replace ? slot[1] : key, junk);
                    } else {
                        @SuppressWarnings("unchecked")
                        List<Object> l = (List<Object>) slot[0];
                        l.set((Integer) slot[1], junk);
                    }
                    return copy;
                });
    }

    private static Object mutableCopy(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(k, mutableCopy(v)));
            return copy;
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(v -> copy.add(mutableCopy(v)));
            return copy;
        }
        return value;
    }

    /** Every (container, key or index) in the tree. */
    private static void collect(Object value, List<Object[]> slots) {
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                slots.add(new Object[] {m, e.getKey()});
                collect(e.getValue(), slots);
            }
            if (m.isEmpty()) {
                slots.add(new Object[] {m, "x"});
            }
        } else if (value instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                slots.add(new Object[] {l, i});
                collect(l.get(i), slots);
            }
        }
    }

    @Property(tries = 2000)
    void junkNearAValidSiteIsRefusedOnlyWithASiteException(@ForAll("nearlyValid") Object junk) {
        readOrRefuse(junk);
    }

    @Provide
    Arbitrary<Object> anyJunk() {
        return junk(3);
    }

    @Property(tries = 2000)
    void anyJunkIsRefusedOnlyWithASiteException(@ForAll("anyJunk") Object junk) {
        readOrRefuse(junk);
    }

    private static void readOrRefuse(Object value) {
        Site site;
        try {
            site = Site.fromMap(value);
        } catch (SiteException e) {
            assertThat(e.field()).isNotEmpty();
            assertThat(e.getMessage()).startsWith(e.field() + ": ");
            return;
        }
        // whatever was accepted is valid: it round-trips
        assertThat(Site.fromMap(site.toMap())).isEqualTo(site);
    }
}
