package io.blueorigin.cdn.httpcache.signing;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.httpcache.RequestTarget;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Whether a request may be served under its site's {@link SigningPolicy}: a pure decision over the canonical
 * target, the site's keyring and the time (docs/signed-urls.md has the table).
 *
 * <p>Order of the checks, and why:
 * <ol>
 *   <li>No rule, or an {@code off} rule, for the path: {@link Outcome#NOT_REQUIRED}.</li>
 *   <li>None of the three signature parameters: {@code required} → {@link Outcome#MISSING}, {@code optional} →
 *       {@link Outcome#NOT_REQUIRED}. Some but not all of them, or one of them twice: {@link Outcome#MISSING}
 *       (there is no one signature to check).</li>
 *   <li>An expiry that is not 1-12 decimal digits, a key id that is not one, a signature of the wrong form:
 *       {@link Outcome#INVALID}.</li>
 *   <li>A key id the keyring lacks, or whose grace period ended: {@link Outcome#UNKNOWN_KEY}.</li>
 *   <li>The HMAC differs (compared in constant time, {@link MessageDigest#isEqual}): {@link Outcome#INVALID}.</li>
 *   <li>Authentic but the expiry is more than the policy's {@code maxLifetime} ahead: {@link Outcome#INVALID};
 *       past (now &gt; expiry): {@link Outcome#EXPIRED}. Expiry is judged only after the HMAC, so a client
 *       learns "expired" only of a URL that was really signed, and changing the expiry is always INVALID.</li>
 * </ol>
 */
public final class SignatureCheck {
    private static final Pattern EXPIRY = Pattern.compile("0|[1-9][0-9]{0,11}");

    private SignatureCheck() {}

    /** The outcomes; those that refuse the request carry the {@code Blue-Origin-Error} value of the 403. */
    public enum Outcome {
        /** A valid signature. */
        OK(null),
        /** The path needs no signature (and carries none, for {@code optional}). */
        NOT_REQUIRED(null),
        MISSING("signature-missing"),
        EXPIRED("signature-expired"),
        INVALID("signature-invalid"),
        UNKNOWN_KEY("unknown-key");

        private final @Nullable String errorValue;

        Outcome(@Nullable String errorValue) {
            this.errorValue = errorValue;
        }

        /** Whether the request may be served. */
        public boolean allowed() {
            return errorValue == null;
        }

        /** The {@code Blue-Origin-Error} header value of the 403, or null when allowed. */
        public @Nullable String errorValue() {
            return errorValue;
        }
    }

    /**
     * A decision and, when refused, a message for the 403 body (never echoes the signature or a secret).
     */
    public record Verdict(Outcome outcome, String message) {
        public Verdict {
            requireNonNull(outcome, "outcome is null");
            requireNonNull(message, "message is null");
        }

        public boolean allowed() {
            return outcome.allowed();
        }
    }

    /**
     * Checks a request.
     *
     * @param target the canonical target as the client sent it (before the site's query policy)
     * @param nowSeconds the time now, Unix seconds
     */
    public static Verdict verify(SigningPolicy policy, SigningKeyring keyring, RequestTarget target, long nowSeconds) {
        SigningPolicy.Rule rule = policy.ruleFor(target.path());
        if (rule == null || rule.mode() == SigningPolicy.Mode.OFF) {
            return new Verdict(Outcome.NOT_REQUIRED, "");
        }
        String exp = null;
        String kid = null;
        String sig = null;
        int found = 0;
        if (target.query() != null) {
            for (String p : target.query().split("&", -1)) {
                String name = CanonicalString.name(p);
                if (!policy.isSignatureParam(name)) {
                    continue;
                }
                String value = p.length() > name.length() ? p.substring(name.length() + 1) : "";
                found++;
                if (name.equals(policy.expiryParam())) {
                    exp = exp == null ? value : null;
                } else if (name.equals(policy.keyIdParam())) {
                    kid = kid == null ? value : null;
                } else {
                    sig = sig == null ? value : null;
                }
            }
        }
        if (found == 0) {
            return rule.mode() == SigningPolicy.Mode.REQUIRED
                    ? new Verdict(Outcome.MISSING, "this URL must be signed (parameters " + policy.expiryParam() + ", "
                            + policy.keyIdParam() + " and " + policy.signatureParam() + ")")
                    : new Verdict(Outcome.NOT_REQUIRED, "");
        }
        if (found != 3 || exp == null || kid == null || sig == null) {
            return new Verdict(Outcome.MISSING, "a signed URL needs each of " + policy.expiryParam() + ", "
                    + policy.keyIdParam() + " and " + policy.signatureParam() + " exactly once");
        }
        if (!EXPIRY.matcher(exp).matches()) {
            return new Verdict(Outcome.INVALID, policy.expiryParam() + ": expected Unix seconds");
        }
        byte[] given = CanonicalString.decode(sig);
        if (!SigningKey.isKeyId(kid) || given == null) {
            return new Verdict(Outcome.INVALID, "malformed " + (given == null ? policy.signatureParam() : policy.keyIdParam()));
        }
        SigningKey key = keyring.find(kid);
        if (key == null || !key.acceptedAt(nowSeconds)) {
            return new Verdict(Outcome.UNKNOWN_KEY, "key '" + kid + "' is not (or no longer) accepted by this site");
        }
        long expires = Long.parseLong(exp);
        byte[] expected = CanonicalString.hmac(key,
                CanonicalString.of(target.path(), expires, kid, target.query(), rule.signedParams()));
        if (!MessageDigest.isEqual(expected, given)) {
            return new Verdict(Outcome.INVALID, "the signature does not match this URL");
        }
        if (expires - nowSeconds > policy.maxLifetimeSeconds()) {
            return new Verdict(Outcome.INVALID, "the expiry is further ahead than this site allows");
        }
        if (nowSeconds > expires) {
            return new Verdict(Outcome.EXPIRED, "this signed URL expired");
        }
        return new Verdict(Outcome.OK, "");
    }

    /**
     * The target without the signature parameters, for the cache key and the request upstream: the same
     * object whatever the expiry, key or signature of the URL. Only where the policy applies (a rule that is not
     * {@code off}): elsewhere the parameters are the origin's and stay (the same object when nothing changes).
     */
    public static RequestTarget withoutSignature(SigningPolicy policy, RequestTarget target) {
        return withoutSignature(policy, target, policy.applies(target.path()));
    }

    static RequestTarget withoutSignature(SigningPolicy policy, RequestTarget target, boolean strip) {
        if (!strip || target.query() == null) {
            return target;
        }
        List<String> kept = new ArrayList<>();
        boolean changed = false;
        for (String p : target.query().split("&", -1)) {
            if (policy.isSignatureParam(CanonicalString.name(p))) {
                changed = true;
            } else {
                kept.add(p);
            }
        }
        return !changed ? target : new RequestTarget(target.path(), kept.isEmpty() ? null : String.join("&", kept));
    }
}
