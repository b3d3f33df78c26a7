package io.blueorigin.cdn.httpcache.signing;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A site's signing keys: at most one current key (new URLs are signed with it) and the previous keys still
 * inside their grace period. Immutable; a change replaces the whole keyring (admin sends the whole keyring of
 * a site in each {@code keys_put} log entry, so applying one twice changes nothing).
 *
 * <p>Invariants: distinct ids, at most one current key, at most {@link #MAX_KEYS} keys.
 *
 * @param keys the keys, in admin's order (newest first)
 */
public record SigningKeyring(List<SigningKey> keys) {
    /** Most keys in one keyring (a current one and previous ones in their grace). */
    public static final int MAX_KEYS = 16;
    public static final SigningKeyring EMPTY = new SigningKeyring(List.of());

    public SigningKeyring {
        keys = List.copyOf(keys);
        if (keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException("at most " + MAX_KEYS + " keys");
        }
        Set<String> ids = new HashSet<>();
        int current = 0;
        for (SigningKey k : keys) {
            if (!ids.add(k.id())) {
                throw new IllegalArgumentException("key id " + k.id() + " appears twice");
            }
            current += k.isCurrent() ? 1 : 0;
        }
        if (current > 1) {
            throw new IllegalArgumentException("more than one current key");
        }
    }

    /** The key called {@code id}, or null. */
    public @Nullable SigningKey find(String id) {
        for (SigningKey k : keys) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        return null;
    }

    /** The current key, or null when there is none (nothing can be signed). */
    public @Nullable SigningKey current() {
        for (SigningKey k : keys) {
            if (k.isCurrent()) {
                return k;
            }
        }
        return null;
    }

    /** This keyring without the previous keys whose grace ended before {@code nowSeconds}. */
    public SigningKeyring withoutExpired(long nowSeconds) {
        List<SigningKey> kept = keys.stream().filter(k -> k.acceptedAt(nowSeconds)).toList();
        return kept.size() == keys.size() ? this : new SigningKeyring(kept);
    }
}
