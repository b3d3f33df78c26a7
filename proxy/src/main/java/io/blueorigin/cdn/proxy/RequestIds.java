package io.blueorigin.cdn.proxy;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * {@code X-Request-ID} values: kept when a client or the previous tier sent a sane one, generated otherwise
 * (16 hex digits, random; unique enough to follow one request through the access logs of every tier).
 */
final class RequestIds {
    /** Header carrying the id between client, edge, shield and origin. */
    static final String HEADER = "X-Request-ID";
    /** Longest id accepted from outside; longer ones are replaced (they would bloat every log line). */
    static final int MAX_LENGTH = 128;

    private RequestIds() {}

    /** Returns {@code incoming} when it is a usable id (visible ASCII without separators), else a new id. */
    static String acceptOrGenerate(@Nullable String incoming) {
        return isUsable(incoming) ? incoming : generate();
    }

    static boolean isUsable(@Nullable String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':' || c == '/' || c == '+' || c == '=';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Lower-case hex digits, as ids have always been written. */
    private static final HexFormat HEX = HexFormat.of();

    static String generate() {
        return hex(ThreadLocalRandom.current().nextLong());
    }

    /**
     * {@code v} as 16 hex digits, most significant first. {@link HexFormat#toHexDigits(long)} builds the string's
     * bytes once; the char array it replaced was copied again into the string (48 bytes more on every request that
     * brings no id: HitHeadersBenchmark).
     */
    static String hex(long v) {
        return HEX.toHexDigits(v);
    }
}
