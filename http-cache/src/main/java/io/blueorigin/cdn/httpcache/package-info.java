/**
 * HTTP caching semantics as plain values and pure functions (RFC 9111 caching, RFC 9211 Cache-Status,
 * RFC 9213 targeted Cache-Control, RFC 9110 validators and ranges). JDK only: no Jetty, no servlet API, no
 * logging, no I/O, and no clock: time is always a parameter. Parsers never throw on header values; they
 * return what the RFC says a recipient should assume.
 */
@NullMarked
package io.blueorigin.cdn.httpcache;

import org.jspecify.annotations.NullMarked;
