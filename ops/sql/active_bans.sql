-- Which bans apply now, who made them, and when do they expire?
--
-- Parameters: none.
-- Run:
--   psql "$CDN_DB_URL" -f ops/sql/active_bans.sql
-- Reads: reporting.active_bans (docs/reporting.md).
SELECT id,
    ban_kind,
    pattern,
    site,
    created_by,
    created_at,
    expires_at,
    remaining_seconds
FROM reporting.active_bans
ORDER BY expires_at, id;
