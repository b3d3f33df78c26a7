/**
 * The JSON API under {@code /api/v1} (docs/control-plane.md): {@link io.blueorigin.cdn.admin.api.AuthFilter}
 * authenticates every request by bearer token, {@link io.blueorigin.cdn.admin.api.ApiServlet} routes it
 * through the table in {@link io.blueorigin.cdn.admin.api.Api} (method, path, scope, handler), and each
 * handler validates its input completely before it touches the database, then runs one transaction.
 * Long-polls park asynchronously in {@link io.blueorigin.cdn.admin.api.LongPolls}.
 */
@NullMarked
package io.blueorigin.cdn.admin.api;

import org.jspecify.annotations.NullMarked;
