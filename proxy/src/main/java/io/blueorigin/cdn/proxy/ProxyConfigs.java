package io.blueorigin.cdn.proxy;

import static io.blueorigin.cdn.config.NodeConfigs.build;
import static io.blueorigin.cdn.config.NodeConfigs.choice;
import static io.blueorigin.cdn.config.NodeConfigs.identity;
import static io.blueorigin.cdn.config.NodeConfigs.server;
import static io.blueorigin.cdn.config.NodeConfigs.sites;

import io.blueorigin.cdn.config.ConfigValues;
import io.blueorigin.cdn.httpcache.CachePolicyConfig;
import io.blueorigin.cdn.httpcache.DataSize;
import io.blueorigin.cdn.httpcache.encoding.Coding;
import io.blueorigin.cdn.httpcache.encoding.CompressionPolicy;
import io.blueorigin.cdn.httpcache.site.SiteRateLimit;
import io.blueorigin.cdn.proxy.control.ControlConfig;
import io.blueorigin.cdn.proxy.control.Placement;
import io.blueorigin.cdn.proxy.ratelimit.RateLimitConfig;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.storage.StorageConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Maps validated {@link ConfigValues} into an edge's or shield's {@link ProxyConfig}: the launcher and the
 * WARs build their proxy nodes through this one mapping.
 */
public final class ProxyConfigs {
    private ProxyConfigs() {}

    public static ProxyConfig proxy(ConfigValues v) {
        return build(v, () -> {
            @SuppressWarnings("unchecked")
            List<URI> upstreams = v.required("upstream.url", List.class, v.role() == Role.EDGE
                    ? "the shield(s) or origin to fetch from, e.g. --upstream http://127.0.0.1:8082"
                    : "the origin to fetch from, e.g. --upstream http://127.0.0.1:9001");
            UpstreamConfig upstreamConfig = new UpstreamConfig(upstreams,
                    v.get("upstream.fallback-url", URI.class),
                    v.value("upstream.connect-timeout", Duration.class),
                    v.value("upstream.read-timeout", Duration.class),
                    v.value("upstream.max-connections", Integer.class),
                    v.value("upstream.down-time", Duration.class),
                    v.value("upstream.max-concurrent", Integer.class),
                    v.value("upstream.max-queued", Integer.class),
                    v.value("upstream.breaker.failures", Integer.class),
                    v.value("upstream.breaker.open-time", Duration.class),
                    v.get("upstream.max-concurrent-pass", Integer.class).orElseGet(() ->
                            UpstreamConfig.defaultMaxConcurrentPass(v.value("upstream.max-concurrent", Integer.class))),
                    v.value("upstream.pass-timeout", Duration.class))
                    .withToOrigins(v.role() == Role.EDGE && v.value("upstream.to-origins", Boolean.class));
            return new ProxyConfig(identity(v), server(v), upstreamConfig, cache(v), control(v), forwarding(v))
                    .withSites(sites(v))
                    .withRateLimit(rateLimit(v))
                    .withCompression(v.role() == Role.EDGE ? compression(v) : CompressionPolicy.off())
                    .withUrlPatterns(urlPatterns(v));
        });
    }

    /** The {@code stats.url-patterns} of an edge or shield; a bad pattern is an error naming the key and the file. */
    @SuppressWarnings("unchecked")
    public static UrlPatterns urlPatterns(ConfigValues v) {
        return build(v, () -> UrlPatterns.of(v.value(UrlPatterns.KEY, List.class)));
    }

    /** The {@code forwarding.*} keys of an edge or shield. */
    @SuppressWarnings("unchecked")
    public static ForwardingConfig forwarding(ConfigValues v) {
        return build(v, () -> new ForwardingConfig(v.value("forwarding.strip-fields", List.class),
                v.value("forwarding.trusted-proxies", List.class)));
    }

    /** The {@code ratelimit.*} keys of an edge; a shield's are the defaults (its clients are edges). */
    public static RateLimitConfig rateLimit(ConfigValues v) {
        if (v.role() != Role.EDGE) {
            return RateLimitConfig.defaults();
        }
        return build(v, () -> new RateLimitConfig(v.value("ratelimit.enabled", Boolean.class),
                v.value("ratelimit.rate", Integer.class), v.value("ratelimit.period", Duration.class),
                v.value("ratelimit.burst", Integer.class),
                choice(v.value("ratelimit.applies-to", String.class), "ratelimit.applies-to", SiteRateLimit.AppliesTo.class),
                v.value("ratelimit.max-entries", Integer.class), v.value("ratelimit.idle-expiry", Duration.class)));
    }

    /**
     * The {@code compression.*} keys of an edge, as the policy its compressor and variant selection follow
     * (docs/compression.md); {@link CompressionPolicy#off()} when
     * {@code compression.enabled} is false or {@code compression.codings} is empty.
     */
    @SuppressWarnings("unchecked")
    public static CompressionPolicy compression(ConfigValues v) {
        return build(v, () -> {
            Set<Coding> codings =
                    EnumSet.noneOf(Coding.class);
            for (String token : (List<String>) v.value("compression.codings", List.class)) {
                Coding coding = Coding.of(token)
                        .filter(c -> c != Coding.IDENTITY)
                        .orElseThrow(() -> new IllegalArgumentException("compression.codings : '" + token
                                + "' (expected: br, gzip or both, comma-separated)"));
                codings.add(coding);
            }
            if (!v.value("compression.enabled", Boolean.class)) {
                codings.clear();
            }
            return new CompressionPolicy(codings,
                    (List<String>) v.value("compression.types", List.class),
                    v.value("compression.min-size", DataSize.class).bytes(),
                    v.value("compression.max-size", DataSize.class).bytes(),
                    v.value("compression.gzip-level", Integer.class),
                    v.value("compression.brotli-quality", Integer.class));
        });
    }

