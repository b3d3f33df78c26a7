/**
 * Choosing and protecting upstreams: the consistent-hash ring of shields with mark-down and origin
 * fallback ({@link io.blueorigin.cdn.proxy.upstream.Upstreams}), and a circuit breaker and a bounded
 * concurrency gate per upstream. Request collapsing lives with the fetches, in {@code Collapser}.
 */
@NullMarked
package io.blueorigin.cdn.proxy.upstream;

import org.jspecify.annotations.NullMarked;
