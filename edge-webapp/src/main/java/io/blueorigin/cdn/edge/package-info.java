/**
 * The edge role: the caching proxy nearest to users. Edge policies (request ids, later signed URLs, rate
 * limits, compression) are hooks on {@link io.blueorigin.cdn.proxy.CachingProxyServlet}.
 */
@NullMarked
package io.blueorigin.cdn.edge;

import org.jspecify.annotations.NullMarked;