    /** The {@code control.*} keys of an edge or shield. */
    @SuppressWarnings("unchecked")
    public static ControlConfig control(ConfigValues v) {
        return build(v, () -> new ControlConfig(
                (List<URI>) v.get("control.admin-url", List.class).orElse(List.of()), v.get("control.token", String.class),
                v.value("control.heartbeat-interval", Duration.class), v.value("control.poll-wait", Duration.class),
                v.value("control.ordering-wait", Duration.class), v.value("control.startup-wait", Duration.class),
                placement(v), v.get("upstream.shields-from-registry", Boolean.class).orElse(false)));
    }

    /** The {@code node.*} keys a proxy node registers for routing. */
    @SuppressWarnings("unchecked")
    private static Placement placement(ConfigValues v) {
        return new Placement(v.get("node.latitude", Double.class).orElse(null),
                v.get("node.longitude", Double.class).orElse(null), v.value("node.weight", Integer.class),
                v.get("node.public-url", URI.class), (List<String>) v.value("node.addresses", List.class),
                v.get("node.advertised-host", String.class));
    }

    public static CacheConfig cache(ConfigValues v) {
        return build(v, () -> {
            List<String> targeted = new ArrayList<>();
            v.get("cache.targeted-header", String.class).filter(h -> !h.isBlank()).ifPresent(h -> {
                if (!h.matches("[A-Za-z0-9-]{1,64}")) {
                    throw new IllegalArgumentException("cache.targeted-header : '" + h
                            + "' (expected: a header field name such as Acme-Cache-Control)");
                }
                targeted.add(h);
            });
            targeted.add("CDN-Cache-Control");
            CachePolicyConfig policy = new CachePolicyConfig(
                    v.value("cache.ttl-cap", Duration.class).toMillis(),
                    0.1,
                    v.value("cache.heuristic-max", Duration.class).toMillis(),
                    v.value("cache.negative-ttl", Duration.class).toMillis(),
                    v.value("cache.error-ttl", Duration.class).toMillis(),
                    v.value("cache.max-stale-on-error", Duration.class).toMillis(),
                    choice(v.value("cache.request-no-cache", String.class), "cache.request-no-cache",
                            CachePolicyConfig.RequestNoCache.class),
                    choice(v.value("cache.set-cookie", String.class), "cache.set-cookie", CachePolicyConfig.SetCookie.class),
                    targeted);
            return new CacheConfig(v.value("cache.site", String.class), policy, storage(v),
                    v.value("cache.collapse-timeout", Duration.class), v.value("cache.hit-for-miss-ttl", Duration.class),
                    v.value("cache.slice-size", DataSize.class).bytes());
        });
    }

    /**
     * The {@code store.*} keys. The heap tier's defaults follow the JVM heap, and may not exceed half of it;
     * heap tier, disk index and in-flight budget together may not exceed three quarters of it.
     */
    public static StorageConfig storage(ConfigValues v) {
        return build(v, () -> {
            long jvmHeap = Runtime.getRuntime().maxMemory();
            long heap = v.get("store.heap.max-size", DataSize.class).map(DataSize::bytes)
                    .orElse(Math.max(4L << 20, Math.min(256L << 20, jvmHeap / 4)));
            if (heap > jvmHeap / 2) {
                throw new IllegalArgumentException("store.heap.max-size : " + DataSize.ofBytes(heap)
                        + " (expected: at most half the JVM heap, " + DataSize.ofBytes(jvmHeap / 2)
                        + "; raise -Xmx or lower the setting)");
            }
            long heapObject = v.get("store.heap.max-object-size", DataSize.class).map(DataSize::bytes)
                    .orElse(Math.min(8L << 20, heap / 4));
            long chunk = v.value("store.chunk-size", DataSize.class).bytes();
            Optional<java.nio.file.Path> disk = v.get("store.disk.path", java.nio.file.Path.class);
            long maxObject = v.value("store.max-object-size", DataSize.class).bytes();
            long diskMax = v.value("store.disk.max-size", DataSize.class).bytes();
            long inFlight = v.get("store.in-flight.max-size", DataSize.class).map(DataSize::bytes)
                    .orElse(Math.max(StorageConfig.defaultInFlightBytes(), 4 * chunk));
            long index = v.get("store.disk.index-max-size", DataSize.class).map(DataSize::bytes)
                    .orElse(StorageConfig.defaultDiskIndexBytes());
            // the heap tier, the disk index and bodies in transit share the JVM heap with Jetty and the rest
            long memory = heap + (disk.isPresent() ? index : 0) + inFlight;
            if (memory > jvmHeap / 4 * 3) {
                throw new IllegalArgumentException("store.in-flight.max-size : " + DataSize.ofBytes(inFlight)
                        + " (expected: store.heap.max-size " + DataSize.ofBytes(heap)
                        + (disk.isPresent() ? " + store.disk.index-max-size " + DataSize.ofBytes(index) : "")
                        + " + store.in-flight.max-size at most three quarters of the JVM heap, " + DataSize.ofBytes(jvmHeap / 4 * 3)
                        + "; raise -Xmx or lower them)");
            }
            return new StorageConfig(heap, heapObject, disk, disk.isPresent() ? diskMax : 0,
                    disk.isPresent() ? maxObject : Math.min(maxObject, heapObject), (int) Math.min(Integer.MAX_VALUE, chunk),
                    inFlight, index);
        });
    }
}
