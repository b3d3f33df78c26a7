package io.blueorigin.cdn.proxy;

import io.blueorigin.cdn.runtime.Role;

/**
 * A role policy for proxy's own tests, which cannot see the role modules (edge-webapp depends on proxy). These
 * tests check what the shared proxy does with a policy's answers; which answers a role gives is pinned where the
 * role lives ({@code EdgePolicyTest}, {@code ShieldPolicyTest}).
 */
final class TestPolicies {
    private TestPolicies() {}

    /** An edge's answers, as {@code io.blueorigin.cdn.edge.EdgePolicy} gives them. */
    static final RolePolicy EDGE = new RolePolicy() {
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
    };
}
