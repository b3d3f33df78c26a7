package io.blueorigin.cdn.router;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.runtime.IpLiterals;
import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * A router node's configuration. Every check names the setting to change.
 *
 * @param identity the node (role {@link Role#ROUTER})
 * @param server traffic and management listeners ({@code server.*}, {@code management.*})
 * @param adminUrls admin's base URL, whose {@code /api/v1/routing} the router follows ({@code routing.admin-url}); with
 *     several replicas (one PostgreSQL behind them) the router follows one and moves to the next when it stops
 *     answering
 * @param token a bearer token admin accepts for that endpoint: scope {@code read}, or a node token
 *     ({@code routing.token}); required, the router cannot follow admin without it
 * @param geoipDb the GeoIP2/GeoLite2 City database ({@code routing.geoip-db})
 * @param defaultPop the POP serving clients that cannot be located, or null for any ({@code routing.default-pop})
 * @param toleranceKm absolute width of the nearest band ({@code routing.tolerance-km}, default 50)
 * @param toleranceFraction relative width of the nearest band ({@code routing.tolerance-fraction}, default 0.10)
 * @param trustedProxies peers whose forwarding headers name the client ({@code routing.trusted-proxies}, default none)
 * @param pollWait how long one long-poll waits at admin ({@code routing.poll-wait}, 1..30 s, default 25 s)
 * @param dnsPort UDP and TCP port of the DNS server, 0 for a free one (tests), null for no DNS server
 *     ({@code routing.dns-port}, whose 0 means none: the launcher maps it to null)
 * @param dnsBindAddress the address the DNS server binds ({@code routing.dns-bind-address}, default 127.0.0.1)
 * @param dnsHostname the name answered for, e.g. {@code cdn.demo.test} ({@code routing.dns-hostname}); other names
 *     are refused
 * @param dnsTtl the TTL of answers ({@code routing.dns-ttl}, 1 s..1 h, default 20 s)
 * @param viewFile where the last view is kept, so a router restarted while admin is down still routes, or null
 *     ({@code routing.view-file})
 */
public record RouterConfig(
        NodeIdentity identity,
        ServerConfig server,
        List<URI> adminUrls,
        String token,
        Path geoipDb,
        @Nullable String defaultPop,
        double toleranceKm,
        double toleranceFraction,
        List<Cidr> trustedProxies,
        Duration pollWait,
        @Nullable Integer dnsPort,
        String dnsBindAddress,
        String dnsHostname,
        Duration dnsTtl,
        @Nullable Path viewFile) {

    public static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(25);
    public static final Duration DEFAULT_DNS_TTL = Duration.ofSeconds(20);
    public static final String DEFAULT_DNS_HOSTNAME = "cdn.demo.test";

    public RouterConfig {
        requireNonNull(identity, "identity is null");
        requireNonNull(server, "server is null");
        adminUrls = List.copyOf(adminUrls);
        requireNonNull(token, "token is null");
        requireNonNull(geoipDb, "geoipDb is null");
        requireNonNull(trustedProxies, "trustedProxies is null");
        requireNonNull(pollWait, "pollWait is null");
        requireNonNull(dnsBindAddress, "dnsBindAddress is null");
        requireNonNull(dnsHostname, "dnsHostname is null");
        requireNonNull(dnsTtl, "dnsTtl is null");
        if (identity.role() != Role.ROUTER) {
            throw new IllegalArgumentException("node.role : " + identity.role().label() + " (expected: router)");
        }
        if (adminUrls.isEmpty()) {
            throw new IllegalArgumentException("routing.admin-url : none given (expected: admin's http(s) base URL, e.g."
                    + " http://127.0.0.1:9000, or several replicas, comma-separated)");
        }
        for (URI adminUrl : adminUrls) {
            String scheme = adminUrl.getScheme() == null ? "" : adminUrl.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || adminUrl.getHost() == null
                    || adminUrl.getRawQuery() != null) {
                throw new IllegalArgumentException("routing.admin-url : " + adminUrl
                        + " (expected: admin's http(s) base URL, e.g. http://127.0.0.1:9000)");
            }
        }
        if (adminUrls.stream().distinct().count() != adminUrls.size()) {
            throw new IllegalArgumentException("routing.admin-url : " + adminUrls + " lists a replica twice (expected: each"
                    + " admin replica once)");
        }
        if (token.isBlank() || token.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("routing.token : the token is " + (token.isBlank() ? "empty" : "not printable ASCII")
                    + " (expected: an admin API token with scope read, or a node token; the router cannot follow admin's"
                    + " health view without one)");
        }
        // RoutingPolicy checks default-pop and the tolerances with the same keys; check them here too, at config time
        new RoutingPolicy(defaultPop, toleranceKm, toleranceFraction);
        trustedProxies = List.copyOf(trustedProxies);
        if (pollWait.compareTo(Duration.ofSeconds(1)) < 0 || pollWait.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("routing.poll-wait : " + pollWait + " (expected: 1s..30s, admin's limit)");
        }
        if (dnsPort != null && (dnsPort < 0 || dnsPort > 65_535)) {
            throw new IllegalArgumentException("routing.dns-port : " + dnsPort + " (expected: 0 for no DNS, or 1..65535)");
        }
        if (IpLiterals.parse(dnsBindAddress).isEmpty()) {
            throw new IllegalArgumentException("routing.dns-bind-address : '" + dnsBindAddress
                    + "' (expected: an IP address literal such as 127.0.0.1 or 0.0.0.0)");
        }
        zone(dnsHostname);
        if (dnsTtl.compareTo(Duration.ofSeconds(1)) < 0 || dnsTtl.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("routing.dns-ttl : " + dnsTtl + " (expected: 1s..1h)");
        }
    }

    /**
     * A configuration with the defaults: no default POP, the default tolerances, no trusted proxy, 25 s polls,
     * no DNS (port 0; hostname {@value #DEFAULT_DNS_HOSTNAME}, 127.0.0.1, TTL 20 s when turned on), no view file.
     */
    public static RouterConfig of(NodeIdentity identity, ServerConfig server, URI adminUrl, String token, Path geoipDb) {
        return of(identity, server, List.of(adminUrl), token, geoipDb);
    }

    /** As {@link #of(NodeIdentity, ServerConfig, URI, String, Path)}, following any of several admin replicas. */
    public static RouterConfig of(NodeIdentity identity, ServerConfig server, List<URI> adminUrls, String token, Path geoipDb) {
        return new RouterConfig(identity, server, adminUrls, token, geoipDb, null, RoutingPolicy.DEFAULT_TOLERANCE_KM,
                RoutingPolicy.DEFAULT_TOLERANCE_FRACTION, List.of(), DEFAULT_POLL_WAIT, null, "127.0.0.1",
                DEFAULT_DNS_HOSTNAME, DEFAULT_DNS_TTL, null);
    }

    public RouterConfig withDefaultPop(@Nullable String pop) {
        return new RouterConfig(identity, server, adminUrls, token, geoipDb, pop, toleranceKm, toleranceFraction,
                trustedProxies, pollWait, dnsPort, dnsBindAddress, dnsHostname, dnsTtl, viewFile);
    }

    public RouterConfig withTolerance(double km, double fraction) {
        return new RouterConfig(identity, server, adminUrls, token, geoipDb, defaultPop, km, fraction,
                trustedProxies, pollWait, dnsPort, dnsBindAddress, dnsHostname, dnsTtl, viewFile);
    }

    public RouterConfig withTrustedProxies(List<Cidr> proxies) {
        return new RouterConfig(identity, server, adminUrls, token, geoipDb, defaultPop, toleranceKm, toleranceFraction,
                proxies, pollWait, dnsPort, dnsBindAddress, dnsHostname, dnsTtl, viewFile);
    }

    public RouterConfig withPollWait(Duration wait) {
        return new RouterConfig(identity, server, adminUrls, token, geoipDb, defaultPop, toleranceKm, toleranceFraction,
                trustedProxies, wait, dnsPort, dnsBindAddress, dnsHostname, dnsTtl, viewFile);
    }

    /** DNS on {@code port} (0: a free port, as tests want; {@code routing.dns-port} 0 means none, see NodeConfigs). */
    public RouterConfig withDns(int port, String bindAddress, String hostname, Duration ttl) {
        return new RouterConfig(identity, server, adminUrls, token, geoipDb, defaultPop, toleranceKm, toleranceFraction,
                trustedProxies, pollWait, port, bindAddress, hostname, ttl, viewFile);
    }

    /** No DNS server when {@code off} (a {@code routing.dns-port} of 0); else this. */
    public RouterConfig withoutDnsIf(boolean off) {
        return !off ? this : new RouterConfig(identity, server, adminUrls, token, geoipDb, defaultPop, toleranceKm,
                toleranceFraction, trustedProxies, pollWait, null, dnsBindAddress, dnsHostname, dnsTtl, viewFile);
    }

    public RouterConfig withViewFile(@Nullable Path file) {
        return new RouterConfig(identity, server, adminUrls, token, geoipDb, defaultPop, toleranceKm, toleranceFraction,
                trustedProxies, pollWait, dnsPort, dnsBindAddress, dnsHostname, dnsTtl, file);
    }

    /** Parses {@code routing.trusted-proxies} entries strictly; the error names the key and the bad entry. */
    public static List<Cidr> trustedProxies(List<String> entries) {
        return entries.stream().map(entry -> {
            try {
                return Cidr.parse(entry.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("routing.trusted-proxies : " + e.getMessage(), e);
            }
        }).toList();
    }

    /** The routing policy these settings describe. */
    public RoutingPolicy policy() {
        return new RoutingPolicy(defaultPop, toleranceKm, toleranceFraction);
    }

    /** {@link #dnsHostname} as an absolute DNS name. */
    public Name dnsZone() {
        return zone(dnsHostname);
    }

    private static Name zone(String hostname) {
        String absolute = hostname.endsWith(".") ? hostname : hostname + ".";
        try {
            Name name = Name.fromString(absolute);
            if (name.labels() < 2 || hostname.isBlank()) {
                throw new TextParseException("the root");
            }
            return name;
        } catch (TextParseException e) {
            throw new IllegalArgumentException("routing.dns-hostname : '" + hostname
                    + "' (expected: a DNS name such as cdn.demo.test; " + e.getMessage() + ")");
        }
    }
}
