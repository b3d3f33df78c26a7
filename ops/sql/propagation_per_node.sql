-- How long do invalidations take to reach each node: median (p50) and 99th percentile, in milliseconds?
--
-- Parameters (psql variables):
--   since  how far back, by when the entry was made, a PostgreSQL interval (default '7 days')
-- Run:
--   psql "$CDN_DB_URL" -v since='24 hours' -f ops/sql/propagation_per_node.sql
-- Propagation is the node's applied_at (its clock) minus the entry's created_at (the database's): a skewed node
-- clock shows as such. Entries a node has not acknowledged yet are not counted (see GET /api/v1/invalidations/{id}).
-- Reads: reporting.invalidation_propagation (docs/reporting.md).
\if :{?since}
\else
\set since '7 days'
\endif
SELECT node,
    role,
    pop,
    count(*) AS applied,
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY propagation_ms)) AS p50_ms,
    round(percentile_cont(0.99) WITHIN GROUP (ORDER BY propagation_ms)) AS p99_ms,
    max(propagation_ms) AS max_ms
FROM reporting.invalidation_propagation
WHERE created_at > now() - :'since'::interval
GROUP BY node, role, pop
ORDER BY role, pop, node;
