/** admin.war: the same {@link io.blueorigin.cdn.admin.AdminCore} in a servlet container. */
@NullMarked
package io.blueorigin.cdn.admin.war;

import org.jspecify.annotations.NullMarked;
