package io.blueorigin.cdn.httpcache.signing;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The bytes a URL signature is the HMAC-SHA256 of, and the signature's text form. Every part is ASCII (the
 * path and query are canonical request-target text, {@code RequestTarget}: percent-encoded), lines end with
 * one LF (0x0A), nothing is trimmed:
 *
 * <pre>
 *   "BO-URL-SIG-1" LF
 *   path LF                      the canonical path ("/private/a%20b.mp4"), never a query
 *   expires LF                   the expiry, Unix seconds, decimal without sign or leading zeros ("1767225600")
 *   keyId LF                     the key id ("k2")
 *   signedParams                 the query parameters the path's rule names (SigningPolicy.Rule.signedParams)
 *                                that the query holds, each exactly as written there ("name=value" or "name"),
 *                                sorted by their bytes, joined by '&amp;'; empty when there are none. No final LF.
 * </pre>
 *
 * Why each part: the version line keeps a future layout from ever verifying under this one; the path binds
 * the signature to one object (and a path is never a prefix of another line, since every line ends with LF);
 * the expiry and the key id cannot be changed without the signature failing; the named parameters are bound
 * (adding, removing or changing one fails), while the order clients write them in does not matter.
 *
 * <p>The signature parameter's value is the 32-byte HMAC in base64url without padding (RFC 4648 §5): 43
 * characters, all unreserved, so canonicalization never changes it.
 */
public final class CanonicalString {
    /** The first line. */
    public static final String VERSION = "BO-URL-SIG-1";
    /** Length of a signature's text form. */
    public static final int SIGNATURE_CHARS = 43;

    private CanonicalString() {}

    /**
     * The canonical string.
     *
     * @param path the canonical path
     * @param expires the expiry, Unix seconds (non-negative)
     * @param keyId the key id
     * @param query the canonical query (without {@code ?}), or null
     * @param signedParams the names the rule signs
     */
    public static String of(String path, long expires, String keyId, @Nullable String query, List<String> signedParams) {
        List<String> signed = new ArrayList<>();
        if (query != null && !signedParams.isEmpty()) {
            for (String p : query.split("&", -1)) {
                if (signedParams.contains(name(p))) {
                    signed.add(p);
                }
            }
        }
        signed.sort(null); // String order is UTF-16 order, which is byte order for ASCII
        return VERSION + "\n" + path + "\n" + expires + "\n" + keyId + "\n" + String.join("&", signed);
    }

    /** The HMAC-SHA256 of {@code canonical} under {@code key}. */
    static byte[] hmac(SigningKey key, String canonical) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.secretUnsafe(), "HmacSHA256"));
            return mac.doFinal(canonical.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The signature's text form. */
    static String encode(byte[] mac) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }

    /** The bytes of a signature's text form, or null when it is not one (wrong length or alphabet). */
    static byte @Nullable [] decode(String text) {
        if (text.length() != SIGNATURE_CHARS) {
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The name of a query parameter as written ({@code name=value} or {@code name}). */
    static String name(String param) {
        int eq = param.indexOf('=');
        return eq < 0 ? param : param.substring(0, eq);
    }
}
