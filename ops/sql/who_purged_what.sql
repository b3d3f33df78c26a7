-- Who purged or banned what, newest first?
--
-- Parameters (psql variables):
--   since  how far back, a PostgreSQL interval (default '7 days')
--   who    only this API token's name (default: every token)
--   limit  at most this many rows (default 1000)
-- Run:
--   psql "$CDN_DB_URL" -v since='30 days' -v who=ops-bob -f ops/sql/who_purged_what.sql
-- Lists purges, tag purges, bans and purge-alls; site and key changes are in the site audit (GET /api/v1/sites).
-- Reads: reporting.invalidations (docs/reporting.md).
\if :{?since}
\else
\set since '7 days'
\endif
\if :{?who}
\else
\set who ''
\endif
\if :{?limit}
\else
\set limit 1000
\endif
SELECT created_at,
    created_by,
    kind,
    soft,
    site,
    target,
    targets,
    expires_at,
    id
FROM reporting.invalidations
WHERE created_at > now() - :'since'::interval
    AND kind IN ('purge', 'purge_tags', 'ban', 'purge_all')
    AND (:'who' = '' OR created_by = :'who')
ORDER BY id DESC
LIMIT :'limit'::integer;
