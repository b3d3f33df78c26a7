package io.blueorigin.cdn.httpcache.site;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A host name a site claims: exact ({@code www.example.com}) or a one-level wildcard
 * ({@code *.img.example.com}), which matches exactly one more label ({@code a.img.example.com}, not
 * {@code img.example.com} nor {@code b.a.img.example.com}), as TLS certificates do (RFC 6125 §6.4.3).
 * Stored lower case, without a port; DNS syntax (RFC 1123 labels, 253 characters at most) or an IPv4 literal.
 *
 * @param domain the host (exact) or what follows {@code *.} (wildcard)
 * @param wildcard whether this is {@code *.domain}
 */
public record HostPattern(String domain, boolean wildcard) {
    public HostPattern {
        requireNonNull(domain, "domain is null");
    }

    /**
     * @param field the field's JSON path, for the error
     * @throws SiteException naming {@code field} when {@code text} is not a host name or a one-level wildcard
     */
    public static HostPattern parse(String text, String field) {
        // ASCII only: Locale.ROOT would turn U+212A KELVIN SIGN into 'k', accepting a name as another
        String host = asciiLowerCase(text);
        boolean wildcard = host.startsWith("*.");
        String domain = wildcard ? host.substring(2) : host;
        if (domain.contains("*")) {
            throw new SiteException(field, "'" + text + "': a wildcard is one '*.' label at the start, matching exactly"
                    + " one label (e.g. *.img.example.com)");
        }
        String problem = hostProblem(domain);
        if (problem != null) {
            throw new SiteException(field, "'" + text + "' is not a host name: " + problem);
        }
        if (wildcard && domain.indexOf('.') < 0) {
            throw new SiteException(field, "'" + text + "': a wildcard needs at least two labels after '*.'");
        }
        return new HostPattern(domain, wildcard);
    }

    /** {@code text} with A-Z lower-cased and every other character (also non-ASCII ones) as it is. */
    static String asciiLowerCase(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (sb == null) {
                    sb = new StringBuilder(text);
                }
                sb.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return sb == null ? text : sb.toString();
    }

    /** Why {@code host} is not a DNS host name, or null when it is one. */
    static @Nullable String hostProblem(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return "1 to 253 characters";
        }
        for (String label : host.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return "each dot-separated label has 1 to 63 characters";
            }
            if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
                return "a label neither starts nor ends with '-'";
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                    return "letters, digits, '-' and '.' only (IDNs in their xn-- form)";
                }
            }
        }
        return null;
    }

    /** Whether this pattern matches {@code host} (lower case, no port). */
    public boolean matches(String host) {
        if (!wildcard) {
            return domain.equals(host);
        }
        int dot = host.indexOf('.');
        return dot > 0 && host.length() - dot - 1 == domain.length() && host.endsWith(domain);
    }

    /**
     * Whether some host matches both patterns: two exact ones equal, an exact one the wildcard matches, or two
     * wildcards over the same domain.
     */
    public boolean overlaps(HostPattern other) {
        if (wildcard == other.wildcard) {
            return domain.equals(other.domain);
        }
        return wildcard ? matches(other.domain) : other.matches(domain);
    }

    @Override
    public String toString() {
        return wildcard ? "*." + domain : domain;
    }
}
