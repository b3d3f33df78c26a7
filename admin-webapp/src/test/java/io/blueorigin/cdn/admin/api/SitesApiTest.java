package io.blueorigin.cdn.admin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blueorigin.cdn.httpcache.site.Site;
import io.blueorigin.cdn.httpcache.site.SiteException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts of {@link SitesApi}: the path name against the body's, and hosts against the other sites. */
class SitesApiTest {
    private static Site site(String name, String... hosts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("hosts", List.of(hosts));
        m.put("origins", List.of(Map.of("url", "http://10.0.0.7")));
        return Site.fromMap(m);
    }

    @Test
    void theBodysNameMayBeLeftOutButNotDiffer() throws ApiException {
        assertThat(SitesApi.definition("img", Map.of("origins", List.of(Map.of("url", "http://o"))))
                .name()).isEqualTo("img");
        assertThat(SitesApi.definition("img", Map.of("name", "img", "origins", List.of(Map.of("url", "http://o"))))
                .name()).isEqualTo("img");
        assertThatThrownBy(() -> SitesApi.definition("img", Map.of("name", 7, "origins", List.of(Map.of("url", "http://o")))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("name");
                });
        assertThatThrownBy(() -> SitesApi.definition("img", "not an object"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("body"));
    }

    @Test
    void aHostOverlappingAnotherSitesIsRefusedNamingItInEitherDirection() {
        Site www = site("www", "www.example.com", "*.cdn.example.com");
        assertThatThrownBy(() -> SitesApi.checkHosts(site("img", "a.example.com", "x.cdn.example.com"), List.of(www)))
                .isInstanceOfSatisfying(SiteException.class, e -> {
                    assertThat(e.field()).isEqualTo("hosts[1]");
                    assertThat(e.getMessage()).contains("claimed by site 'www' (as '*.cdn.example.com')");
                });
        Site exact = site("aaa", "x.img.example.com");
        assertThatThrownBy(() -> SitesApi.checkHosts(site("zzz", "*.img.example.com"), List.of(exact)))
                .isInstanceOfSatisfying(SiteException.class, e -> {
                    assertThat(e.field()).isEqualTo("hosts[0]");
                    assertThat(e.getMessage()).contains("claimed by site 'aaa' (as 'x.img.example.com')");
                });
    }

    @Test
    void disjointHostsAndASiteReplacingItselfPass() {
        Site www = site("www", "www.example.com", "*.cdn.example.com");
        SitesApi.checkHosts(site("img", "img.example.com", "b.a.cdn.example.com", "cdn.example.com"), List.of(www));
        SitesApi.checkHosts(site("www", "www.example.com"), List.of(www));
    }
}
