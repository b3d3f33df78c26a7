/** What every node deployed as a WAR shares: finding its configuration, its start and stop in the container. */
@NullMarked
package io.blueorigin.cdn.runtime.war;

import org.jspecify.annotations.NullMarked;
