/**
 * Byte ranges (RFC 9110 §14, RFC 9111 §3.3-3.4) as pure decisions: {@link RangeHeader} parses the
 * {@code Range} field, {@link IfRange} evaluates {@code If-Range}, {@link RangePolicy} decides between the
 * whole representation, one part, several parts and 416, and {@link MultipartByteranges} frames several
 * parts with their exact length before any body byte is written. JDK only, no clock, never throws on a
 * header value: a field it cannot use is ignored, as the RFC says.
 */
@NullMarked
package io.blueorigin.cdn.httpcache.range;

import org.jspecify.annotations.NullMarked;
