package io.blueorigin.cdn.launcher;

import static io.blueorigin.cdn.config.NodeConfigs.build;
import static io.blueorigin.cdn.config.NodeConfigs.identity;
import static io.blueorigin.cdn.config.NodeConfigs.server;

import io.blueorigin.cdn.config.ConfigValues;
import io.blueorigin.cdn.origin.OriginConfig;
import io.blueorigin.cdn.router.RouterConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Maps validated {@link ConfigValues} into a router's and a demo origin's config records. */
public final class RoleConfigs {
    private RoleConfigs() {}

    /** The {@code routing.*} keys of a router node. */
    @SuppressWarnings("unchecked")
    public static RouterConfig router(ConfigValues v) {
        return build(v, () -> RouterConfig.of(identity(v), server(v),
                        (List<URI>) v.required("routing.admin-url", List.class, "the admin whose routing view to follow, e.g."
                                + " http://127.0.0.1:9000 (several replicas: comma-separated)"),
                        v.required("routing.token", String.class, "a token of scope read (POST /api/v1/tokens on admin); set "
                                + "it in the CDN_ROUTING_TOKEN environment variable rather than in a file"),
                        v.required("routing.geoip-db", Path.class, "a GeoIP2 or GeoLite2 City .mmdb file"))
                .withDefaultPop(v.get("routing.default-pop", String.class).orElse(null))
                .withTolerance(v.value("routing.tolerance-km", Double.class), v.value("routing.tolerance-fraction", Double.class))
                .withTrustedProxies(RouterConfig.trustedProxies((List<String>) v.value("routing.trusted-proxies", List.class)))
                .withPollWait(v.value("routing.poll-wait", Duration.class))
                .withDns(v.value("routing.dns-port", Integer.class), v.value("routing.dns-bind-address", String.class),
                        v.value("routing.dns-hostname", String.class), v.value("routing.dns-ttl", Duration.class))
                .withoutDnsIf(v.value("routing.dns-port", Integer.class) == 0)
                .withViewFile(v.get("routing.view-file", Path.class).orElse(null)));
    }

    public static OriginConfig origin(ConfigValues v) {
        return build(v, () -> new OriginConfig(identity(v), server(v),
                v.value("origin.delay", Duration.class),
                v.value("origin.page-max-age", Duration.class),
                v.value("origin.static-max-age", Duration.class),
                v.get("origin.site", String.class).orElse("")));
    }
}
