-- How many invalidations were made per day and kind, and how many URLs or tags they named?
--
-- Parameters (psql variables):
--   since  how far back, a PostgreSQL interval (default '30 days')
-- Run:
--   psql "$CDN_DB_URL" -v since='90 days' -f ops/sql/invalidations_per_day.sql
-- Days are UTC days. Configuration entries of the log (site_put, site_remove, keys_put) are counted too, by kind.
-- Reads: reporting.invalidations (docs/reporting.md).
\if :{?since}
\else
\set since '30 days'
\endif
SELECT (date_trunc('day', created_at, 'UTC') AT TIME ZONE 'UTC')::date AS day,
    kind,
    count(*) AS invalidations,
    count(*) FILTER (WHERE soft) AS soft,
    sum(targets) AS targets
FROM reporting.invalidations
WHERE created_at > now() - :'since'::interval
GROUP BY 1, kind
ORDER BY day DESC, kind;
