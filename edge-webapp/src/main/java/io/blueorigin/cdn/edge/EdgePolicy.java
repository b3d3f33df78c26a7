package io.blueorigin.cdn.edge;

import io.blueorigin.cdn.proxy.RolePolicy;
import io.blueorigin.cdn.proxy.UpstreamConfig;
import io.blueorigin.cdn.runtime.Role;

/**
 * What the shared caching proxy does differently at an edge. An edge faces clients: it routes a request by its
 * {@code Host}, names the site to its shields (signed {@code Blue-Origin-Site}) and drops the fields meant for CDN
 * caches only. The reasons, one decision each:
 *
 * <ul>
 *   <li>Its upstreams are a shield tier that follows admin's registry, unless it fetches from the sites' origins
 *       itself ({@code upstream.to-origins}).</li>
 *   <li>It checks signed URLs: it is the tier clients reach. It drops the signature parameters before forwarding,
 *       so a shield that checked too would find them missing.</li>
 *   <li>Following admin, its fetches carry the signed ordering field: its shield waits to catch up.</li>
 *   <li>A slice request carries {@code If-Range}: its shield must not answer with another version.</li>
 *   <li>A 502/503/504 from its shield does not count against the shield in the breaker: the shield relays the
 *       origin's, so a failing origin cannot push edges around the shield tier.</li>
 *   <li>It serves clients directly: per-client rate limits, compression, CDN-only fields dropped.</li>
 * </ul>
 */
public final class EdgePolicy implements RolePolicy {
    public static final EdgePolicy INSTANCE = new EdgePolicy();

    private EdgePolicy() {}

    @Override
    public Role role() {
        return Role.EDGE;
    }

    @Override
    public boolean routesByHost() {
        return true;
    }

    @Override
    public boolean hasShieldRing(UpstreamConfig upstream) {
        return !upstream.toOrigins();
    }

    @Override
    public boolean waitsForEdges(boolean controlEnabled) {
        return false;
    }

    @Override
    public boolean namesSiteUpstream() {
        return true;
    }

    @Override
    public boolean fetchesSiteOrigins() {
        return false;
    }

    @Override
    public boolean checksSignatures() {
        return true;
    }

    @Override
    public boolean sendsOrdering(boolean controlEnabled) {
        return controlEnabled;
    }

    @Override
    public boolean sendsIfRangeOnSlices() {
        return true;
    }

    @Override
    public boolean countsGatewayErrorsAgainstUpstream() {
        return false;
    }

    @Override
    public boolean facesClients() {
        return true;
    }

    @Override
    public String tag() {
        return "E";
    }

    @Override
    public String upstreamTag() {
        return "S";
    }
}
