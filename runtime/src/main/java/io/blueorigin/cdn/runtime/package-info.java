/**
 * What every Blue Origin node process has in common, whatever its role: the Jetty server for customer
 * traffic, a second server on the management port for {@code /healthz}, {@code /readyz} and {@code /metrics}
 * (so no customer path is ever shadowed and probes stay answerable when the traffic pool is saturated),
 * node identity, readiness checks, and the start-up errors that name the setting an operator must change.
 */
@NullMarked
package io.blueorigin.cdn.runtime;

import org.jspecify.annotations.NullMarked;
