/**
 * Geo routing: where a client is ({@link io.blueorigin.cdn.router.GeoLocator}, a GeoIP2 City lookup of
 * address literals) and which edge should serve it ({@link io.blueorigin.cdn.router.RoutingPolicy}, the
 * nearest healthy edge with a weighted, sticky tie-break). The policy is a pure function of the client's
 * coordinates, its key and the edges' health view: no clock, no I/O, and every decision carries a reason.
 * Bad client input (malformed, private or unknown addresses) never throws; it yields "no location", which
 * routes to the configured default POP.
 *
 * <p>The router node ({@link io.blueorigin.cdn.router.RouterNode}) executes the decisions: HTTP redirects and a
 * JSON explanation ({@code RouterHandler}), DNS answers ({@link io.blueorigin.cdn.router.DnsServer} over
 * {@link io.blueorigin.cdn.router.DnsAnswers}), both through {@link io.blueorigin.cdn.router.Router}, over the
 * health view {@link io.blueorigin.cdn.router.HealthFollower} keeps from admin. docs/routing.md describes it.
 */
@NullMarked
package io.blueorigin.cdn.router;

import org.jspecify.annotations.NullMarked;
