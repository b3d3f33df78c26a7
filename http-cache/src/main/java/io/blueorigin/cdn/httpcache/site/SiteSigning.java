package io.blueorigin.cdn.httpcache.site;

import io.blueorigin.cdn.httpcache.RequestTarget;
import io.blueorigin.cdn.httpcache.signing.SigningPolicy;
import io.blueorigin.cdn.httpcache.signing.SigningPolicy.Mode;
import io.blueorigin.cdn.httpcache.signing.SigningPolicy.Rule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code delivery.signing} member of a site definition, read into a {@link SigningPolicy} (docs/signed-urls.md).
 * The keys are not part of the definition: they are secrets, kept by admin per site
 * ({@code /api/v1/sites/{name}/keys}) and sent to nodes apart.
 *
 * <pre>{@code
 * "signing": {"rules": [{"prefix": "/private/", "mode": "required", "params": ["w"]},
 *                       {"prefix": "/private/open/", "mode": "off"}],
 *             "expiryParam": "exp", "keyIdParam": "kid", "signatureParam": "sig", "maxLifetime": "31d"}
 * }</pre>
 * Every field but {@code rules} may be left out (the defaults above); a rule's {@code mode} is
 * {@code required}, {@code optional} or {@code off} ({@code required} when left out) and {@code params} the
 * query parameters the signature covers (none when left out).
 */
final class SiteSigning {
    static final Set<String> FIELDS = Set.of("rules", "expiryParam", "keyIdParam", "signatureParam", "maxLifetime");
    static final Set<String> RULE_FIELDS = Set.of("prefix", "mode", "params");
    /** Longest prefix. */
    static final int MAX_PREFIX = 1024;

    private SiteSigning() {}

    static SigningPolicy fromMap(@Nullable Object value, String path) {
        if (value == null) {
            return SigningPolicy.NONE;
        }
        Fields f = Fields.of(value, path, FIELDS);
        String exp = param(f, "expiryParam", SigningPolicy.DEFAULT_EXPIRY_PARAM);
        String kid = param(f, "keyIdParam", SigningPolicy.DEFAULT_KEY_ID_PARAM);
        String sig = param(f, "signatureParam", SigningPolicy.DEFAULT_SIGNATURE_PARAM);
        if (new HashSet<>(List.of(exp, kid, sig)).size() != 3) {
            throw new SiteException(f.path("signatureParam"), "expiryParam, keyIdParam and signatureParam must differ");
        }
        Duration lifetime = f.duration("maxLifetime", Duration.ofSeconds(1), Duration.ofSeconds(SigningPolicy.MAX_LIFETIME_SECONDS));
        List<Object> ruleValues = f.list("rules");
        if (ruleValues.size() > SigningPolicy.MAX_RULES) {
            throw new SiteException(f.path("rules"), "at most " + SigningPolicy.MAX_RULES + " rules");
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < ruleValues.size(); i++) {
            String at = f.path("rules") + "[" + i + "]";
            Fields r = Fields.of(ruleValues.get(i), at, RULE_FIELDS);
            String prefix = r.string("prefix");
            if (!prefix.startsWith("/") || prefix.length() > MAX_PREFIX || !canonical(prefix)) {
                throw new SiteException(r.path("prefix"), "expected a path starting with '/', at most " + MAX_PREFIX
                        + " characters, in canonical form (percent-encoded, no '.' or '..' segments, no '?')");
            }
            if (!prefixes.add(prefix)) {
                throw new SiteException(r.path("prefix"), "'" + prefix + "' is the prefix of an earlier rule too");
            }
            Mode mode = r.choice("mode", Mode.class, Mode.REQUIRED);
            List<Object> names = r.list("params");
            if (names.size() > SigningPolicy.MAX_SIGNED_PARAMS) {
                throw new SiteException(r.path("params"), "at most " + SigningPolicy.MAX_SIGNED_PARAMS + " names");
            }
            List<String> params = new ArrayList<>();
            for (int j = 0; j < names.size(); j++) {
                Object n = names.get(j);
                String field = r.path("params") + "[" + j + "]";
                if (!(n instanceof String s) || !SigningPolicy.isParamName(s)) {
                    throw new SiteException(field, "expected a parameter name (1-64 letters, digits, '.', '_', '~' or '-')");
                }
                if (s.equals(exp) || s.equals(kid) || s.equals(sig)) {
                    throw new SiteException(field, "'" + s + "' is a signature parameter; it cannot be signed");
                }
                if (params.contains(s)) {
                    throw new SiteException(field, "'" + s + "' is listed twice");
                }
                params.add(s);
            }
            rules.add(new Rule(prefix, mode, params));
        }
        return new SigningPolicy(rules, exp, kid, sig,
                lifetime == null ? SigningPolicy.DEFAULT_LIFETIME_SECONDS : lifetime.toSeconds());
    }

    private static String param(Fields f, String name, String orElse) {
        String v = f.optionalString(name);
        if (v == null) {
            return orElse;
        }
        if (!SigningPolicy.isParamName(v)) {
            throw new SiteException(f.path(name), "expected a parameter name (1-64 letters, digits, '.', '_', '~' or '-')");
        }
        return v;
    }

    private static boolean canonical(String prefix) {
        try {
            return RequestTarget.parse(prefix, null).path().equals(prefix);
        } catch (RequestTarget.InvalidTarget e) {
            return false;
        }
    }

    /** The JSON form, which {@link #fromMap} reads back to an equal policy. */
    static Map<String, Object> toMap(SigningPolicy policy) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> rules = new ArrayList<>();
        for (Rule r : policy.rules()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("prefix", r.prefix());
            rule.put("mode", r.mode().label());
            if (!r.signedParams().isEmpty()) {
                rule.put("params", r.signedParams());
            }
            rules.add(rule);
        }
        m.put("rules", rules);
        m.put("expiryParam", policy.expiryParam());
        m.put("keyIdParam", policy.keyIdParam());
        m.put("signatureParam", policy.signatureParam());
        m.put("maxLifetime", Fields.format(Duration.ofSeconds(policy.maxLifetimeSeconds())));
        return m;
    }
}
