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
 */
public record OriginConfig(NodeIdentity identity, ServerConfig server, Duration delay, Duration pageMaxAge,
        Duration staticMaxAge) {

    /** Upper bound of any delay, configured or per request, so that a typo cannot hang a client for hours. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(60);

    public OriginConfig {
        requireNonNull(identity, "identity is null");
        requireNonNull(server, "server is null");
        requireNonNull(delay, "delay is null");
        requireNonNull(pageMaxAge, "pageMaxAge is null");
        requireNonNull(staticMaxAge, "staticMaxAge is null");
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
    }

    /** Defaults of the demo: 50 ms delay, pages {@code max-age=60}, static {@code max-age=86400}. */
    public static OriginConfig defaults(ServerConfig server) {
        return new OriginConfig(new NodeIdentity(Role.ORIGIN, "origin", "local"), server,
                Duration.ofMillis(50), Duration.ofSeconds(60), Duration.ofDays(1));
    }

    public OriginConfig withDelay(Duration newDelay) {
        return new OriginConfig(identity, server, newDelay, pageMaxAge, staticMaxAge);
    }
}
