package io.blueorigin.cdn.proxy.site;

import static org.assertj.core.api.Assertions.assertThat;

import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.signing.SignatureCheck.Outcome;
import io.blueorigin.cdn.httpcache.signing.SigningKey;
import io.blueorigin.cdn.httpcache.signing.SigningKeyring;
import io.blueorigin.cdn.httpcache.signing.UrlSigner;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate the client exchange calls: a site's {@code delivery.signing} with the keys the node holds for it
 * (kept across a restart), the default site never checked, and the signature parameters off the key.
 */
class SignatureGateTest {
    private static final long NOW = 1_767_225_600L;
    private static final SigningKey KEY = new SigningKey("k1", new byte[32], SigningKey.CURRENT);
    @TempDir
    Path dir;

    private SiteRouter router() {
        Site v = Site.fromMap(Map.of("name", "v", "hosts", List.of("v.test"), "origins", List.of(Map.of("url",
                "http://127.0.0.1:9101")), "delivery", Map.of("signing", Map.of("rules",
                        List.of(Map.of("prefix", "/private/", "params", List.of("w")))))));
        ProxyConfig c = ProxyConfig.of(NodeIdentity.of(Role.EDGE, "nyc"), ServerConfig.ephemeral(),
                UpstreamConfig.of(URI.create("http://127.0.0.1:9001")))
                .withSites(SiteTable.of(1, List.of(v))).withControl(ControlConfig.of(URI.create("http://127.0.0.1:1"), "t"));
        return new SiteRouter(c, new Upstreams(c.upstream(), System::currentTimeMillis), System::currentTimeMillis,
                new SiteTableFile(dir));
    }

    @Test
    void checksWithTheSitesKeysAndKeysWithoutTheSignature() {
        SiteRouter sites = router();
        SignatureGate gate = new SignatureGate(sites.keyrings());
        ServedSite v = sites.route("v.test");
        RequestTarget signed = UrlSigner.sign(v.signing(), KEY, RequestTarget.parse("/private/a", "w=1"), NOW + 60, NOW);

        assertThat(gate.check(v, signed, NOW).outcome()).as("no keys yet").isEqualTo(Outcome.UNKNOWN_KEY);
        assertThat(gate.check(v, signed, NOW).outcome().errorValue()).isEqualTo("unknown-key");
        sites.keyrings().put("v", new SigningKeyring(List.of(KEY)));
        assertThat(gate.check(v, signed, NOW).outcome()).isEqualTo(Outcome.OK);
        assertThat(gate.check(v, signed, NOW + 61).outcome().errorValue()).isEqualTo("signature-expired");
        assertThat(gate.check(v, RequestTarget.parse("/private/a", "w=1"), NOW).outcome().errorValue())
                .isEqualTo("signature-missing");
        assertThat(gate.check(v, RequestTarget.parse("/private/a", signed.query().replace("w=1", "w=2")), NOW).outcome()
                .errorValue()).isEqualTo("signature-invalid");
        assertThat(gate.check(v, RequestTarget.parse("/public/a", null), NOW).outcome()).isEqualTo(Outcome.NOT_REQUIRED);

        // every signed URL of one object is one key
        RequestTarget other = UrlSigner.sign(v.signing(), KEY, RequestTarget.parse("/private/a", "w=1"), NOW + 30, NOW);
        assertThat(v.keyOf(v.shape(gate.withoutSignature(v, signed))))
                .isEqualTo(v.keyOf(v.shape(gate.withoutSignature(v, other))))
                .isEqualTo("v /private/a?w=1");

        // a restarted node verifies at once with the keys it kept
        SiteRouter restarted = router();
        assertThat(new SignatureGate(restarted.keyrings()).check(restarted.route("v.test"), signed, NOW).outcome())
                .isEqualTo(Outcome.OK);
    }

    @Test
    void theNodesDefaultSiteIsNeverChecked() {
        ProxyConfig c = ProxyConfig.of(NodeIdentity.of(Role.EDGE, "nyc"), ServerConfig.ephemeral(),
                UpstreamConfig.of(URI.create("http://127.0.0.1:9001")));
        SiteRouter sites = new SiteRouter(c, new Upstreams(c.upstream(), System::currentTimeMillis), System::currentTimeMillis,
                null);
        ServedSite builtIn = sites.route("any.test");
        RequestTarget target = RequestTarget.parse("/private/a", "sig=x");
        assertThat(new SignatureGate(sites.keyrings()).check(builtIn, target, NOW).outcome()).isEqualTo(Outcome.NOT_REQUIRED);
        assertThat(new SignatureGate(sites.keyrings()).withoutSignature(builtIn, target)).isSameAs(target);
    }
}
