/**
 * What the admin console's report, history and lookup pages show, as plain Java (values in, records out, no servlet
 * types): the {@code ops/sql/} reports run over JDBC ({@link io.blueorigin.cdn.admin.report.SqlReports}), the
 * invalidation history with filters ({@link io.blueorigin.cdn.admin.report.InvalidationHistory}), CSV export
 * ({@link io.blueorigin.cdn.admin.report.Csv}) and every node's cache inspector asked at once
 * ({@link io.blueorigin.cdn.admin.report.NodeLookup}).
 */
@NullMarked
package io.blueorigin.cdn.admin.report;

import org.jspecify.annotations.NullMarked;
