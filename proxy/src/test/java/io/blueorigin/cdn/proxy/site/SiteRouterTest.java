package io.blueorigin.cdn.proxy.site;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.site.Site;
import io.blueorigin.cdn.httpcache.site.SiteTable;
import io.blueorigin.cdn.proxy.ProxyConfig;
import io.blueorigin.cdn.proxy.UpstreamConfig;
import io.blueorigin.cdn.proxy.control.ControlConfig;
import io.blueorigin.cdn.proxy.upstream.Upstreams;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which site serves a host, the default-site rules, one swap per change, and the table kept beside the cache. */
class SiteRouterTest {
    @TempDir
    Path dir;

    private static final URI ORIGIN = URI.create("http://127.0.0.1:9001");

    private static Site site(String name, String... hosts) {
        return Site.fromMap(Map.of("name", name, "hosts", List.of(hosts), "origins",
                List.of(Map.of("url", "http://127.0.0.1:9" + (100 + name.length()))),
                "caching", Map.of("shieldTtlCap", "10s", "query", Map.of("mode", "drop"))));
    }

    private static ProxyConfig config(Role role, String defaultSite, SiteTable sites, boolean followsAdmin) {
        ProxyConfig c = ProxyConfig.of(NodeIdentity.of(role, "nyc"), ServerConfig.ephemeral(), UpstreamConfig.of(ORIGIN));
        c = c.withCache(new io.blueorigin.cdn.proxy.CacheConfig(defaultSite, c.cache().policy(), c.cache().storage(),
                c.cache().collapseTimeout(), c.cache().hitForMissTtl())).withSites(sites);
        return followsAdmin ? c.withControl(ControlConfig.of(URI.create("http://127.0.0.1:1"), "token")) : c;
    }

    private SiteRouter router(ProxyConfig config, SiteTableFile file) {
        return new SiteRouter(config, new Upstreams(config.upstream(), System::currentTimeMillis), System::currentTimeMillis, file);
    }

    @Test
    void withNoSitesEveryHostIsTheNodesOwnSite() {
        SiteRouter r = router(config(Role.SHIELD, "default", SiteTable.EMPTY, false), null);
        for (String host : new String[] {"anything.test", "127.0.0.1:8080", null}) {
            ServedSite s = r.route(host);
            assertThat(s).isNotNull();
            assertThat(s.name()).isEqualTo("default");
            assertThat(s.definition()).isNull();
            assertThat(s.upstreams().all()).extracting(u -> u.url()).containsExactly(ORIGIN);
        }
    }

    @Test
    void anUnclaimedHostGoesToTheSiteNamedByCacheSiteElse421() {
        SiteTable table = SiteTable.of(1, List.of(site("www", "www.test"), site("img", "img.test")));
        SiteRouter withDefault = router(config(Role.SHIELD, "www", table, false), null);
        assertThat(withDefault.route("img.test").name()).isEqualTo("img");
        assertThat(withDefault.route("other.test").name()).isEqualTo("www");
        SiteRouter without = router(config(Role.SHIELD, "default", table, false), null);
        assertThat(without.route("other.test")).isNull();
        assertThat(without.siteFor("other.test")).isNull();
        assertThat(without.route("IMG.test:443").name()).isEqualTo("img");
    }

    @Test
    void aSiteHasItsOwnPolicyOriginsAndKeyRules() {
        SiteRouter shield = router(config(Role.SHIELD, "default", SiteTable.of(1, List.of(site("img", "img.test"))), false), null);
        ServedSite img = shield.route("img.test");
        assertThat(img.upstreams().all()).extracting(u -> u.url().toString()).containsExactly("http://127.0.0.1:9103");
        assertThat(img.upstreams().all().get(0).origin()).isNotNull();
        RequestTarget shaped = img.shape(RequestTarget.parse("/a", "x=1"));
        assertThat(img.keyOf(shaped)).isEqualTo("img /a");
        assertThat(shield.keyOf("img", "/a", "y=2")).isEqualTo("img /a");
        // an edge fetches every site from its shields; the TTL cap is the edge's own
        SiteRouter edge = router(config(Role.EDGE, "default", SiteTable.of(1, List.of(site("img", "img.test"))), false), null);
        assertThat(edge.route("img.test").upstreams().all()).extracting(u -> u.url()).containsExactly(ORIGIN);
    }

    @Test
    void aChangeSwapsTheTableAndKeepsUnchangedSitesWithTheirBreakers() {
        SiteRouter r = router(config(Role.SHIELD, "default", SiteTable.of(1, List.of(site("www", "www.test"),
                site("img", "img.test"))), false), null);
        ServedSite www = r.route("www.test");
        ServedSite img = r.route("img.test");
        r.replace(r.table().with(2, site("img", "img.test", "pics.test")));
        assertThat(r.route("www.test")).isSameAs(www);
        assertThat(r.route("img.test")).isNotSameAs(img);
        assertThat(r.route("pics.test").name()).isEqualTo("img");
        r.replace(r.table().without(3, "img"));
        assertThat(r.route("img.test")).isNull();
        assertThat(r.table().version()).isEqualTo(3);
    }

    @Test
    void aNodeFollowingAdminStartsWithTheTableItKept() throws Exception {
        SiteTableFile file = new SiteTableFile(dir);
        SiteRouter first = router(config(Role.EDGE, "default", SiteTable.EMPTY, true), file);
        first.replace(SiteTable.of(7, List.of(site("img", "img.test"))));
        assertThat(Files.exists(dir.resolve(SiteTableFile.NAME))).isTrue();
        assertThat(Files.exists(dir.resolve(SiteTableFile.NAME + ".tmp"))).isFalse();

        SiteRouter restarted = router(config(Role.EDGE, "default", SiteTable.EMPTY, true), file);
        assertThat(restarted.table().version()).isEqualTo(7);
        assertThat(restarted.route("img.test").name()).isEqualTo("img");
        assertThat(restarted.route("img.test").definition()).isEqualTo(first.table().get("img"));
    }

    @Test
    void anUnreadableKeptTableIsIgnored() throws Exception {
        Files.writeString(dir.resolve(SiteTableFile.NAME), "{\"version\": 3, \"sites\": [{\"name\": \"x\"}]}");
        SiteRouter r = router(config(Role.EDGE, "default", SiteTable.EMPTY, true), new SiteTableFile(dir));
        assertThat(r.table().version()).isZero();
        assertThat(r.route("x.test").name()).isEqualTo("default");
    }
}
