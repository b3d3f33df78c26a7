-- Which nodes apply invalidations slowest (by 99th percentile), and which entry took them longest?
--
-- Parameters (psql variables):
--   since  how far back, by when the entry was made, a PostgreSQL interval (default '7 days')
--   top    how many nodes to list (default 10)
-- Run:
--   psql "$CDN_DB_URL" -v since='24 hours' -v top=5 -f ops/sql/slowest_nodes.sql
-- Propagation mixes the node's clock and the database's (see propagation_per_node.sql).
-- Reads: reporting.invalidation_propagation (docs/reporting.md).
\if :{?since}
\else
\set since '7 days'
\endif
\if :{?top}
\else
\set top 10
\endif
SELECT node,
    role,
    pop,
    count(*) AS applied,
    round(percentile_cont(0.99) WITHIN GROUP (ORDER BY propagation_ms)) AS p99_ms,
    max(propagation_ms) AS max_ms,
    (array_agg(invalidation_id ORDER BY propagation_ms DESC, invalidation_id))[1] AS slowest_invalidation_id
FROM reporting.invalidation_propagation
WHERE created_at > now() - :'since'::interval
GROUP BY node, role, pop
ORDER BY p99_ms DESC, max_ms DESC, node
LIMIT :'top'::integer;
