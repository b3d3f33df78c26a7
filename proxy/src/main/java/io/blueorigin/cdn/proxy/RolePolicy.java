package io.blueorigin.cdn.proxy;

import io.blueorigin.cdn.runtime.Role;

/**
 * What differs between the two roles that run the caching proxy, as the shared proxy asks it: the client exchange,
 * the handler and the fetcher ask the policy, never {@code isClientFacing()}. The implementations live in the role
 * modules ({@code EdgePolicy} in edge-webapp, {@code ShieldPolicy} in shield-webapp), which pass theirs to
 * {@link ProxyNode#start(ProxyConfig, RolePolicy, ProxyNode.ServletFactory)} or {@code WarNode}; the proxy never
 * derives one from the configuration.
 *
 * <ul>
 *   <li>An <b>edge</b> faces clients: it routes a request by its {@code Host}, names the site to its shields
 *       (signed {@code Blue-Origin-Site}) and drops the fields meant for CDN caches only.</li>
 *   <li>A <b>shield</b> faces edges: it serves the site an edge named, holds an edge's fetch until it has
 *       applied the invalidations that edge has, and fetches a site from the site's own origins (a connection
 *       it cannot make is then {@code origin-unreachable}, the site's trouble).</li>
 * </ul>
 */
public interface RolePolicy {
    /** The role this policy is for: a node's {@code config.identity().role()} must be the same. */
    Role role();

    /** Whether the site comes from the {@code Host} alone (an edge), not from a tier node's signed field. */
    boolean routesByHost();

    /**
     * Whether the node's ring of upstreams is a shield tier that follows admin's registry: an edge's, unless it
     * fetches from the sites' origins itself ({@code upstream.to-origins}).
     */
    boolean hasShieldRing(UpstreamConfig upstream);

    /** Whether an edge's ordering field holds this node's lookups until it caught up (a shield following admin). */
    boolean waitsForEdges(boolean controlEnabled);

    /** Whether a request passed upstream carries the signed site field (an edge, so its shield serves that site). */
    boolean namesSiteUpstream();

    /** Whether a failed fetch of a table site went to the site's own origins (a shield's upstream for it). */
    boolean fetchesSiteOrigins();

    /**
     * Whether this node checks signed URLs: the tier clients reach (an edge). It drops the signature parameters
     * before forwarding, so a shield that checked too would find them missing.
     */
    boolean checksSignatures();

    /** Whether its fetches carry the signed ordering field (an edge following admin: its shield waits to catch up). */
    boolean sendsOrdering(boolean controlEnabled);

    /** Whether a slice request carries {@code If-Range} (an edge: its shield must not answer with another version). */
    boolean sendsIfRangeOnSlices();

    /**
     * Whether a 502/503/504 from upstream counts against it in the breaker: a shield's upstream is the origin, whose
     * gateway errors are its own; an edge's is a shield, which relays the origin's (see Fetcher.onComplete).
     */
    boolean countsGatewayErrorsAgainstUpstream();

    /** Whether it serves clients directly: per-client rate limits, compression, CDN-only fields dropped. */
    boolean facesClients();

    /** The one-letter tier in debug log lines (C2E: client to edge). */
    String tag();

    /** The one-letter tier of its upstream in debug log lines (E2S, S2O). */
    String upstreamTag();
}
