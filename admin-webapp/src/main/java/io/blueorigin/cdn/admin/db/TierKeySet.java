package io.blueorigin.cdn.admin.db;

import java.util.Base64;
import java.util.List;

/**
 * The tier keys nodes hold: every version they accept a signature under, and the one they sign with.
 *
 * @param signing the version nodes sign with (one of {@code keys})
 * @param keys every version a shield verifies with, oldest first
 */
public record TierKeySet(int signing, List<Key> keys) {
    public TierKeySet {
        keys = List.copyOf(keys);
        if (keys.stream().noneMatch(k -> k.version() == signing)) {
            throw new IllegalArgumentException("signing version " + signing + " is not among the keys");
        }
    }

    /** One version of the key. */
    public record Key(int version, byte[] secret) {
        public Key {
            secret = secret.clone();
        }

        /** The secret as nodes receive it: base64url without padding. */
        public String encoded() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }

        /** Keeps the secret out of logs. */
        @Override
        public String toString() {
            return "Key[version=" + version + "]";
        }
    }
}
