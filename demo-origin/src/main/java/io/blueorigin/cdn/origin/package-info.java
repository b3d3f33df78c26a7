/**
 * The demo origin: a small, fast, deterministic HTTP origin that the demo topology, the tests and the
 * benchmarks put behind the CDN. {@code /item/{n}} and {@code /article/{n}} are small cacheable pages with
 * validators and surrogate keys; {@code /static/{size}} streams a deterministic body of any size without
 * holding it in memory; {@code /echo/...} reflects a request (no-store); {@code /_origin/stats} counts what
 * reached the origin, which is how every check proves what the CDN absorbed.
 */
@NullMarked
package io.blueorigin.cdn.origin;

import org.jspecify.annotations.NullMarked;
