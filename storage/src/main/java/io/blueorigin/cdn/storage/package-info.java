/**
 * Where bytes are stored: the {@link io.blueorigin.cdn.storage.CacheStore} interface, stored objects
 * (metadata from {@code http-cache} plus a chunked body), and bodies that can be read while they are being
 * written ({@link io.blueorigin.cdn.storage.GrowingBody}). Bodies are sequences of chunks, never one array
 * of the whole object, so large objects stream in constant memory.
 */
@NullMarked
package io.blueorigin.cdn.storage;

import org.jspecify.annotations.NullMarked;
