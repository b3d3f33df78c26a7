package io.blueorigin.cdn.httpcache.signing;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which requests of a site must carry a signed URL (docs/signed-urls.md): path-prefix rules, the longest
 * matching prefix wins; a path no rule matches is not checked. A site without {@code delivery.signing} has
 * {@link #NONE}.
 *
 * <p>Invariants (checked here; the site parser reports them per field before): at most {@link #MAX_RULES}
 * rules with distinct prefixes, each starting with {@code /}; the three parameter names are distinct
 * {@link #isParamName parameter names} and none of them is a signed parameter of a rule; the lifetime is 1 s
 * to {@link #MAX_LIFETIME_SECONDS}.
 *
 * @param rules the path-prefix rules
 * @param expiryParam name of the query parameter carrying the expiry (Unix seconds), default {@code exp}
 * @param keyIdParam name of the parameter carrying the key id, default {@code kid}
 * @param signatureParam name of the parameter carrying the signature, default {@code sig}
 * @param maxLifetimeSeconds longest a signed URL may stay valid: a signature whose expiry lies further ahead
 *     than this is refused as {@link SignatureCheck.Outcome#INVALID} (a leaked "forever" URL cannot be made
 *     with a key in the keyring), and the signer refuses to make one
 */
public record SigningPolicy(List<Rule> rules, String expiryParam, String keyIdParam, String signatureParam,
        long maxLifetimeSeconds) {
    /** Most rules a site may have. */
    public static final int MAX_RULES = 64;
    /** Most signed parameters a rule may name. */
    public static final int MAX_SIGNED_PARAMS = 32;
    /** Longest {@code maxLifetime} a site may set: one year. */
    public static final long MAX_LIFETIME_SECONDS = 366L * 86_400;
    /** {@code maxLifetime} unless the site sets one: 31 days. */
    public static final long DEFAULT_LIFETIME_SECONDS = 31L * 86_400;
    public static final String DEFAULT_EXPIRY_PARAM = "exp";
    public static final String DEFAULT_KEY_ID_PARAM = "kid";
    public static final String DEFAULT_SIGNATURE_PARAM = "sig";
    private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z0-9._~-]{1,64}");

    /** No rule: nothing is checked. */
    public static final SigningPolicy NONE = new SigningPolicy(List.of(), DEFAULT_EXPIRY_PARAM, DEFAULT_KEY_ID_PARAM,
            DEFAULT_SIGNATURE_PARAM, DEFAULT_LIFETIME_SECONDS);

    /** What a rule asks of the requests under its prefix ({@code required}, {@code optional}, {@code off} in JSON). */
    public enum Mode {
        /** A valid signature is needed; without one: 403. */
        REQUIRED,
        /** No signature is fine; a signature that is present must be valid (else 403). */
        OPTIONAL,
        /** Not checked; the parameters are left alone (they are the origin's, not signature parameters). */
        OFF;

        /** As written in JSON. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One rule.
     *
     * @param prefix a path prefix, compared with the canonical path ({@code RequestTarget}) as written, so
     *     {@code /private/} matches {@code /private/a} and not {@code /private}
     * @param mode what it asks
     * @param signedParams names of query parameters covered by the signature (as written in the canonical
     *     query): changing, adding or removing one of them invalidates the signature; other parameters are not
     *     covered (a site keys on them only if its query policy keeps them)
     */
    public record Rule(String prefix, Mode mode, List<String> signedParams) {
        public Rule {
            requireNonNull(prefix, "prefix is null");
            requireNonNull(mode, "mode is null");
            signedParams = List.copyOf(signedParams);
            if (!prefix.startsWith("/")) {
                throw new IllegalArgumentException("prefix must start with '/': " + prefix);
            }
            if (signedParams.size() > MAX_SIGNED_PARAMS || new HashSet<>(signedParams).size() != signedParams.size()
                    || !signedParams.stream().allMatch(SigningPolicy::isParamName)) {
                throw new IllegalArgumentException("signed parameters: at most " + MAX_SIGNED_PARAMS
                        + " distinct parameter names");
            }
        }
    }

    public SigningPolicy {
        rules = List.copyOf(rules);
        requireNonNull(expiryParam, "expiryParam is null");
        requireNonNull(keyIdParam, "keyIdParam is null");
        requireNonNull(signatureParam, "signatureParam is null");
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException("at most " + MAX_RULES + " rules");
        }
        Set<String> prefixes = new HashSet<>();
        for (Rule r : rules) {
            if (!prefixes.add(r.prefix())) {
                throw new IllegalArgumentException("prefix " + r.prefix() + " appears twice");
            }
        }
        Set<String> own = new HashSet<>(List.of(expiryParam, keyIdParam, signatureParam));
        if (own.size() != 3 || !own.stream().allMatch(SigningPolicy::isParamName)) {
            throw new IllegalArgumentException("the expiry, key id and signature parameters need three distinct names");
        }
        for (Rule r : rules) {
            for (String p : r.signedParams()) {
                if (own.contains(p)) {
                    throw new IllegalArgumentException("'" + p + "' is a signature parameter, it cannot be signed");
                }
            }
        }
        if (maxLifetimeSeconds < 1 || maxLifetimeSeconds > MAX_LIFETIME_SECONDS) {
            throw new IllegalArgumentException("maxLifetimeSeconds must be 1 to " + MAX_LIFETIME_SECONDS);
        }
    }

    /** Whether {@code name} may be a parameter name here: 1-64 unreserved characters (RFC 3986 §2.3). */
    public static boolean isParamName(@Nullable String name) {
        return name != null && PARAM_NAME.matcher(name).matches();
    }

    /** The rule of the longest prefix of {@code path} (canonical), or null when none matches. */
    public @Nullable Rule ruleFor(String path) {
        Rule best = null;
        for (Rule r : rules) {
            if (path.startsWith(r.prefix()) && (best == null || r.prefix().length() > best.prefix().length())) {
                best = r;
            }
        }
        return best;
    }

    /** Whether requests for {@code path} are checked at all (a rule matches and it is not {@code off}). */
    public boolean applies(String path) {
        Rule r = ruleFor(path);
        return r != null && r.mode() != Mode.OFF;
    }

    /** Whether {@code name} is one of the three signature parameters. */
    public boolean isSignatureParam(String name) {
        return name.equals(expiryParam) || name.equals(keyIdParam) || name.equals(signatureParam);
    }
}
