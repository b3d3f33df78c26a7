package io.blueorigin.cdn.proxy.control;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a proxy node talks to the control plane ({@code control.*} keys of an edge or shield).
 *
 * @param adminUrls the traffic URLs of admin's replicas (one PostgreSQL behind them all); the agent follows the
 *     first that answers and moves to the next when it stops answering ({@link AdminClient}); empty: a standalone
 *     node (no invalidation log, no PURGE)
 * @param token the node's own token (scope {@code node}, bound to its {@code node.name}) its agent authenticates with
 * @param heartbeatInterval how often the agent reports its progress and stats
 * @param pollWait how long one long-poll waits for new invalidations (at most 30 s, admin's limit)
 * @param orderingWait how long a shield holds a request from an edge that has applied an invalidation
 *     the shield has not yet; after it, the shield fetches from the origin instead of trusting its copy
 * @param startupWait how long a restarted node stays not-ready while it cannot reach admin to replay
 *     what it missed; after it, it serves and reports the lag
 * @param placement what the node registers for routing (coordinates, weight, public URL, DNS addresses)
 * @param shieldsFromRegistry whether an edge's shield ring follows the shields admin's registry lists as
 *     usable ({@code upstream.shields-from-registry}), rather than only {@code upstream.url}
 */
public record ControlConfig(List<URI> adminUrls, Optional<String> token, Duration heartbeatInterval, Duration pollWait,
        Duration orderingWait, Duration startupWait, Placement placement, boolean shieldsFromRegistry) {

    public ControlConfig {
        adminUrls = List.copyOf(requireNonNull(adminUrls, "adminUrls is null"));
        requireNonNull(token, "token is null");
        requireNonNull(heartbeatInterval, "heartbeatInterval is null");
        requireNonNull(pollWait, "pollWait is null");
        requireNonNull(orderingWait, "orderingWait is null");
        requireNonNull(startupWait, "startupWait is null");
        requireNonNull(placement, "placement is null");
        for (URI url : adminUrls) {
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("control.admin-url : " + url + " (expected: an http:// or https:// URL)");
            }
        }
        if (adminUrls.stream().distinct().count() != adminUrls.size()) {
            throw new IllegalArgumentException("control.admin-url : " + adminUrls + " (expected: each admin replica once)");
        }
        if (!adminUrls.isEmpty() && token.isEmpty()) {
            throw new IllegalArgumentException("control.token is required with control.admin-url (the node's own token, scope"
                    + " node, bound to its node.name: POST /api/v1/tokens on admin; set it in the CDN_CONTROL_TOKEN environment"
                    + " variable rather than in a file)");
        }
        if (heartbeatInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("control.heartbeat-interval : " + heartbeatInterval + " (expected: >= 1s)");
        }
        if (pollWait.isNegative() || pollWait.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("control.poll-wait : " + pollWait + " (expected: 0s..30s)");
        }
        if (orderingWait.isNegative() || startupWait.isNegative()) {
            throw new IllegalArgumentException("control.ordering-wait / control.startup-wait : expected >= 0");
        }
    }

    /** Never shows the token (configs end up in logs). */
    @Override
    public String toString() {
        return "ControlConfig[adminUrls=" + (adminUrls.isEmpty() ? "none" : adminUrls) + ", token="
                + token.map(t -> "(set)").orElse("none") + ", heartbeatInterval=" + heartbeatInterval + ", pollWait=" + pollWait
                + ", orderingWait=" + orderingWait + ", startupWait=" + startupWait + ", placement=" + placement
                + ", shieldsFromRegistry=" + shieldsFromRegistry + "]";
    }

    /** No control plane: a standalone node. */
    public static ControlConfig none() {
        return new ControlConfig(List.of(), Optional.empty(), Duration.ofSeconds(10), Duration.ofSeconds(25),
                Duration.ofSeconds(2), Duration.ofSeconds(30), Placement.none(), true);
    }

    /** The admin at {@code url} with {@code token}, other settings at their defaults. */
    public static ControlConfig of(URI url, String token) {
        return of(List.of(url), token);
    }

    /** The admin replicas at {@code urls} (followed in this order of preference) with {@code token}. */
    public static ControlConfig of(List<URI> urls, String token) {
        return new ControlConfig(urls, Optional.of(token), Duration.ofSeconds(10), Duration.ofSeconds(25),
                Duration.ofSeconds(2), Duration.ofSeconds(30), Placement.none(), true);
    }

    public boolean enabled() {
        return !adminUrls.isEmpty();
    }

    public ControlConfig withHeartbeatInterval(Duration interval) {
        return new ControlConfig(adminUrls, token, interval, pollWait, orderingWait, startupWait, placement,
                shieldsFromRegistry);
    }

    public ControlConfig withWaits(Duration newPollWait, Duration newOrderingWait, Duration newStartupWait) {
        return new ControlConfig(adminUrls, token, heartbeatInterval, newPollWait, newOrderingWait, newStartupWait,
                placement, shieldsFromRegistry);
    }

    public ControlConfig withPlacement(Placement newPlacement) {
        return new ControlConfig(adminUrls, token, heartbeatInterval, pollWait, orderingWait, startupWait, newPlacement,
                shieldsFromRegistry);
    }

    public ControlConfig withShieldsFromRegistry(boolean follow) {
        return new ControlConfig(adminUrls, token, heartbeatInterval, pollWait, orderingWait, startupWait, placement, follow);
    }
}
