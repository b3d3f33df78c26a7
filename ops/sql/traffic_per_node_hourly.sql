-- Requests, hit ratio and bytes per node and UTC hour.
--
-- Parameters (psql variables):
--   since  how far back, a PostgreSQL interval (default '24 hours')
-- Run:
--   psql "$CDN_DB_URL" -v since='7 days' -f ops/sql/traffic_per_node_hourly.sql
-- The figures are those of GET /api/v1/stats?window=1h over each hour (heartbeat steps; docs/reporting.md).
-- Hours without heartbeat steps have no row. The current hour is partial.
-- Reads: reporting.node_traffic_hourly (docs/reporting.md).
\if :{?since}
\else
\set since '24 hours'
\endif
SELECT hour,
    node,
    role,
    pop,
    requests,
    hits,
    hit_ratio,
    bytes_served,
    bytes_upstream,
    bytes_saved
FROM reporting.node_traffic_hourly
WHERE hour > now() - :'since'::interval - interval '1 hour'
ORDER BY hour DESC, role, pop, node;
