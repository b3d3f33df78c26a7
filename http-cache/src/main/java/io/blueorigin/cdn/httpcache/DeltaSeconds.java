package io.blueorigin.cdn.httpcache;

import org.jspecify.annotations.Nullable;

/**
 * delta-seconds (RFC 9111 §1.2.2): a non-negative decimal integer. Values too large to represent are
 * {@link #MAX} (2^31, as the RFC requires at least); anything else invalid is -1.
 */
final class DeltaSeconds {
    /** The RFC's "greatest integer it can represent" floor: 2^31 seconds (68 years). */
    static final long MAX = 2_147_483_648L;

    private DeltaSeconds() {}

    static long parse(@Nullable String s) {
        if (s == null || s.isEmpty()) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
            if (v >= MAX) {
                // keep validating the rest, but the value saturates
                for (int j = i + 1; j < s.length(); j++) {
                    if (s.charAt(j) < '0' || s.charAt(j) > '9') {
                        return -1;
                    }
                }
                return MAX;
            }
        }
        return v;
    }
}
