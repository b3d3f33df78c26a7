/** The heap tier: stored objects in a Caffeine cache bounded in bytes. */
@NullMarked
package io.blueorigin.cdn.storage.heap;

import org.jspecify.annotations.NullMarked;
