package io.blueorigin.cdn.proxy.control;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The tier keys a node holds (from admin's registration and heartbeat answers), and the signed form of the
 * {@value LocalInvalidations#ORDERING_FIELD} field they protect:
 *
 * <pre>
 *   Blue-Origin-Invalidation: 42; node=edge-nyc; key=2; sig=&lt;base64url HMAC-SHA256(key 2, "42|edge-nyc")&gt;
 * </pre>
 *
 * An edge signs the id of the last invalidation it applied with the version admin says to sign with; a
 * shield accepts the id only when the signature verifies under a version it holds (constant-time
 * comparison), and treats anything else (absent, malformed, unknown version, bad signature) as if the field
 * were absent. So only nodes of the tier, which got the keys with their node tokens, can make a shield wait
 * for its invalidations or skip its cache; a client cannot. A captured field replayed later can only name an
 * id the edge had applied, which the shield has then usually applied too (then it does not wait).
 *
 * <p>Immutable; {@link #NONE} (no keys yet: sign nothing, accept nothing) until admin answered.
 */
public final class TierKeys {
    /** No keys: a node that has not registered yet, or an admin too old to hand them out. */
    public static final TierKeys NONE = new TierKeys(0, Map.of());
    private static final String ALGORITHM = "HmacSHA256";
    /** The whole field; bounded lengths, no nesting: linear to match. */
    private static final Pattern SIGNED = Pattern.compile(
            "(\\d{1,18}) *; *node=([A-Za-z0-9][A-Za-z0-9._-]{0,62}) *; *key=(\\d{1,9}) *; *sig=([A-Za-z0-9_-]{43})");
    /** Longest field worth matching (the pattern's bound). */
    private static final int MAX_FIELD_LENGTH = 160;

    private final int signing;
    /** Version to key; never empty unless {@code signing} is 0. */
    private final Map<Integer, SecretKeySpec> keys;

    private TierKeys(int signing, Map<Integer, SecretKeySpec> keys) {
        this.signing = signing;
        this.keys = keys;
    }

    /**
     * Keys as admin hands them out.
     *
     * @param signing the version to sign with (one of {@code secrets})
     * @param secrets every version to verify with, version to key bytes
     * @throws IllegalArgumentException when {@code signing} is not among them, or a key is empty
     */
    public static TierKeys of(int signing, Map<Integer, byte[]> secrets) {
        requireNonNull(secrets, "secrets is null");
        if (!secrets.containsKey(signing)) {
            throw new IllegalArgumentException("tier key version " + signing + " to sign with is not among " + secrets.keySet());
        }
        Map<Integer, SecretKeySpec> keys = new TreeMap<>();
        secrets.forEach((version, secret) -> {
            if (secret.length == 0) {
                throw new IllegalArgumentException("tier key version " + version + " is empty");
            }
            keys.put(version, new SecretKeySpec(secret, ALGORITHM));
        });
        return new TierKeys(signing, java.util.Collections.unmodifiableMap(keys));
    }

    /** Whether there are keys at all. */
    public boolean present() {
        return signing != 0;
    }

    /** The version this node signs with (0: none). */
    public int signing() {
        return signing;
    }

    /** The field value for {@code id} sent by node {@code nodeName}; empty without keys. */
    public Optional<String> sign(long id, String nodeName) {
        if (!present()) {
            return Optional.empty();
        }
        byte[] mac = mac(keys.get(signing), id, nodeName);
        return Optional.of(id + "; node=" + nodeName + "; key=" + signing + "; sig="
                + Base64.getUrlEncoder().withoutPadding().encodeToString(mac));
    }

    /** The id {@code value} carries if its signature verifies under one of these keys, else 0 (as if absent). */
    public long verifiedId(@Nullable String value) {
        if (value == null || value.length() > MAX_FIELD_LENGTH || !present()) {
            return 0;
        }
        Matcher m = SIGNED.matcher(value);
        if (!m.matches()) {
            return 0;
        }
        SecretKeySpec key = keys.get(Integer.parseInt(m.group(3)));
        if (key == null) {
            return 0;
        }
        long id = Long.parseLong(m.group(1));
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(m.group(4));
        } catch (IllegalArgumentException e) {
            return 0;
        }
        return MessageDigest.isEqual(mac(key, id, m.group(2)), given) ? id : 0;
    }

    /** The whole site field: a site name, the key version, the signature. */
    private static final Pattern SIGNED_SITE = Pattern.compile(
            "([a-z0-9][a-z0-9._-]{0,62}) *; *key=(\\d{1,9}) *; *sig=([A-Za-z0-9_-]{43})");

    /**
     * The {@code Blue-Origin-Site} value an edge sends its shield: {@code <site>; key=<v>; sig=<HMAC(key v, "site|<site>")>};
     * empty without keys.
     */
    public Optional<String> signSite(String site) {
        if (!present()) {
            return Optional.empty();
        }
        return Optional.of(site + "; key=" + signing + "; sig=" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac(keys.get(signing), "site|" + site)));
    }

    /** The site a {@code Blue-Origin-Site} value names if a node of the tier signed it, else null (as if absent). */
    public @Nullable String verifiedSite(@Nullable String value) {
        if (value == null || value.length() > MAX_FIELD_LENGTH || !present()) {
            return null;
        }
        Matcher m = SIGNED_SITE.matcher(value);
        if (!m.matches()) {
            return null;
        }
        SecretKeySpec key = keys.get(Integer.parseInt(m.group(2)));
        if (key == null) {
            return null;
        }
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(m.group(3));
        } catch (IllegalArgumentException e) {
            return null;
        }
        return MessageDigest.isEqual(mac(key, "site|" + m.group(1)), given) ? m.group(1) : null;
    }

    private static byte[] mac(SecretKeySpec key, long id, String nodeName) {
        return mac(key, id + "|" + nodeName);
    }

    private static byte[] mac(SecretKeySpec key, String message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Never shows a key. */
    @Override
    public String toString() {
        return "TierKeys[signing=" + signing + ", versions=" + keys.keySet() + "]";
    }
}
