/** The two-level store: the heap tier in front of the disk tier, with promotion and write-through. */
@NullMarked
package io.blueorigin.cdn.storage.tiered;

import org.jspecify.annotations.NullMarked;
