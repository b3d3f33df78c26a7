package io.blueorigin.cdn.origin;

import static java.util.Objects.requireNonNull;

import io.blueorigin.cdn.runtime.NodeIdentity;
import io.blueorigin.cdn.runtime.Role;
import io.blueorigin.cdn.runtime.ServerConfig;
import java.time.Duration;

/**
 * Settings of the demo origin ({@code origin.*} keys).
 *
 * @param identity node identity (role {@link Role#ORIGIN})
 * @param server listening settings
 * @param delay processing delay before every content response (the seeds' 50 ms); {@code ?delay_ms=N} overrides it per request
 * @param pageMaxAge {@code max-age} of {@code /item/*} and {@code /article/*}
 * @param staticMaxAge {@code max-age} of {@code /static/*}
 * @param site a site name the origin puts in its pages ({@code "site"} of {@code /item/*}, the text of
 *     {@code /article/*}, their ETags), so two origins' answers differ, as the demo's {@code www} and
 *     {@code img}; empty for none (the pages as before)
 */
public record OriginConfig(NodeIdentity identity, ServerConfig server, Duration delay, Duration pageMaxAge,
        Duration staticMaxAge, String site) {

    /** Upper bound of any delay, configured or per request, so that a typo cannot hang a client for hours. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(60);

    /** What a site name may be (as {@code Site} names: they appear in JSON and ETags unescaped). */
    private static final java.util.regex.Pattern SITE = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    public OriginConfig {
        requireNonNull(identity, "identity is null");
        requireNonNull(server, "server is null");
        requireNonNull(delay, "delay is null");
        requireNonNull(pageMaxAge, "pageMaxAge is null");
        requireNonNull(staticMaxAge, "staticMaxAge is null");
        requireNonNull(site, "site is null");
        if (identity.role() != Role.ORIGIN) {
            throw new IllegalArgumentException("identity.role : " + identity.role() + " (expected: ORIGIN)");
        }
        if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("origin.delay : " + delay + " (expected: 0s..60s)");
        }
        if (pageMaxAge.isNegative()) {
            throw new IllegalArgumentException("origin.page-max-age : " + pageMaxAge + " (expected: >= 0s)");
        }
        if (staticMaxAge.isNegative()) {
            throw new IllegalArgumentException("origin.static-max-age : " + staticMaxAge + " (expected: >= 0s)");
        }
        if (!site.isEmpty() && !SITE.matcher(site).matches()) {
            throw new IllegalArgumentException("origin.site : '" + site
                    + "' (expected: 1-63 lower-case letters, digits, '.', '_' or '-', or empty)");
        }
    }

    /** An origin that names no site in its pages. */
    public OriginConfig(NodeIdentity identity, ServerConfig server, Duration delay, Duration pageMaxAge,
            Duration staticMaxAge) {
        this(identity, server, delay, pageMaxAge, staticMaxAge, "");
    }

    /** Defaults of the demo: 50 ms delay, pages {@code max-age=60}, static {@code max-age=86400}. */
    public static OriginConfig defaults(ServerConfig server) {
        return new OriginConfig(new NodeIdentity(Role.ORIGIN, "origin", "local"), server,
                Duration.ofMillis(50), Duration.ofSeconds(60), Duration.ofDays(1));
    }

    public OriginConfig withDelay(Duration newDelay) {
        return new OriginConfig(identity, server, newDelay, pageMaxAge, staticMaxAge, site);
    }

    /** This origin naming {@code newSite} in its pages. */
    public OriginConfig withSite(String newSite) {
        return new OriginConfig(identity, server, delay, pageMaxAge, staticMaxAge, newSite);
    }
}
