/**
 * The caching reverse proxy that edge and shield both run: {@link io.blueorigin.cdn.proxy.CachingProxyServlet}
 * (a Jetty {@code AsyncProxyServlet}) and the assembly of a proxy node around it. Requests and responses are
 * named by their hop: {@code clientToEdgeRequest}, {@code edgeToShieldRequest}, {@code shieldToOriginRequest},
 * {@code originToShieldResponse}, {@code edgeToClientResponse}; in code shared by both roles,
 * {@code clientRequest} (into this node), {@code upstreamRequest} (out of it), {@code upstreamResponse} and
 * {@code clientResponse}.
 */
@NullMarked
package io.blueorigin.cdn.proxy;

import org.jspecify.annotations.NullMarked;
