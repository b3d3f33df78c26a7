/**
 * Rate limits per client address at the edge: {@link io.blueorigin.cdn.proxy.ratelimit.RateLimiter} keeps a token
 * bucket per client for the node (POP) and per client and site for sites with their own limit
 * ({@code delivery.rateLimit}), in a table bounded in size whose idle entries expire; the client exchange asks it
 * once per request and answers a refusal with 429 and {@code Retry-After}. Settings: {@code ratelimit.*}
 * ({@link io.blueorigin.cdn.proxy.ratelimit.RateLimitConfig}); docs/rate-limits.md.
 */
@NullMarked
package io.blueorigin.cdn.proxy.ratelimit;

import org.jspecify.annotations.NullMarked;
