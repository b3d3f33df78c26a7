-- Which surrogate keys (tags) are purged most, and when and by whom last?
--
-- Parameters (psql variables):
--   since  how far back, a PostgreSQL interval (default '30 days')
--   top    how many tags to list (default 20)
-- Run:
--   psql "$CDN_DB_URL" -v since='7 days' -v top=50 -f ops/sql/tags_most_purged.sql
-- Reads: reporting.tag_purges (docs/reporting.md).
\if :{?since}
\else
\set since '30 days'
\endif
\if :{?top}
\else
\set top 20
\endif
SELECT tag,
    count(*) AS purges,
    max(purged_at) AS last_purged_at,
    (array_agg(purged_by ORDER BY purged_at DESC, invalidation_id DESC))[1] AS last_purged_by
FROM reporting.tag_purges
WHERE purged_at > now() - :'since'::interval
GROUP BY tag
ORDER BY purges DESC, last_purged_at DESC, tag
LIMIT :'top'::integer;
