package io.blueorigin.cdn.proxy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.httpcache.CachedResponse;
import io.blueorigin.cdn.httpcache.VaryKey;
import io.blueorigin.cdn.httpcache.site.Site;
import io.blueorigin.cdn.httpcache.site.SiteException;
import io.blueorigin.cdn.httpcache.site.SiteTable;
import io.blueorigin.cdn.storage.CacheStore;
import io.blueorigin.cdn.storage.ObjectWriter;
import io.blueorigin.cdn.storage.StorageConfig;
import io.blueorigin.cdn.storage.tiered.TieredStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Invalidations scoped to a site touch that site's objects only; site changes from the log change the table
 * (once, in log order) and a removed site's objects go. Against a real store; keys are {@code site + " " + path}.
 */
class SiteInvalidationsTest {
    private static final long NOW = 1_000_000;
    private CacheStore store;
    private final LocalInvalidations local = new LocalInvalidations();
    private final SiteDirectory sites = SiteDirectory.single("www");
    private Invalidator invalidator;

    private static Site site(String name, String... hosts) {
        return Site.fromMap(Map.of("name", name, "hosts", List.of(hosts), "origins", List.of(Map.of("url",
                "http://127.0.0.1:9" + name.length())), "caching", Map.of("query", Map.of("mode", "sorted"))));
    }

