package io.blueorigin.cdn.httpcache.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.httpcache.CachePolicyConfig.RequestNoCache;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import io.blueorigin.cdn.httpcache.signing.SigningPolicy;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Site#fromMap}: each invalid definition is refused naming its field; valid ones round-trip. */
class SiteTest {

    /** A valid definition: one host, one origin, nothing else. */
    static Map<String, Object> valid() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "img");
        m.put("hosts", new ArrayList<>(List.of("img.example.com")));
        Map<String, Object> origin = new LinkedHashMap<>();
        origin.put("url", "https://10.0.0.7");
        m.put("origins", new ArrayList<>(List.of(origin)));
        return m;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> origin0(Map<String, Object> m) {
        return (Map<String, Object>) ((List<Object>) m.get("origins")).get(0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> caching(Map<String, Object> m) {
        return (Map<String, Object>) m.computeIfAbsent("caching", k -> new LinkedHashMap<String, Object>());
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Arguments row(String description, String field, Consumer<Map<String, Object>> edit) {
        return Arguments.of(description, field, edit);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                row("unknown top-level field", "colour", m -> m.put("colour", "blue")),
                row("unknown field in caching", "caching.ttl", m -> caching(m).put("ttl", "1s")),
                row("unknown field in an origin", "origins[0].timeout", m -> origin0(m).put("timeout", "1s")),
                row("unknown field in query", "caching.query.sort", m -> caching(m).put("query", map("sort", true))),
                row("unknown field in cookies", "caching.cookies.drop", m -> caching(m).put("cookies", map("drop", "a"))),
                row("not an object: caching", "caching", m -> m.put("caching", "fast")),
                row("name missing", "name", m -> m.remove("name")),
                row("name not a string", "name", m -> m.put("name", 7)),
                row("name upper case", "name", m -> m.put("name", "Img")),
                row("name starts with '-'", "name", m -> m.put("name", "-img")),
                row("name empty", "name", m -> m.put("name", "")),
                row("name 64 characters", "name", m -> m.put("name", "a".repeat(64))),
                row("name with '/'", "name", m -> m.put("name", "a/b")),
                row("hosts not a list", "hosts", m -> m.put("hosts", "img.example.com")),
                row("host not a string", "hosts[1]", m -> m.put("hosts", List.of("a.com", 5))),
                row("host with a port", "hosts[0]", m -> m.put("hosts", List.of("a.com:80"))),
                row("host with '_'", "hosts[0]", m -> m.put("hosts", List.of("a_b.com"))),
                row("host empty label", "hosts[0]", m -> m.put("hosts", List.of("a..com"))),
                row("host label starts with '-'", "hosts[0]", m -> m.put("hosts", List.of("-a.com"))),
                row("host label 64 characters", "hosts[0]", m -> m.put("hosts", List.of("a".repeat(64) + ".com"))),
                row("host non-ASCII", "hosts[0]", m -> m.put("hosts", List.of("bücher.de"))),
                row("host Kelvin sign (lower-cases to 'k')", "hosts[0]", m -> m.put("hosts", List.of("\u212A.com"))),
                row("host empty", "hosts[0]", m -> m.put("hosts", List.of(""))),
                row("wildcard two levels", "hosts[0]", m -> m.put("hosts", List.of("*.*.x.com"))),
                row("wildcard over one label", "hosts[0]", m -> m.put("hosts", List.of("*.com"))),
                row("wildcard in the middle", "hosts[0]", m -> m.put("hosts", List.of("a.*.com"))),
                row("wildcard alone", "hosts[0]", m -> m.put("hosts", List.of("*"))),
                row("partial-label wildcard", "hosts[0]", m -> m.put("hosts", List.of("a*.x.com"))),
                row("duplicate host", "hosts[1]", m -> m.put("hosts", List.of("a.com", "a.com"))),
                row("duplicate host, other case", "hosts[2]", m -> m.put("hosts", List.of("a.com", "b.com", "A.COM"))),
                row("duplicate wildcard", "hosts[1]", m -> m.put("hosts", List.of("*.a.com", "*.A.com"))),
                row("exact under an earlier wildcard", "hosts[1]", m -> m.put("hosts", List.of("*.a.com", "x.a.com"))),
                row("wildcard over an earlier exact", "hosts[1]", m -> m.put("hosts", List.of("x.a.com", "*.a.com"))),
                row("more than 100 hosts", "hosts", m -> {
                    List<String> hosts = new ArrayList<>();
                    for (int i = 0; i <= Site.MAX_HOSTS; i++) {
                        hosts.add("h" + i + ".example.com");
                    }
                    m.put("hosts", hosts);
                }),
                row("origins missing", "origins", m -> m.remove("origins")),
                row("origins empty", "origins", m -> m.put("origins", List.of())),
                row("origins not a list", "origins", m -> m.put("origins", map("url", "http://a.com"))),
                row("origin not an object", "origins[0]", m -> m.put("origins", List.of("http://a.com"))),
                row("more than 16 origins", "origins", m -> {
                    List<Object> origins = new ArrayList<>();
                    for (int i = 0; i <= Site.MAX_ORIGINS; i++) {
                        origins.add(map("url", "http://10.0.0." + i));
                    }
                    m.put("origins", origins);
                }),
                row("duplicate origin url", "origins[1].url",
                        m -> m.put("origins", List.of(map("url", "http://a.com"), map("url", "http://a.com")))),
                row("duplicate origin url, other case", "origins[1].url",
                        m -> m.put("origins", List.of(map("url", "http://a.com"), map("url", "HTTP://A.com")))),
                row("origin url missing", "origins[0].url", m -> origin0(m).remove("url")),
                row("origin url not a string", "origins[0].url", m -> origin0(m).put("url", 80)),
                row("origin ftp://", "origins[0].url", m -> origin0(m).put("url", "ftp://a.com")),
                row("origin no scheme", "origins[0].url", m -> origin0(m).put("url", "a.com")),
                row("origin no host", "origins[0].url", m -> origin0(m).put("url", "http:///path")),
                row("origin opaque", "origins[0].url", m -> origin0(m).put("url", "http:a.com")),
                row("origin not a URI", "origins[0].url", m -> origin0(m).put("url", "http://a b.com")),
                row("origin query", "origins[0].url", m -> origin0(m).put("url", "http://a.com/?x=1")),
                row("origin empty query", "origins[0].url", m -> origin0(m).put("url", "http://a.com/?")),
                row("origin fragment", "origins[0].url", m -> origin0(m).put("url", "http://a.com/#f")),
                row("origin user info", "origins[0].url", m -> origin0(m).put("url", "http://u:p@a.com")),
                row("origin port above 65535", "origins[0].url", m -> origin0(m).put("url", "http://a.com:65536")),
                row("origin port 0", "origins[0].url", m -> origin0(m).put("url", "http://a.com:0")),
                row("origin host header not a string", "origins[0].host", m -> origin0(m).put("host", 1)),
                row("origin host header bad", "origins[0].host", m -> origin0(m).put("host", "a b.com")),
                row("origin host header port above 65535", "origins[0].host", m -> origin0(m).put("host", "a.com:65536")),
                row("connectTimeout 0ms", "origins[0].connectTimeout", m -> origin0(m).put("connectTimeout", "0ms")),
                row("connectTimeout above 1m", "origins[0].connectTimeout", m -> origin0(m).put("connectTimeout", "61s")),
                row("connectTimeout a number", "origins[0].connectTimeout", m -> origin0(m).put("connectTimeout", 2)),
                row("connectTimeout no unit", "origins[0].connectTimeout", m -> origin0(m).put("connectTimeout", "2")),
                row("connectTimeout fractional", "origins[0].connectTimeout", m -> origin0(m).put("connectTimeout", "1.5s")),
                row("connectTimeout space", "origins[0].connectTimeout", m -> origin0(m).put("connectTimeout", "2 s")),
                row("connectTimeout negative", "origins[0].connectTimeout", m -> origin0(m).put("connectTimeout", "-1s")),
                row("connectTimeout ISO-8601", "origins[0].connectTimeout", m -> origin0(m).put("connectTimeout", "PT2S")),
                row("readTimeout above 1h", "origins[0].readTimeout", m -> origin0(m).put("readTimeout", "61m")),
                row("readTimeout huge", "origins[0].readTimeout", m -> origin0(m).put("readTimeout", "999999999999d")),
                row("readTimeout upper-case unit", "origins[0].readTimeout", m -> origin0(m).put("readTimeout", "30S")),
                row("maxConcurrent 0", "origins[0].maxConcurrent", m -> origin0(m).put("maxConcurrent", 0)),
                row("maxConcurrent negative", "origins[0].maxConcurrent", m -> origin0(m).put("maxConcurrent", -1)),
                row("maxConcurrent 1.5", "origins[0].maxConcurrent", m -> origin0(m).put("maxConcurrent", 1.5)),
                row("maxConcurrent \"10\"", "origins[0].maxConcurrent", m -> origin0(m).put("maxConcurrent", "10")),
                row("maxConcurrent too large", "origins[0].maxConcurrent", m -> origin0(m).put("maxConcurrent", 100_001)),
                row("maxConcurrent NaN", "origins[0].maxConcurrent", m -> origin0(m).put("maxConcurrent", Double.NaN)),
                row("maxConcurrent infinite", "origins[0].maxConcurrent",
                        m -> origin0(m).put("maxConcurrent", Double.POSITIVE_INFINITY)),
                row("maxConcurrent long overflow", "origins[0].maxConcurrent",
                        m -> origin0(m).put("maxConcurrent", Long.MAX_VALUE)),
                row("maxConcurrent an inexact BigDecimal", "origins[0].maxConcurrent",
                        m -> origin0(m).put("maxConcurrent", new java.math.BigDecimal("256.0000000000000000001"))),
                row("maxConcurrent a huge BigInteger", "origins[0].maxConcurrent",
                        m -> origin0(m).put("maxConcurrent", new java.math.BigInteger("99999999999999999999999"))),
                row("verifyTls \"yes\"", "origins[0].verifyTls", m -> origin0(m).put("verifyTls", "yes")),
                row("verifyTls \"true\"", "origins[0].verifyTls", m -> origin0(m).put("verifyTls", "true")),
                row("edgeTtlCap 400d", "caching.edgeTtlCap", m -> caching(m).put("edgeTtlCap", "400d")),
                row("shieldTtlCap 366d", "caching.shieldTtlCap", m -> caching(m).put("shieldTtlCap", "366d")),
                row("negativeTtl malformed", "caching.negativeTtl", m -> caching(m).put("negativeTtl", "ten seconds")),
                row("requestNoCache maybe", "caching.requestNoCache", m -> caching(m).put("requestNoCache", "maybe")),
                row("requestNoCache upper case", "caching.requestNoCache", m -> caching(m).put("requestNoCache", "IGNORE")),
                row("requestNoCache a boolean", "caching.requestNoCache", m -> caching(m).put("requestNoCache", true)),
                row("query not an object", "caching.query", m -> caching(m).put("query", "drop")),
                row("query mode unknown", "caching.query.mode", m -> caching(m).put("query", map("mode", "sort"))),
                row("query mode allow_list", "caching.query.mode", m -> caching(m).put("query", map("mode", "allow_list"))),
                row("allow-list without names", "caching.query.allow", m -> caching(m).put("query", map("mode", "allow-list"))),
                row("allow-list empty names", "caching.query.allow",
                        m -> caching(m).put("query", map("mode", "allow-list", "allow", List.of()))),
                row("names with mode keep", "caching.query.allow",
                        m -> caching(m).put("query", map("mode", "keep", "allow", List.of("w")))),
                row("names without a mode", "caching.query.allow", m -> caching(m).put("query", map("allow", List.of("w")))),
                row("allow name with '='", "caching.query.allow[1]",
                        m -> caching(m).put("query", map("mode", "allow-list", "allow", List.of("w", "h=1")))),
                row("allow name with '&'", "caching.query.allow[0]",
                        m -> caching(m).put("query", map("mode", "allow-list", "allow", List.of("a&b")))),
                row("allow name empty", "caching.query.allow[0]",
                        m -> caching(m).put("query", map("mode", "allow-list", "allow", List.of("")))),
                row("allow name not a string", "caching.query.allow[0]",
                        m -> caching(m).put("query", map("mode", "allow-list", "allow", List.of(1)))),
                row("allow not a list", "caching.query.allow",
                        m -> caching(m).put("query", map("mode", "allow-list", "allow", "w"))),
                row("cookies strip without names", "caching.cookies.names", m -> caching(m).put("cookies", map("mode", "strip"))),
                row("cookies names with pass", "caching.cookies.names",
                        m -> caching(m).put("cookies", map("mode", "pass", "names", List.of("_ga")))),
                row("cookie name with ';'", "caching.cookies.names[0]",
                        m -> caching(m).put("cookies", map("mode", "strip", "names", List.of("a;b")))),
                row("cookie name with '='", "caching.cookies.names[0]",
                        m -> caching(m).put("cookies", map("mode", "strip", "names", List.of("a=b")))),
                row("cookie name with a space", "caching.cookies.names[0]",
                        m -> caching(m).put("cookies", map("mode", "strip", "names", List.of("a b")))),
                row("cookies mode unknown", "caching.cookies.mode", m -> caching(m).put("cookies", map("mode", "drop"))),
                row("delivery unknown member", "delivery.gzip", m -> m.put("delivery", map("gzip", true))),
                row("signing not an object", "delivery.signing", m -> signing(m, "on")),
                row("signing unknown field", "delivery.signing.secret", m -> signing(m, map("secret", "x"))),
                row("signing rules not a list", "delivery.signing.rules", m -> signing(m, map("rules", "/p/"))),
                row("rule without prefix", "delivery.signing.rules[0].prefix", m -> signing(m, rules(map("mode", "off")))),
                row("rule prefix relative", "delivery.signing.rules[0].prefix", m -> signing(m, rules(map("prefix", "p/")))),
                row("rule prefix with dot segment", "delivery.signing.rules[0].prefix",
                        m -> signing(m, rules(map("prefix", "/a/../b/")))),
                row("rule prefix with a query", "delivery.signing.rules[0].prefix",
                        m -> signing(m, rules(map("prefix", "/a?b")))),
                row("rule prefix twice", "delivery.signing.rules[1].prefix",
                        m -> signing(m, rules(map("prefix", "/a/"), map("prefix", "/a/", "mode", "off")))),
                row("rule mode unknown", "delivery.signing.rules[0].mode",
                        m -> signing(m, rules(map("prefix", "/a/", "mode", "always")))),
                row("rule unknown field", "delivery.signing.rules[0].ttl",
                        m -> signing(m, rules(map("prefix", "/a/", "ttl", "1h")))),
                row("signed param not a name", "delivery.signing.rules[0].params[0]",
                        m -> signing(m, rules(map("prefix", "/a/", "params", List.of("a=b"))))),
                row("signed param is the signature", "delivery.signing.rules[0].params[1]",
                        m -> signing(m, rules(map("prefix", "/a/", "params", List.of("w", "sig"))))),
                row("signed param twice", "delivery.signing.rules[0].params[1]",
                        m -> signing(m, rules(map("prefix", "/a/", "params", List.of("w", "w"))))),
                row("signature param not a name", "delivery.signing.signatureParam",
                        m -> signing(m, map("signatureParam", "s&g"))),
                row("signature params equal", "delivery.signing.signatureParam",
                        m -> signing(m, map("signatureParam", "exp"))),
                row("maxLifetime too long", "delivery.signing.maxLifetime", m -> signing(m, map("maxLifetime", "367d"))),
                row("maxLifetime zero", "delivery.signing.maxLifetime", m -> signing(m, map("maxLifetime", "0s"))),
                row("delivery not an object", "delivery", m -> m.put("delivery", List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesNamingTheField(String description, String field, Consumer<Map<String, Object>> edit) {
        Map<String, Object> m = valid();
        Site.fromMap(m); // the base row is valid
        edit.accept(m);
        assertThatThrownBy(() -> Site.fromMap(m))
                .isInstanceOfSatisfying(SiteException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).startsWith(field + ": ");
                });
    }

    @Test
    void refusesANonObjectBody() {
        for (Object body : new Object[] {null, "site", 1, List.of()}) {
            assertThatThrownBy(() -> Site.fromMap(body))
                    .isInstanceOfSatisfying(SiteException.class, e -> assertThat(e.field()).isEqualTo("(body)"));
        }
    }

    @Test
    void unknownFieldMessageListsTheKnownOnes() {
        Map<String, Object> m = valid();
        m.put("colour", "blue");
        assertThatThrownBy(() -> Site.fromMap(m))
                .hasMessage("colour: unknown field (known: caching, delivery, hosts, name, origins)");
    }

    @Test
    void deliveryRefusesUnknownMembers() {
        Map<String, Object> m = valid();
        m.put("delivery", map("gzip", true));
        assertThatThrownBy(() -> Site.fromMap(m)).hasMessageStartingWith("delivery.gzip: unknown field (known: ")
                .hasMessageContaining("rateLimit").hasMessageContaining("signing");
    }

    @Test
    void readsSigning() {
        Map<String, Object> m = valid();
        signing(m, map("rules", List.of(map("prefix", "/private/", "params", List.of("w")),
                map("prefix", "/private/open/", "mode", "off"), map("prefix", "/opt/", "mode", "optional")),
                "signatureParam", "token", "maxLifetime", "2h"));
        Site site = Site.fromMap(m);
        assertThat(site.signing()).isEqualTo(new SigningPolicy(List.of(
                new SigningPolicy.Rule("/private/", SigningPolicy.Mode.REQUIRED, List.of("w")),
                new SigningPolicy.Rule("/private/open/", SigningPolicy.Mode.OFF, List.of()),
                new SigningPolicy.Rule("/opt/", SigningPolicy.Mode.OPTIONAL, List.of())), "exp", "kid", "token", 7200));
        assertThat(Site.fromMap(site.toMap())).isEqualTo(site);
        assertThat(Site.fromMap(valid()).signing()).isEqualTo(SigningPolicy.NONE);
        assertThat(Site.fromMap(valid()).toMap().get("delivery")).isEqualTo(map());
    }

    private static void signing(Map<String, Object> m, Object signing) {
        m.put("delivery", map("signing", signing));
    }

    private static Map<String, Object> rules(Object... rules) {
        return map("rules", List.of(rules));
    }

    @Test
    void readsTheDocumentedExample() {
        Map<String, Object> m = map("name", "img", "hosts", List.of("img.example.com", "*.img.example.com"),
                "origins", List.of(map("url", "https://10.0.0.7", "host", "img.example.com", "connectTimeout", "2s",
                        "readTimeout", "30s", "maxConcurrent", 256, "verifyTls", true)),
                "caching", map("edgeTtlCap", "30s", "shieldTtlCap", "5m", "negativeTtl", "10s", "requestNoCache", "ignore",
                        "query", map("mode", "allow-list", "allow", List.of("w", "h")),
                        "cookies", map("mode", "strip", "names", List.of("_ga"))),
                "delivery", map());
        Site site = Site.fromMap(m);
        assertThat(site).isEqualTo(new Site("img",
                List.of(new HostPattern("img.example.com", false), new HostPattern("img.example.com", true)),
                List.of(new Origin(URI.create("https://10.0.0.7"), "img.example.com", Duration.ofSeconds(2),
                        Duration.ofSeconds(30), 256, true)),
                new SiteCaching(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(10), RequestNoCache.IGNORE,
                        new QueryPolicy(QueryPolicy.Mode.ALLOW_LIST, List.of("w", "h")),
                        new CookiePolicy(CookiePolicy.Mode.STRIP, List.of("_ga")))));
        assertThat(site.toMap()).isEqualTo(m);
        assertThat(Site.fromMap(site.toMap())).isEqualTo(site);
    }

    @Test
    void defaultsWhenLeftOut() {
        Site site = Site.fromMap(map("name", "a", "origins", List.of(map("url", "http://a.com"))));
        assertThat(site).isEqualTo(Site.of("a", URI.create("http://a.com")));
        assertThat(site.hosts()).isEmpty();
        assertThat(site.caching()).isEqualTo(SiteCaching.DEFAULTS);
        assertThat(site.origins().get(0)).isEqualTo(new Origin(URI.create("http://a.com"), null,
                Origin.DEFAULT_CONNECT_TIMEOUT, Origin.DEFAULT_READ_TIMEOUT, Origin.DEFAULT_MAX_CONCURRENT, true));
    }

    @Test
    void nullValuesAreLeftOut() {
        Map<String, Object> m = valid();
        m.put("caching", null);
        m.put("delivery", null);
        origin0(m).put("host", null);
        assertThat(Site.fromMap(m).caching()).isEqualTo(SiteCaching.DEFAULTS);
    }

    static Stream<Arguments> validEdges() {
        return Stream.of(
                Arguments.of("name 63 characters", (Consumer<Map<String, Object>>) m -> m.put("name", "a".repeat(63))),
                Arguments.of("name with . _ -", (Consumer<Map<String, Object>>) m -> m.put("name", "0a.b_c-d")),
                Arguments.of("no hosts", (Consumer<Map<String, Object>>) m -> m.put("hosts", List.of())),
                Arguments.of("exact and wildcard of the same domain",
                        (Consumer<Map<String, Object>>) m -> m.put("hosts", List.of("a.com", "*.a.com"))),
                Arguments.of("nested wildcards", (Consumer<Map<String, Object>>) m -> m.put("hosts", List.of("*.a.com", "*.x.a.com"))),
                Arguments.of("two labels below a wildcard",
                        (Consumer<Map<String, Object>>) m -> m.put("hosts", List.of("*.a.com", "y.x.a.com"))),
                Arguments.of("IPv4 literal", (Consumer<Map<String, Object>>) m -> m.put("hosts", List.of("192.0.2.1"))),
                Arguments.of("upper-case host", (Consumer<Map<String, Object>>) m -> m.put("hosts", List.of("IMG.Example.COM"))),
                Arguments.of("100 hosts", (Consumer<Map<String, Object>>) m -> {
                    List<String> hosts = new ArrayList<>();
                    for (int i = 0; i < Site.MAX_HOSTS; i++) {
                        hosts.add("h" + i + ".example.com");
                    }
                    m.put("hosts", hosts);
                }),
                Arguments.of("16 origins", (Consumer<Map<String, Object>>) m -> {
                    List<Object> origins = new ArrayList<>();
                    for (int i = 0; i < Site.MAX_ORIGINS; i++) {
                        origins.add(map("url", "http://10.0.0." + i + ":8080/prefix"));
                    }
                    m.put("origins", origins);
                }),
                Arguments.of("IPv6 origin", (Consumer<Map<String, Object>>) m -> origin0(m).put("url", "http://[2001:db8::1]:8080")),
                Arguments.of("HTTPS upper case", (Consumer<Map<String, Object>>) m -> origin0(m).put("url", "HTTPS://a.com")),
                Arguments.of("host header with port", (Consumer<Map<String, Object>>) m -> origin0(m).put("host", "a.com:8443")),
                Arguments.of("port 65535", (Consumer<Map<String, Object>>) m -> origin0(m).put("url", "http://a.com:65535")),
                Arguments.of("bounds", (Consumer<Map<String, Object>>) m -> {
                    origin0(m).put("connectTimeout", "1ms");
                    origin0(m).put("readTimeout", "1h");
                    origin0(m).put("maxConcurrent", 100_000);
                    origin0(m).put("verifyTls", false);
                    caching(m).put("edgeTtlCap", "0s");
                    caching(m).put("shieldTtlCap", "365d");
                    caching(m).put("negativeTtl", "0ms");
                }),
                Arguments.of("connectTimeout 60s", (Consumer<Map<String, Object>>) m -> origin0(m).put("connectTimeout", "60s")),
                Arguments.of("maxConcurrent as a long", (Consumer<Map<String, Object>>) m -> origin0(m).put("maxConcurrent", 10L)),
                Arguments.of("maxConcurrent as a BigDecimal 256.000",
                        (Consumer<Map<String, Object>>) m -> origin0(m).put("maxConcurrent", new java.math.BigDecimal("256.000"))),
                Arguments.of("maxConcurrent as a BigInteger",
                        (Consumer<Map<String, Object>>) m -> origin0(m).put("maxConcurrent", java.math.BigInteger.TEN)),
                Arguments.of("maxConcurrent as 10.0", (Consumer<Map<String, Object>>) m -> origin0(m).put("maxConcurrent", 10.0)),
                Arguments.of("sorted query, repeated names", (Consumer<Map<String, Object>>) m -> caching(m).put("query", map("mode", "sorted"))),
                Arguments.of("drop query", (Consumer<Map<String, Object>>) m -> caching(m).put("query", map("mode", "drop"))),
                Arguments.of("empty query object", (Consumer<Map<String, Object>>) m -> caching(m).put("query", map())),
                Arguments.of("requestNoCache revalidate",
                        (Consumer<Map<String, Object>>) m -> caching(m).put("requestNoCache", "revalidate")),
                Arguments.of("cookie token characters", (Consumer<Map<String, Object>>) m -> caching(m).put("cookies",
                        map("mode", "strip", "names", List.of("_ga", "__Host-x", "a!#$%&'*+-.^_`|~9")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validEdges")
    void validDefinitionsRoundTrip(String description, Consumer<Map<String, Object>> edit) {
        Map<String, Object> m = valid();
        edit.accept(m);
        Site site = Site.fromMap(m);
        Map<String, Object> written = site.toMap();
        assertThat(Site.fromMap(written)).isEqualTo(site);
        assertThat(Site.fromMap(written).toMap()).isEqualTo(written);
    }

    @Test
    void theConstructorChecksTheName() {
        assertThatThrownBy(() -> Site.of("Bad Name", URI.create("http://a.com")))
                .isInstanceOfSatisfying(SiteException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> new Site("a", List.of(), List.of(), SiteCaching.DEFAULTS))
                .isInstanceOfSatisfying(SiteException.class, e -> assertThat(e.field()).isEqualTo("origins"));
        assertThat(Site.isValidName("a")).isTrue();
        assertThat(Site.isValidName("A")).isFalse();
        assertThat(Site.isValidName("")).isFalse();
    }

    @Test
    void durationsAreWrittenInTheirShortestExactForm() {
        assertThat(Fields.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Fields.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Fields.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Fields.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Fields.format(Duration.ofHours(48))).isEqualTo("2d");
        assertThat(Fields.parseDuration("0ms")).isEqualTo(Duration.ZERO);
        assertThat(Fields.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Fields.parseDuration("1.5s")).isNull();
        assertThat(Fields.parseDuration("")).isNull();
        assertThat(Fields.parseDuration("\u0661s")).isNull(); // ARABIC-INDIC DIGIT ONE is not a digit here
    }
}
