-- Requests, hit ratio and bytes per tier (edge, shield) and UTC hour.
--
-- Parameters (psql variables):
--   since  how far back, a PostgreSQL interval (default '24 hours')
-- Run:
--   psql "$CDN_DB_URL" -v since='7 days' -f ops/sql/traffic_per_tier_hourly.sql
-- A tier's figures are the sums of its nodes'. The edge tier is what clients saw; the shield tier's
-- bytes_upstream is what reached the origin (GET /api/v1/stats reports the same as the cluster's).
-- Reads: reporting.node_traffic_hourly (docs/reporting.md).
\if :{?since}
\else
\set since '24 hours'
\endif
SELECT hour,
    role AS tier,
    count(*) AS nodes,
    sum(requests) AS requests,
    sum(hits) AS hits,
    round(sum(hits) / NULLIF(sum(requests), 0), 4) AS hit_ratio,
    sum(bytes_served) AS bytes_served,
    sum(bytes_upstream) AS bytes_upstream,
    sum(bytes_saved) AS bytes_saved
FROM reporting.node_traffic_hourly
WHERE hour > now() - :'since'::interval - interval '1 hour'
GROUP BY hour, role
ORDER BY hour DESC, tier;
