package io.blueorigin.cdn.httpcache.signing;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One HMAC-SHA256 key of a site's keyring: its id (what a signed URL names in {@code kid}), its secret, and
 * until when it is accepted. The current key (the one new URLs are signed with) has no end; when a new key
 * becomes current the old one is kept as a previous key until {@code notAfterSeconds} (the rotation grace), so
 * URLs signed just before a rotation keep working.
 *
 * <p>Invariants: the id is 1-64 of {@code A-Z a-z 0-9 . _ -}; the secret is {@link #MIN_SECRET_BYTES} to
 * {@link #MAX_SECRET_BYTES} bytes, copied in and out (callers cannot change it). {@link #toString()} never
 * shows the secret.
 */
public final class SigningKey {
    /** Shortest secret: 128 bits. */
    public static final int MIN_SECRET_BYTES = 16;
    /** Longest secret: the HMAC-SHA256 block size (longer keys are hashed first, gaining nothing). */
    public static final int MAX_SECRET_BYTES = 64;
    /** {@link #notAfterSeconds()} of the current key: never ends. */
    public static final long CURRENT = Long.MAX_VALUE;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String id;
    private final byte[] secret;
    private final long notAfterSeconds;

    /**
     * @param id the key id
     * @param secret the HMAC key bytes
     * @param notAfterSeconds last Unix second it is accepted ({@link #CURRENT}: the current key)
     * @throws IllegalArgumentException when the id or the secret breaks the invariants
     */
    public SigningKey(String id, byte[] secret, long notAfterSeconds) {
        this.id = requireNonNull(id, "id is null");
        requireNonNull(secret, "secret is null");
        if (!isKeyId(id)) {
            throw new IllegalArgumentException("key id: expected 1-64 letters, digits, '.', '_' or '-'");
        }
        if (secret.length < MIN_SECRET_BYTES || secret.length > MAX_SECRET_BYTES) {
            throw new IllegalArgumentException("secret: expected " + MIN_SECRET_BYTES + " to " + MAX_SECRET_BYTES
                    + " bytes, not " + secret.length);
        }
        this.secret = secret.clone();
        this.notAfterSeconds = notAfterSeconds;
    }

    /** Whether {@code id} is a valid key id. */
    public static boolean isKeyId(@Nullable String id) {
        return id != null && ID.matcher(id).matches();
    }

    public String id() {
        return id;
    }

    /** A copy of the secret. */
    public byte[] secret() {
        return secret.clone();
    }

    /** The secret without copying, for this package's HMAC only. */
    byte[] secretUnsafe() {
        return secret;
    }

    public long notAfterSeconds() {
        return notAfterSeconds;
    }

    public boolean isCurrent() {
        return notAfterSeconds == CURRENT;
    }

    /** Whether a signature made with it is accepted at {@code nowSeconds}. */
    public boolean acceptedAt(long nowSeconds) {
        return nowSeconds <= notAfterSeconds;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof SigningKey k && id.equals(k.id) && notAfterSeconds == k.notAfterSeconds
                && Arrays.equals(secret, k.secret);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Long.hashCode(notAfterSeconds);
    }

    @Override
    public String toString() {
        return "SigningKey[" + id + (isCurrent() ? ", current" : ", until " + notAfterSeconds) + "]";
    }
}
