/** edge.war and shield.war: the same {@link io.blueorigin.cdn.proxy.ProxyCore} in a servlet container. */
@NullMarked
package io.blueorigin.cdn.proxy.war;

import org.jspecify.annotations.NullMarked;
