/**
 * The shield role: the mid-tier cache in front of the origin, where collapsing and origin protection pay
 * most. The role policy lives here: {@link io.blueorigin.cdn.shield.ShieldPolicy}, what the shared proxy
 * ({@link io.blueorigin.cdn.proxy.RolePolicy}) does differently at a shield, passed to it by
 * {@link io.blueorigin.cdn.shield.ShieldNode} and {@link io.blueorigin.cdn.shield.ShieldWarNode}.
 */
@NullMarked
package io.blueorigin.cdn.shield;

import org.jspecify.annotations.NullMarked;