    @BeforeEach
    void open() {
        store = TieredStore.open(new StorageConfig(8L << 20, 1L << 20, Optional.empty(), 0, 4L << 20, 16 * 1024), "test");
        invalidator = new Invalidator(store, sites, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), local);
        sites.replace(SiteTable.of(3, List.of(site("www", "www.test"), site("img", "img.test", "*.img.test"))));
        for (String site : List.of("www", "img")) {
            put(site + " /a", "t1");
            put(site + " /b", "t2");
            put(site + " /q?a=1&b=2", "t1");
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void put(String key, String... tags) {
        CachedResponse r = new CachedResponse(200, List.of(), NOW - 10, NOW - 10, 0, 60_000, 0, 0, false, false, false,
                Optional.empty(), -1, -1, List.of(), VaryKey.NONE, List.of(tags), 3);
        ObjectWriter w = store.begin(key, r, 3);
        w.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        w.commit(r);
    }

    private List<String> keys() {
        return store.primaryKeys().stream().sorted().toList();
    }

    private boolean fresh(String key) {
        var v = store.lookup(key);
        return !v.isEmpty() && v.all().get(0).response().isFresh(NOW);
    }

    private static Invalidation scoped(Invalidation.Kind kind, boolean soft, List<Invalidation.Url> urls, List<String> tags,
            String site) {
        return new Invalidation(9, kind, soft, urls, tags, Optional.empty(), site, null);
    }

    @Test
    void aUrlWithAHostPurgesInTheSiteClaimingIt() {
        invalidator.apply(new Invalidation(9, Invalidation.Kind.PURGE, false,
                List.of(new Invalidation.Url("A.IMG.test", "/a", null)), List.of(), Optional.empty()));
        assertThat(keys()).doesNotContain("img /a").contains("www /a");
    }

    @Test
    void aPathPurgesInTheEntrysSiteElseTheDefaultSite() {
        invalidator.apply(scoped(Invalidation.Kind.PURGE, false, List.of(new Invalidation.Url(null, "/a", null)), List.of(), "img"));
        assertThat(keys()).doesNotContain("img /a").contains("www /a");
        invalidator.apply(new Invalidation(10, Invalidation.Kind.PURGE, false, List.of(new Invalidation.Url(null, "/b", null)),
                List.of(), Optional.empty()));
        assertThat(keys()).doesNotContain("www /b").contains("img /b");
    }

    @Test
    void aUrlPurgeAppliesTheSitesQueryPolicyToFindTheKey() {
        // the sites sort their query: a purge of ?b=2&a=1 is a purge of the object stored under ?a=1&b=2
        invalidator.apply(scoped(Invalidation.Kind.PURGE, false, List.of(new Invalidation.Url(null, "/q", "b=2&a=1")),
                List.of(), "img"));
        assertThat(keys()).doesNotContain("img /q?a=1&b=2").contains("www /q?a=1&b=2");
    }

    @Test
    void aTagPurgeOfOneSiteLeavesTheOthersTaggedObjects() {
        assertThat(invalidator.apply(scoped(Invalidation.Kind.PURGE_TAGS, false, List.of(), List.of("t1"), "www"))).isEqualTo(2);
        assertThat(keys()).containsExactly("img /a", "img /b", "img /q?a=1&b=2", "www /b");
        assertThat(invalidator.apply(scoped(Invalidation.Kind.PURGE_TAGS, true, List.of(), List.of("t2"), "img"))).isEqualTo(1);
        assertThat(fresh("img /b")).isFalse();
        assertThat(fresh("www /b")).isTrue();
    }

    @Test
    void aPurgeAllOfOneSiteLeavesTheOthers() {
        assertThat(invalidator.apply(scoped(Invalidation.Kind.PURGE_ALL, true, List.of(), List.of(), "img"))).isEqualTo(3);
        assertThat(fresh("img /a")).isFalse();
        assertThat(fresh("www /a")).isTrue();
        assertThat(invalidator.apply(scoped(Invalidation.Kind.PURGE_ALL, false, List.of(), List.of(), "img"))).isEqualTo(3);
        assertThat(keys()).containsExactly("www /a", "www /b", "www /q?a=1&b=2");
    }

    @Test
    void aBanOfOneSiteMatchesThatSitesKeysOnly() {
        Ban ban = new Ban(9, "prefix", "/", "img", NOW, NOW + 60_000);
        assertThat(ban.bans("img /a", NOW - 10)).isTrue();
        assertThat(ban.bans("www /a", NOW - 10)).isFalse();
        invalidator.apply(new Invalidation(9, Invalidation.Kind.BAN, false, List.of(), List.of(),
                Optional.of(new Invalidation.BanSpec("prefix", "/", Instant.ofEpochMilli(NOW + 60_000))), "img", null));
        assertThat(keys()).containsExactly("www /a", "www /b", "www /q?a=1&b=2");
    }

    @Test
    void siteChangesApplyInLogOrderAndOnlyOnce() {
        Site video = site("video", "video.test");
        invalidator.apply(new Invalidation(4, Invalidation.Kind.SITE_PUT, false, List.of(), List.of(), Optional.empty(),
                "video", video));
        assertThat(sites.table().version()).isEqualTo(4);
        assertThat(sites.siteFor("video.test")).isEqualTo("video");
        // an entry at or below the table's version is already in it (registration's copy): not applied again
        invalidator.apply(new Invalidation(2, Invalidation.Kind.SITE_REMOVE, false, List.of(), List.of(), Optional.empty(),
                "video", null));
        assertThat(sites.table().get("video")).isEqualTo(video);
        assertThat(sites.table().version()).isEqualTo(4);
    }

    @Test
    void aRemovedSitesObjectsGoAndItsHostsFallToTheDefaultSite() {
        int removed = invalidator.apply(new Invalidation(5, Invalidation.Kind.SITE_REMOVE, false, List.of(), List.of(),
                Optional.empty(), "img", null));
        assertThat(removed).isEqualTo(3);
        assertThat(keys()).containsExactly("www /a", "www /b", "www /q?a=1&b=2");
        assertThat(sites.table().get("img")).isNull();
        assertThat(sites.table().version()).isEqualTo(5);
    }

    @Test
    void aSiteTakingAnotherSitesHostIsRefusedAndTheTableStaysAsItWas() {
        SiteTable before = sites.table();
        Invalidation thief = new Invalidation(6, Invalidation.Kind.SITE_PUT, false, List.of(), List.of(), Optional.empty(),
                "thief", site("thief", "a.img.test"));
        assertThatThrownBy(() -> invalidator.apply(thief)).isInstanceOf(SiteException.class).hasMessageContaining("img");
        assertThat(sites.table()).isSameAs(before);
    }
}
