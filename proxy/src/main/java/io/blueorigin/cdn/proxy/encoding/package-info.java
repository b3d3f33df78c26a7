/**
 * Compression at the edge: encoders (gzip, Brotli), the encoded variant built from a stored identity one,
 * its selection next to the identity variant, and the background compressor. The design note is on
 * {@link io.blueorigin.cdn.proxy.encoding.EncodedVariants}; docs/compression.md has the whole story.
 */
@NullMarked
package io.blueorigin.cdn.proxy.encoding;

import org.jspecify.annotations.NullMarked;
