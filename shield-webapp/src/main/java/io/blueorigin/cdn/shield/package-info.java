/**
 * The shield role: the mid-tier cache in front of the origin, where collapsing and origin protection pay
 * most. Shield policies are hooks on {@link io.blueorigin.cdn.proxy.CachingProxyServlet}.
 */
@NullMarked
package io.blueorigin.cdn.shield;

import org.jspecify.annotations.NullMarked;
