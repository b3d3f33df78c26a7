-- Every node state change (health checks, drains, registrations), newest first.
--
-- Parameters (psql variables):
--   since  how far back, a PostgreSQL interval (default '7 days')
--   node   only this node (default: every node)
-- Run:
--   psql "$CDN_DB_URL" -v since='24 hours' -v node=edge-nyc -f ops/sql/node_state_changes.sql
-- Reads: reporting.node_states (docs/reporting.md).
\if :{?since}
\else
\set since '7 days'
\endif
\if :{?node}
\else
\set node ''
\endif
SELECT changed_at,
    node,
    role,
    pop,
    from_state,
    to_state,
    reason,
    actor
FROM reporting.node_states
WHERE changed_at > now() - :'since'::interval
    AND (:'node' = '' OR node = :'node')
ORDER BY id DESC;
