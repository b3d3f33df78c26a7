package io.blueorigin.cdn.httpcache.encoding;

import java.util.Locale;
import java.util.Optional;

/**
 * The content codings this CDN sends (RFC 9110 §8.4.1), in the server's order of preference among codings a
 * client weighs equally: Brotli, then gzip, then none.
 */
public enum Coding {
    BR("br"),
    GZIP("gzip"),
    IDENTITY("identity");

    private final String token;

    Coding(String token) {
        this.token = token;
    }

    /** The token as written in {@code Accept-Encoding} and {@code Content-Encoding}. */
    public String token() {
        return token;
    }

    /**
     * The coding named by {@code token} (case-insensitive; {@code x-gzip} is gzip, RFC 9110 §8.4.1.3), or empty
     * for a coding this CDN does not produce.
     */
    public static Optional<Coding> of(String token) {
        return switch (token.trim().toLowerCase(Locale.ROOT)) {
            case "br" -> Optional.of(BR);
            case "gzip", "x-gzip" -> Optional.of(GZIP);
            case "identity" -> Optional.of(IDENTITY);
            default -> Optional.empty();
        };
    }
}
