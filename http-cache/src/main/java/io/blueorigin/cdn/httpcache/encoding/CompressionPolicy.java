package io.blueorigin.cdn.httpcache.encoding;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which stored responses the edge compresses, and how hard: a pure decision, one per response, with the
 * reason when the answer is no (for metrics and tests).
 *
 * <p>A response is compressed only when all hold: a coding is enabled; status 200 (other statuses are small
 * or errors; a 206 is cut from the representation, which is compressed first, RFC 9110 §14.1); its media
 * type matches {@code types} (exact {@code type/subtype}, or {@code type/*}; parameters such as
 * {@code charset} ignored; case-insensitive); it has no content coding yet (an origin that compresses is
 * passed through untouched; {@code identity} counts as none); its length is known and within
 * {@code minSize}..{@code maxSize} (below, the framing costs more than it saves; above, the work and the
 * second copy are not worth holding); and it does not carry {@code Cache-Control: no-transform}
 * (RFC 9111 §5.2.2.6: an intermediary must not transform the content).
 *
 * @param codings the codings enabled (identity is implied; empty: compression off)
 * @param types media types compressed: {@code type/subtype} or {@code type/*}, lower case, no parameters
 * @param minSize smallest body compressed, in bytes
 * @param maxSize largest body compressed, in bytes: bounds the work and memory of one compression
 * @param gzipLevel gzip level, 1 (fast) to 9 (small)
 * @param brotliQuality Brotli quality, 0 (fast) to 11 (small)
 */
public record CompressionPolicy(Set<Coding> codings, List<String> types, long minSize, long maxSize, int gzipLevel,
        int brotliQuality) {

    /** Types compressed by default: text and the textual application types of the web. */
    public static final List<String> DEFAULT_TYPES = List.of("text/*", "application/javascript", "application/json",
            "application/xml", "application/xhtml+xml", "application/rss+xml", "application/atom+xml",
            "application/manifest+json", "application/ld+json", "application/wasm", "image/svg+xml");

    /** Why a response is or is not compressed. */
    public enum Reason {
        /** Compress it. */
        ELIGIBLE,
        /** No coding enabled. */
        DISABLED,
        /** Status other than 200. */
        STATUS,
        /** No {@code Content-Type}, or one not listed. */
        TYPE,
        /** Already has a content coding (the origin compressed it). */
        ALREADY_ENCODED,
        /** Length unknown. */
        UNKNOWN_LENGTH,
        /** Below the minimum size. */
        TOO_SMALL,
        /** Above the maximum size. */
        TOO_LARGE,
        /** {@code Cache-Control: no-transform}. */
        NO_TRANSFORM
    }

    public CompressionPolicy {
        requireNonNull(codings, "codings is null");
        requireNonNull(types, "types is null");
        codings = codings.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(codings));
        List<String> normalized = new ArrayList<>(types.size());
        for (String t : types) {
            String type = t.trim().toLowerCase(Locale.ROOT);
            int slash = type.indexOf('/');
            if (slash <= 0 || slash == type.length() - 1 || type.indexOf('/', slash + 1) >= 0 || type.indexOf(';') >= 0
                    || type.indexOf(' ') >= 0 || type.startsWith("*")
                    || (type.indexOf('*') >= 0 && !type.endsWith("/*"))) {
                throw new IllegalArgumentException("compression.types : '" + t
                        + "' (expected: media types such as text/html or text/*, comma-separated)");
            }
            normalized.add(type);
        }
        types = List.copyOf(normalized);
        if (minSize < 0) {
            throw new IllegalArgumentException("compression.min-size : " + minSize + " (expected: >= 0)");
        }
        if (maxSize < minSize) {
            throw new IllegalArgumentException("compression.max-size : " + maxSize + " (expected: >= compression.min-size, "
                    + minSize + ")");
        }
        if (gzipLevel < 1 || gzipLevel > 9) {
            throw new IllegalArgumentException("compression.gzip-level : " + gzipLevel + " (expected: 1 to 9)");
        }
        if (brotliQuality < 0 || brotliQuality > 11) {
            throw new IllegalArgumentException("compression.brotli-quality : " + brotliQuality + " (expected: 0 to 11)");
        }
    }

    /** The defaults: Brotli and gzip, {@link #DEFAULT_TYPES}, 1 KiB to 10 MiB, gzip 6, Brotli 5. */
    public static CompressionPolicy defaults() {
        return new CompressionPolicy(EnumSet.of(Coding.BR, Coding.GZIP), DEFAULT_TYPES, 1024, 10L << 20, 6, 5);
    }

    /** Compression off. */
    public static CompressionPolicy off() {
        return new CompressionPolicy(Set.of(), DEFAULT_TYPES, 1024, 10L << 20, 6, 5);
    }

    /** Whether any coding is enabled. */
    public boolean enabled() {
        return !codings.isEmpty();
    }

    /** The level (gzip) or quality (Brotli) of {@code coding}. */
    public int levelOf(Coding coding) {
        return switch (coding) {
            case BR -> brotliQuality;
            case GZIP -> gzipLevel;
            case IDENTITY -> throw new IllegalArgumentException("identity has no level");
        };
    }

    /**
     * Whether a stored response may be compressed.
     *
     * @param status its status
     * @param contentType its {@code Content-Type}, or null
     * @param contentEncoding its {@code Content-Encoding} (all lines joined), or null
     * @param length its body length, -1 if unknown
     * @param noTransform whether its {@code Cache-Control} holds {@code no-transform}
     */
    public Reason eligible(int status, @Nullable String contentType, @Nullable String contentEncoding, long length,
            boolean noTransform) {
        if (codings.isEmpty()) {
            return Reason.DISABLED;
        }
        if (status != 200) {
            return Reason.STATUS;
        }
        if (contentEncoding != null && !isIdentity(contentEncoding)) {
            return Reason.ALREADY_ENCODED;
        }
        if (noTransform) {
            return Reason.NO_TRANSFORM;
        }
        if (contentType == null || !typeListed(contentType)) {
            return Reason.TYPE;
        }
        if (length < 0) {
            return Reason.UNKNOWN_LENGTH;
        }
        if (length < minSize) {
            return Reason.TOO_SMALL;
        }
        if (length > maxSize) {
            return Reason.TOO_LARGE;
        }
        return Reason.ELIGIBLE;
    }

    /** Whether {@code contentType} (parameters ignored) matches a listed type. */
    public boolean typeListed(String contentType) {
        int semicolon = contentType.indexOf(';');
        String type = (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType).trim().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        if (slash <= 0) {
            return false;
        }
        for (String listed : types) {
            if (listed.equals(type) || (listed.endsWith("/*") && listed.regionMatches(0, type, 0, slash + 1)
                    && listed.length() == slash + 2)) {
                return true;
            }
        }
        return false;
    }

    /** An empty or {@code identity} content coding list (RFC 9110 §8.4: identity is no coding). */
    private static boolean isIdentity(String contentEncoding) {
        for (String member : contentEncoding.split(",", -1)) {
            String m = member.trim();
            if (!m.isEmpty() && !m.equalsIgnoreCase("identity")) {
                return false;
            }
        }
        return true;
    }
}
