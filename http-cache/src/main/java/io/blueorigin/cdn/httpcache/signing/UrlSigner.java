package io.blueorigin.cdn.httpcache.signing;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.RequestTarget;
import java.util.List;

/**
 * Makes signed URLs: what admin's {@code POST /api/v1/sign} and {@code blue-origin sign} use. The result is
 * the target with the signature parameters appended ({@code ...&exp=E&kid=K&sig=S}); any signature
 * parameters the target already had are dropped first, so signing a signed URL again re-signs it.
 */
public final class UrlSigner {
    private UrlSigner() {}

    /**
     * Signs {@code target} for {@code policy} with {@code key}.
     *
     * @param target a canonical target ({@link RequestTarget#parse})
     * @param expiresSeconds the expiry, Unix seconds
     * @param nowSeconds the time now, Unix seconds (only to bound the lifetime)
     * @throws IllegalArgumentException when the expiry is not after now or further ahead than the policy's
     *     {@code maxLifetime}: nodes would refuse that URL
     */
    public static RequestTarget sign(SigningPolicy policy, SigningKey key, RequestTarget target, long expiresSeconds,
            long nowSeconds) {
        requireNonNull(key, "key is null");
        if (expiresSeconds <= nowSeconds) {
            throw new IllegalArgumentException("the expiry must be in the future");
        }
        if (expiresSeconds - nowSeconds > policy.maxLifetimeSeconds()) {
            throw new IllegalArgumentException("the expiry is further ahead than the site's maxLifetime ("
                    + policy.maxLifetimeSeconds() + " s)");
        }
        RequestTarget unsigned = SignatureCheck.withoutSignature(policy, target, true);
        SigningPolicy.Rule rule = policy.ruleFor(unsigned.path());
        List<String> signed = rule == null ? List.of() : rule.signedParams();
        String canonical = CanonicalString.of(unsigned.path(), expiresSeconds, key.id(), unsigned.query(), signed);
        String sig = CanonicalString.encode(CanonicalString.hmac(key, canonical));
        String params = policy.expiryParam() + "=" + expiresSeconds + "&" + policy.keyIdParam() + "=" + key.id() + "&"
                + policy.signatureParam() + "=" + sig;
        return new RequestTarget(unsigned.path(), unsigned.query() == null ? params : unsigned.query() + "&" + params);
    }
}
