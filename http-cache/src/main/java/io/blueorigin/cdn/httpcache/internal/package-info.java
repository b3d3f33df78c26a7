/**
 * Header tokenizers and HTTP-date parsing behind the public semantics. Not exported: callers use the
 * value types in {@code io.blueorigin.cdn.httpcache}. Nothing here throws on arbitrary input.
 */
@NullMarked
package io.blueorigin.cdn.httpcache.internal;

import org.jspecify.annotations.NullMarked;
