package io.blueorigin.cdn.shield;

import io.blueorigin.cdn.proxy.RolePolicy;
import io.blueorigin.cdn.proxy.UpstreamConfig;
import io.blueorigin.cdn.runtime.Role;

/**
 * What the shared caching proxy does differently at a shield. A shield faces edges: it serves the site an edge
 * named, holds an edge's fetch until it has applied the invalidations that edge has, and fetches a site from the
 * site's own origins (a connection it cannot make is then {@code origin-unreachable}, the site's trouble). The
 * reasons, one decision each:
 *
 * <ul>
 *   <li>The site comes from the edge's signed field, not from the {@code Host} alone; it names no site upstream
 *       (its upstream is the origin).</li>
 *   <li>Following admin, an edge's ordering field holds its lookups until it caught up.</li>
 *   <li>It does not check signed URLs: the edge checked them and dropped the signature parameters.</li>
 *   <li>A 502/503/504 from upstream counts against it in the breaker: its upstream is the origin, whose gateway
 *       errors are its own.</li>
 *   <li>Its clients are edges: no per-client rate limits, no compression, CDN-only fields kept.</li>
 * </ul>
 */
public final class ShieldPolicy implements RolePolicy {
    public static final ShieldPolicy INSTANCE = new ShieldPolicy();

    private ShieldPolicy() {}

    @Override
    public Role role() {
        return Role.SHIELD;
    }

    @Override
    public boolean routesByHost() {
        return false;
    }

    @Override
    public boolean hasShieldRing(UpstreamConfig upstream) {
        return false;
    }

    @Override
    public boolean waitsForEdges(boolean controlEnabled) {
        return controlEnabled;
    }

    @Override
    public boolean namesSiteUpstream() {
        return false;
    }

    @Override
    public boolean fetchesSiteOrigins() {
        return true;
    }

    @Override
    public boolean checksSignatures() {
        return false;
    }

    @Override
    public boolean sendsOrdering(boolean controlEnabled) {
        return false;
    }

    @Override
    public boolean sendsIfRangeOnSlices() {
        return false;
    }

    @Override
    public boolean countsGatewayErrorsAgainstUpstream() {
        return true;
    }

    @Override
    public boolean facesClients() {
        return false;
    }

    @Override
    public String tag() {
        return "S";
    }

    @Override
    public String upstreamTag() {
        return "O";
    }
}
