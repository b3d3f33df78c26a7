package io.blueorigin.cdn.httpcache.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which site a host belongs to, and the one-host-one-site invariant through every way of building a table. */
class SiteTableTest {

    static Site site(String name, String... hosts) {
        List<HostPattern> patterns = new ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            patterns.add(HostPattern.parse(hosts[i], "hosts[" + i + "]"));
        }
        return new Site(name, patterns, List.of(Origin.of(URI.create("http://origin-" + name))), SiteCaching.DEFAULTS);
    }

    private final SiteTable table = SiteTable.of(7, List.of(
            site("www", "www.example.com", "example.com"),
            site("img", "*.img.example.com", "img.example.com"),
            site("api", "api.example.com"),
            site("ip", "192.0.2.1")));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "~", textBlock = """
        # host                        | site
        www.example.com               | www
        example.com                   | www
        WWW.Example.COM               | www
        www.example.com:8080          | www
        www.example.com.              | www
        www.example.com.:443          | www
        img.example.com               | img
        a.img.example.com             | img
        A.IMG.example.com:80          | img
        a.img.example.com.            | img
        b.a.img.example.com           | ~
        api.example.com               | api
        x.api.example.com             | ~
        other.example.com             | ~
        example.org                   | ~
        192.0.2.1                     | ip
        192.0.2.1:8080                | ip
        [::1]:8080                    | ~
        [::1]                         | ~
        [2001:db8::1]:443             | ~
        :80                           | ~
        .                             | ~
        ''                            | ~
        ~                             | ~
        \u212A.img.example.com        | img
        """)
    void selects(@Nullable String host, @Nullable String site) {
        Site selected = table.select(host);
        assertThat(selected == null ? null : selected.name()).isEqualTo(site);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        Example.COM         | example.com
        example.com:8080    | example.com
        example.com.        | example.com
        example.com.:8080   | example.com
        [::1]:8080          | [::1]
        [::1]               | [::1]
        [2001:DB8::1]:443   | [2001:db8::1]
        192.0.2.1:80        | 192.0.2.1
        \u212A.COM          | \u212A.com
        """)
    void normalizesHosts(String host, String normalized) {
        assertThat(SiteTable.normalizeHost(host)).isEqualTo(normalized);
    }

    @Test
    void emptyTableSelectsNothing() {
        assertThat(SiteTable.EMPTY.select("example.com")).isNull();
        assertThat(SiteTable.EMPTY.size()).isZero();
        assertThat(SiteTable.EMPTY.version()).isZero();
        assertThat(SiteTable.of(3, List.of(site("default"))).select("example.com")).isNull();
    }

    /** Each row: the hosts of a site already in the table, the hosts of the one added, and the host refused. */
    @ParameterizedTest(name = "{0} then {1}")
    @CsvSource(delimiter = '|', textBlock = """
        # existing site's hosts           | new site's hosts                      | refused | index
        a.example.com                     | a.example.com                         | a.example.com      | 0
        a.example.com                     | b.example.com A.EXAMPLE.COM           | a.example.com      | 1
        *.example.com                     | x.example.com                         | x.example.com      | 0
        x.example.com                     | *.example.com                         | *.example.com      | 0
        *.example.com                     | *.example.com                         | *.example.com      | 0
        q.com z.example.com               | y.com *.example.com                   | *.example.com      | 1
        """)
    void refusesAHostAnotherSiteClaims(String existing, String added, String refused, int index) {
        // both name orders: the message names the site that already had the host, whichever sorts first
        for (String[] names : new String[][] {{"aaa", "zzz"}, {"zzz", "aaa"}}) {
            Site old = site(names[0], existing.split(" "));
            Site neu = site(names[1], added.split(" "));
            SiteTable before = SiteTable.of(1, List.of(old));
            assertThatThrownBy(() -> before.with(2, neu))
                    .isInstanceOfSatisfying(SiteException.class, e -> {
                        assertThat(e.field()).isEqualTo("hosts[" + index + "]");
                        assertThat(e.getMessage()).contains("'" + refused + "'")
                                .contains("already claimed by site '" + names[0] + "'");
                    });
            assertThatThrownBy(() -> SiteTable.of(2, List.of(old, neu)))
                    .isInstanceOfSatisfying(SiteException.class, e -> {
                        assertThat(e.field()).isEqualTo("hosts[" + index + "]");
                        assertThat(e.getMessage()).contains("already claimed by site '" + names[0] + "'");
                    });
        }
    }

    @ParameterizedTest(name = "{0} beside {1}")
    @CsvSource(delimiter = '|', textBlock = """
        example.com                       | *.example.com
        *.example.com                     | *.a.example.com
        *.example.com                     | b.a.example.com
        a.example.com                     | b.example.com
        *.example.com                     | *.example.org
        """)
    void acceptsHostsNoOtherSiteClaims(String existing, String added) {
        SiteTable t = SiteTable.of(1, List.of(site("one", existing.split(" ")))).with(2, site("two", added.split(" ")));
        assertThat(t.sites()).extracting(Site::name).containsExactly("one", "two");
    }

    @Test
    void withAddsAndReplacesAtTheNewVersion() {
        SiteTable t = table.with(8, site("cdn", "cdn.example.com"));
        assertThat(t.version()).isEqualTo(8);
        assertThat(table.version()).isEqualTo(7);
        assertThat(t.size()).isEqualTo(5);
        assertThat(table.size()).isEqualTo(4);
        assertThat(t.select("cdn.example.com").name()).isEqualTo("cdn");
        assertThat(table.select("cdn.example.com")).as("the old table is unchanged").isNull();

        // a replaced site keeps its own hosts, drops some and adds others
        Site img2 = site("img", "img.example.com", "*.img.example.com", "pics.example.com");
        SiteTable t2 = t.with(9, img2);
        assertThat(t2.size()).isEqualTo(5);
        assertThat(t2.get("img")).isSameAs(img2);
        assertThat(t2.select("pics.example.com")).isSameAs(img2);
        assertThat(t2.select("a.img.example.com")).isSameAs(img2);

        SiteTable t3 = t2.with(10, site("img", "pics.example.com"));
        assertThat(t3.select("a.img.example.com")).isNull();
        assertThat(t3.select("img.example.com")).isNull();
        // ... freeing them for another site
        SiteTable t4 = t3.with(11, site("img2", "*.img.example.com"));
        assertThat(t4.select("a.img.example.com").name()).isEqualTo("img2");
    }

    @Test
    void aRefusedChangeLeavesTheTableAsItWas() {
        assertThatThrownBy(() -> table.with(8, site("new", "api.example.com"))).isInstanceOf(SiteException.class);
        // another site's host cannot be moved by replacing a site either
        assertThatThrownBy(() -> table.with(8, site("img", "api.example.com"))).isInstanceOf(SiteException.class);
        assertThat(table.version()).isEqualTo(7);
        assertThat(table.select("api.example.com").name()).isEqualTo("api");
        assertThat(table.select("a.img.example.com").name()).isEqualTo("img");
    }

    @Test
    void withoutFreesTheHosts() {
        SiteTable t = table.without(8, "img");
        assertThat(t.version()).isEqualTo(8);
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.get("img")).isNull();
        assertThat(t.select("a.img.example.com")).isNull();
        assertThat(t.select("img.example.com")).isNull();
        assertThat(t.select("www.example.com").name()).isEqualTo("www");
        assertThat(t.with(9, site("other", "*.img.example.com")).select("x.img.example.com").name()).isEqualTo("other");

        SiteTable same = table.without(8, "absent");
        assertThat(same.version()).isEqualTo(8);
        assertThat(same.sites()).isEqualTo(table.sites());
    }

    @Test
    void sitesByName() {
        assertThat(table.sites()).extracting(Site::name).containsExactly("api", "img", "ip", "www");
        assertThat(table.get("api").hosts()).containsExactly(new HostPattern("api.example.com", false));
        assertThat(table.toString()).isEqualTo("sites v7 [api, img, ip, www]");
        table.sites().clear(); // a copy
        assertThat(table.size()).isEqualTo(4);
    }

    @Test
    void refusesANameTwice() {
        assertThatThrownBy(() -> SiteTable.of(1, List.of(site("a", "a.com"), site("a", "b.com"))))
                .isInstanceOfSatisfying(SiteException.class, e -> assertThat(e.field()).isEqualTo("name"));
    }

    @Test
    void atMostMaxSites() {
        List<Site> sites = new ArrayList<>();
        for (int i = 0; i < SiteTable.MAX_SITES; i++) {
            sites.add(site("s" + i, "s" + i + ".example.com", "*.s" + i + ".example.com"));
        }
        SiteTable full = SiteTable.of(1, sites);
        assertThat(full.size()).isEqualTo(SiteTable.MAX_SITES);
        assertThat(full.select("x.s999.example.com").name()).isEqualTo("s999");
        assertThatThrownBy(() -> full.with(2, site("one-more"))).isInstanceOf(SiteException.class);
        assertThat(full.with(2, site("s0", "t0.example.com")).size()).as("replacing is not adding").isEqualTo(1000);
        assertThat(full.without(2, "s0").with(3, site("one-more")).size()).isEqualTo(1000);
        List<Site> tooMany = new ArrayList<>(sites);
        tooMany.add(site("one-more"));
        assertThatThrownBy(() -> SiteTable.of(1, tooMany)).isInstanceOf(SiteException.class);
    }

    @Test
    void invariantHoldsAfterAnySequenceOfAcceptedChanges() {
        String[] pool = {"a.x.com", "*.x.com", "x.com", "b.x.com", "*.y.x.com", "c.y.x.com", "*.b.x.com"};
        SiteTable t = SiteTable.EMPTY;
        long version = 0;
        java.util.Random random = new java.util.Random(42);
        for (int step = 0; step < 2000; step++) {
            String name = "s" + random.nextInt(4);
            if (random.nextInt(4) == 0) {
                t = t.without(++version, name);
                continue;
            }
            List<String> hosts = new ArrayList<>(Arrays.asList(pool));
            java.util.Collections.shuffle(hosts, random);
            List<String> chosen = new ArrayList<>();
            for (String h : hosts.subList(0, random.nextInt(3))) {
                HostPattern p = HostPattern.parse(h, "h");
                if (chosen.stream().noneMatch(c -> HostPattern.parse(c, "h").overlaps(p))) {
                    chosen.add(h);
                }
            }
            try {
                t = t.with(++version, site(name, chosen.toArray(String[]::new)));
            } catch (SiteException refused) {
                version--; // not applied
            }
            assertThat(t.version()).isEqualTo(version);
            // one host, one site: no two patterns of different sites overlap
            List<Site> sites = t.sites();
            for (Site s1 : sites) {
                for (Site s2 : sites) {
                    if (s1 != s2) {
                        for (HostPattern p1 : s1.hosts()) {
                            for (HostPattern p2 : s2.hosts()) {
                                assertThat(p1.overlaps(p2)).as("%s of %s and %s of %s", p1, s1.name(), p2, s2.name())
                                        .isFalse();
                            }
                        }
                    }
                }
                for (HostPattern p : s1.hosts()) {
                    String probe = p.wildcard() ? "q." + p.domain() : p.domain();
                    assertThat(t.select(probe)).isSameAs(s1);
                }
            }
        }
    }
}
