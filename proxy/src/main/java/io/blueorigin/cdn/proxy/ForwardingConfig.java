package io.blueorigin.cdn.proxy;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * What a node passes upstream of the client's own claims ({@code forwarding.*} keys).
 *
 * @param strippedFields request fields removed before any request goes upstream: fields origins and frameworks
 *     read to build links, redirects or routes, or to change the method, which are not part of the cache key, so
 *     a client could otherwise poison an object for everyone
 * @param trustedProxies addresses or CIDR ranges of proxies in front of this node (a load balancer; for a shield,
 *     its edges) whose {@code Forwarded} and {@code X-Forwarded-For} are kept and appended to; from any other
 *     peer those fields are replaced by the peer's own address
 */
public record ForwardingConfig(List<String> strippedFields, List<String> trustedProxies) {
    /** Field names: RFC 9110 tokens (letters, digits and a few marks). */
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");

    /**
     * {@code forwarding.strip-fields}'s default: the fields known to poison caches when an origin trusts them
     * (host and scheme overrides, path overrides used by IIS and Symfony, method overrides).
     */
    public static final List<String> DEFAULT_STRIPPED = List.of("X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port",
            "X-Forwarded-Scheme", "X-Forwarded-Server", "X-Forwarded-Prefix", "X-Forwarded-Ssl", "Front-End-Https",
            "X-Original-URL", "X-Rewrite-URL", "X-Original-Host", "X-Host", "X-HTTP-Method-Override", "X-HTTP-Method",
            "X-Method-Override");

    public ForwardingConfig {
        requireNonNull(strippedFields, "strippedFields is null");
        requireNonNull(trustedProxies, "trustedProxies is null");
        strippedFields = List.copyOf(strippedFields);
        trustedProxies = List.copyOf(trustedProxies);
        for (String name : strippedFields) {
            if (!FIELD_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("forwarding.strip-fields : '" + name
                        + "' (expected: header field names such as X-Forwarded-Host, comma-separated)");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("host") || lower.equals("forwarded") || lower.equals("x-forwarded-for")) {
                throw new IllegalArgumentException("forwarding.strip-fields : '" + name
                        + "' (expected: not Host, Forwarded or X-Forwarded-For, which the node always rewrites itself)");
            }
        }
        trustedSet(trustedProxies); // validates
    }

    /** The defaults: {@link #DEFAULT_STRIPPED}, no trusted proxy. */
    public static ForwardingConfig defaults() {
        return new ForwardingConfig(DEFAULT_STRIPPED, List.of());
    }

    /** These settings with {@code proxies} trusted. */
    public ForwardingConfig withTrustedProxies(List<String> proxies) {
        return new ForwardingConfig(strippedFields, proxies);
    }

    /** The trusted proxies as a set of address patterns (Jetty's {@link InetAddressSet}: addresses, CIDR, ranges). */
    InetAddressSet trustedSet() {
        return trustedSet(trustedProxies);
    }

    private static InetAddressSet trustedSet(List<String> proxies) {
        InetAddressSet set = new InetAddressSet();
        for (String proxy : proxies) {
            try {
                if (proxy.isBlank() || !set.add(proxy.trim())) {
                    throw new IllegalArgumentException("empty or repeated");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("forwarding.trusted-proxies : '" + proxy
                        + "' (expected: IP addresses or CIDR ranges such as 10.0.0.0/8 or fd00::/8, comma-separated)", e);
            }
        }
        return set;
    }
}
