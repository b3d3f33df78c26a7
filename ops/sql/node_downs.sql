-- How often did each node go down, when last and why, and what is its state now?
--
-- Parameters (psql variables):
--   since  how far back, a PostgreSQL interval (default '30 days')
-- Run:
--   psql "$CDN_DB_URL" -v since='7 days' -f ops/sql/node_downs.sql
-- Lists every registered node, with 0 downs when it had none. Drains are not downs (node_state_changes.sql).
-- Reads: reporting.nodes, reporting.node_states (docs/reporting.md).
\if :{?since}
\else
\set since '30 days'
\endif
SELECT n.node,
    n.role,
    n.pop,
    count(s.id) AS downs,
    max(s.changed_at) AS last_down_at,
    (array_agg(s.reason ORDER BY s.id DESC) FILTER (WHERE s.id IS NOT NULL))[1] AS last_down_reason,
    n.state,
    n.state_since
FROM reporting.nodes n
LEFT JOIN reporting.node_states s ON s.node = n.node AND s.to_state = 'down'
    AND s.changed_at > now() - :'since'::interval
GROUP BY n.node, n.role, n.pop, n.state, n.state_since
ORDER BY downs DESC, n.node;
