package io.blueorigin.cdn.proxy;

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

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static String generate() {
        long v = ThreadLocalRandom.current().nextLong();
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
        return new String(out);
    }
}
