package io.blueorigin.cdn.admin.db;

import static java.util.Objects.requireNonNull;

/**
 * One node's traffic for one label of a breakdown dimension over a window: the sums of its breakdown steps
 * ({@code node_stats_breakdown}, migration V0017) whose row falls in the window (see {@link NodeStats#breakdown}).
 * Sums saturate at {@link Long#MAX_VALUE}.
 *
 * @param nodeId the node's row id
 * @param dimension by content type or by URL pattern
 * @param label the label as the node reported it (e.g. {@code image/*}, {@code /static/*}, {@code other})
 * @param steps heartbeat steps with traffic for this label (at least 1)
 * @param requests requests with this label
 * @param hits of those, served from the cache without waiting for upstream (hit and stale)
 * @param bytesServed body bytes sent to clients for them
 */
public record NodeBreakdownTraffic(long nodeId, Dimension dimension, String label, long steps, long requests, long hits,
        long bytesServed) {

    /** The breakdown dimensions, each with its {@code node_stats_breakdown.dimension} value. */
    public enum Dimension {
        /** {@code traffic.contentTypes}: the response's media type, folded into the node's fixed labels. */
        CONTENT_TYPE("content_type"),
        /** {@code traffic.urlPatterns}: the first of the node's {@code stats.url-patterns} the path matched. */
        URL_PATTERN("url_pattern");

        private final String column;

        Dimension(String column) {
            this.column = column;
        }

        /** The value in {@code node_stats_breakdown.dimension}. */
        public String column() {
            return column;
        }

        static Dimension ofColumn(String column) {
            for (Dimension d : values()) {
                if (d.column.equals(column)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("unknown breakdown dimension: " + column);
        }
    }

    public NodeBreakdownTraffic {
        requireNonNull(dimension, "dimension is null");
        requireNonNull(label, "label is null");
        if (steps < 1 || requests < 0 || hits < 0 || hits > requests || bytesServed < 0) {
            throw new IllegalArgumentException("inconsistent breakdown traffic: " + dimension + " " + label + " " + steps
                    + " " + requests + " " + hits + " " + bytesServed);
        }
    }
}
