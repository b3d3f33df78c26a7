/**
 * A proxy node's part of the control plane (docs/control-plane.md): the agent that follows admin's
 * invalidation log ({@link io.blueorigin.cdn.proxy.control.InvalidationAgent}), what applies entries to the
 * store ({@link io.blueorigin.cdn.proxy.control.Invalidator}), what the request path screens stored objects
 * with ({@link io.blueorigin.cdn.proxy.control.LocalInvalidations}: bans, soft purge-all, the last id
 * applied), and the edge's {@code PURGE} method ({@link io.blueorigin.cdn.proxy.control.PurgeRequests}).
 */
@NullMarked
package io.blueorigin.cdn.proxy.control;

import org.jspecify.annotations.NullMarked;
