/**
 * The disk tier: stored objects in RocksDB on local SSD, bounded in bytes, surviving restarts and crashes.
 * Byte layouts are documented in {@link io.blueorigin.cdn.storage.rocks.RecordCodec}.
 */
@NullMarked
package io.blueorigin.cdn.storage.rocks;

import org.jspecify.annotations.NullMarked;
