package io.blueorigin.cdn.proxy;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * {@code Age} fields pre-encoded once per value for the first hour and reused, so the hit path encodes
 * nothing. Thread-safe: racing threads may build the same field twice, and either copy is correct.
 */
final class ResponseFields {
    /** Ages below this many seconds are cached. */
    private static final int CACHED_SECONDS = 3600;
    private static final AtomicReferenceArray<HttpField> AGE = new AtomicReferenceArray<>(CACHED_SECONDS);

    private ResponseFields() {}

    /** {@code Age: n}. */
    static HttpField age(long seconds) {
        if (seconds >= 0 && seconds < CACHED_SECONDS) {
            HttpField f = AGE.get((int) seconds);
            if (f == null) {
                f = new PreEncodedHttpField(HttpHeader.AGE, Long.toString(seconds));
                AGE.set((int) seconds, f);
            }
            return f;
        }
        return new PreEncodedHttpField(HttpHeader.AGE, Long.toString(seconds));
    }
}
