/**
 * A node's metrics: one Dropwizard {@code MetricRegistry} per node ({@link io.blueorigin.cdn.runtime.metrics.NodeMetrics}),
 * exported on the management port at {@code /metrics} in the Prometheus text format through Prometheus'
 * Dropwizard bridge ({@link io.blueorigin.cdn.runtime.metrics.PrometheusEndpoint}). Labels travel in the
 * Dropwizard names ({@link io.blueorigin.cdn.runtime.metrics.MetricName}). The catalogue is docs/metrics.md.
 */
@NullMarked
package io.blueorigin.cdn.runtime.metrics;

import org.jspecify.annotations.NullMarked;
