/**
 * The edge role: the caching proxy nearest to users. The role policy lives here:
 * {@link io.blueorigin.cdn.edge.EdgePolicy}, what the shared proxy ({@link io.blueorigin.cdn.proxy.RolePolicy})
 * does differently at an edge, passed to it by {@link io.blueorigin.cdn.edge.EdgeNode} and
 * {@link io.blueorigin.cdn.edge.EdgeWarNode}.
 */
@NullMarked
package io.blueorigin.cdn.edge;

import org.jspecify.annotations.NullMarked;
