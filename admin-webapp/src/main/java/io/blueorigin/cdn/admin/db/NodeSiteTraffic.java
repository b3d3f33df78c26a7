package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

/**
 * One node's traffic for one site label over a window: the sums of its per-site heartbeat steps
 * ({@code node_stats_sites}) whose row falls in the window (see {@link NodeStats#siteTraffic}). Sums saturate
 * at {@link Long#MAX_VALUE}.
 *
 * @param nodeId the node's row id
 * @param site the label as the node reported it: a site name, {@code other} or {@code none}
 * @param steps heartbeat steps with requests for this label (at least 1)
 * @param requests requests of every kind ({@code traffic.sites.<label>}: hit, stale, revalidated, miss, pass, error)
 * @param hits requests served from the cache without waiting for upstream (hit and stale)
 */
public record NodeSiteTraffic(long nodeId, String site, long steps, long requests, long hits) {
    public NodeSiteTraffic {
        requireNonNull(site, "site is null");
        if (steps < 1 || requests < 0 || hits < 0 || hits > requests) {
            throw new IllegalArgumentException("inconsistent site traffic: " + site + " " + steps + " " + requests + " "
                    + hits);
        }
    }
}
