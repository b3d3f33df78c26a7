-- Per-site traffic steps (issue 11): nodes' heartbeats carry, in stats.traffic.sites, cumulative request
-- counters per site label since the node process started:
--   {"<label>": {"hit": n, "stale": n, "revalidated": n, "miss": n, "pass": n, "error": n}, ...}
-- (labels bounded by the nodes: at most 100 site names, `other` and `none`). Like the node's totals (V0007),
-- each heartbeat row's per-site step is computed once, when the row is inserted, and stored, here one row
-- per label with traffic in the step, so GET /api/v1/stats sums the window's steps (db/NodeStats.siteTraffic).
--
-- Rules, on top of V0007's: a row gets site steps only when it is a step (previous_at set: its node's
-- previous row with traffic exists) and its traffic.sites is an object. A label's step is the difference of
-- its counters and the same label's in the previous row (0 when the previous row lacks the label or has no
-- traffic.sites); it is a reset, counting the row's own counters, when the node's step is a reset (startedAt
-- changed or any total counter decreased) or any of the label's six counters decreased. Counters are clamped
-- as in V0007 (node_stats_counter); a label's value that is not an object counts zeros. Labels must match
-- the site-name rule (sites.name) and at most 250 are read per row (by jsonb key order); others are ignored.
-- Steps without requests are not stored. Rows stored before this migration are backfilled by the same rules.
CREATE TABLE node_stats_sites (
    stats_id bigint NOT NULL REFERENCES node_stats (id) ON DELETE CASCADE,
    site     text   NOT NULL,
    requests bigint NOT NULL CHECK (requests > 0),
    hits     bigint NOT NULL CHECK (hits >= 0 AND hits <= requests),
    -- the window query joins the window's node_stats rows to this index alone
    PRIMARY KEY (stats_id, site) INCLUDE (requests, hits)
);

COMMENT ON TABLE node_stats_sites IS 'Per-site traffic step of a node_stats row (stats.traffic.sites), one row per label with requests in the step';
COMMENT ON COLUMN node_stats_sites.requests IS 'Requests of every kind for this site label since the previous row';
COMMENT ON COLUMN node_stats_sites.hits IS 'Requests for this site label served from the cache since the previous row (hit + stale)';

-- The six request counters of one label, clamped: hit, stale, revalidated, miss, pass, error.
CREATE FUNCTION node_stats_site_counters(v jsonb) RETURNS bigint[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT ARRAY[node_stats_counter(v -> 'hit'), node_stats_counter(v -> 'stale'), node_stats_counter(v -> 'revalidated'),
    node_stats_counter(v -> 'miss'), node_stats_counter(v -> 'pass'), node_stats_counter(v -> 'error')]
$$;

-- Whether the node's step from counters p to c (node_stats_counters) is a reset: restarted, or a counter decreased.
CREATE FUNCTION node_stats_reset(c bigint[], p bigint[], restarted boolean) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT restarted OR p[1] > c[1] OR p[2] > c[2] OR p[3] > c[3] OR p[4] > c[4] OR p[5] > c[5] OR p[6] > c[6]
    OR p[7] > c[7] OR p[8] > c[8] OR p[9] > c[9]
$$;

-- The per-site steps from the previous row's traffic object to this row's, the node's step being a reset or not.
CREATE FUNCTION node_stats_site_steps(traffic jsonb, previous jsonb, reset boolean)
    RETURNS TABLE (site text, requests bigint, hits bigint)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT l.site,
    CASE WHEN l.r THEN l.c[1] + l.c[2] + l.c[3] + l.c[4] + l.c[5] + l.c[6]
        ELSE (l.c[1] + l.c[2] + l.c[3] + l.c[4] + l.c[5] + l.c[6]) - (l.p[1] + l.p[2] + l.p[3] + l.p[4] + l.p[5] + l.p[6])
    END,
    CASE WHEN l.r THEN l.c[1] + l.c[2] ELSE (l.c[1] + l.c[2]) - (l.p[1] + l.p[2]) END
FROM (
    SELECT k.site, k.c, k.p, reset OR k.p[1] > k.c[1] OR k.p[2] > k.c[2] OR k.p[3] > k.c[3] OR k.p[4] > k.c[4]
        OR k.p[5] > k.c[5] OR k.p[6] > k.c[6] AS r
    FROM (
        SELECT e.key AS site, node_stats_site_counters(e.value) AS c,
            node_stats_site_counters(CASE WHEN jsonb_typeof(previous -> 'sites') = 'object'
                THEN previous -> 'sites' -> e.key END) AS p
        FROM jsonb_each(CASE WHEN jsonb_typeof(traffic -> 'sites') = 'object' THEN traffic -> 'sites'
            ELSE '{}'::jsonb END) e
        WHERE e.key ~ '^[a-z0-9][a-z0-9._-]{0,62}$'
        ORDER BY e.key
        LIMIT 250
    ) k
) l
WHERE CASE WHEN l.r THEN l.c[1] + l.c[2] + l.c[3] + l.c[4] + l.c[5] + l.c[6]
        ELSE (l.c[1] + l.c[2] + l.c[3] + l.c[4] + l.c[5] + l.c[6]) - (l.p[1] + l.p[2] + l.p[3] + l.p[4] + l.p[5] + l.p[6])
    END > 0
$$;

-- Rows stored before this migration: the steps of rows that carry traffic.sites, from each node's previous
-- row with traffic by time (as V0007 did). Only nodes that sent traffic.sites are read in order.
INSERT INTO node_stats_sites (stats_id, site, requests, hits)
SELECT l.id, s.site, s.requests, s.hits
FROM (
    SELECT id, traffic, lag(traffic) OVER w AS previous, previous_at
    FROM (
        SELECT id, node_id, at, previous_at, stats -> 'traffic' AS traffic
        FROM node_stats
        WHERE jsonb_typeof(stats -> 'traffic') = 'object'
            AND node_id IN (SELECT DISTINCT node_id FROM node_stats WHERE jsonb_typeof(stats -> 'traffic' -> 'sites') = 'object')
    ) t
    WINDOW w AS (PARTITION BY node_id ORDER BY at, id)
) l
CROSS JOIN LATERAL node_stats_site_steps(l.traffic, l.previous, node_stats_reset(node_stats_counters(l.traffic),
    node_stats_counters(l.previous), (l.traffic ->> 'startedAt') IS DISTINCT FROM (l.previous ->> 'startedAt'))) s
WHERE l.previous IS NOT NULL AND l.previous_at IS NOT NULL AND jsonb_typeof(l.traffic -> 'sites') = 'object';

-- Each new row's site steps, after V0007's trigger set its step: from the same previous row (the node's row
-- with traffic inserted last before it; the node's row is locked since the BEFORE trigger, so no other row of
-- the node can come between).
CREATE FUNCTION node_stats_insert_sites() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    previous jsonb;
BEGIN
    SELECT s.stats -> 'traffic' INTO previous
    FROM node_stats s
    WHERE s.node_id = NEW.node_id AND s.id <> NEW.id AND jsonb_typeof(s.stats -> 'traffic') = 'object'
    ORDER BY s.id DESC
    LIMIT 1;
    IF FOUND THEN
        INSERT INTO node_stats_sites (stats_id, site, requests, hits)
        SELECT NEW.id, s.site, s.requests, s.hits
        FROM node_stats_site_steps(NEW.stats -> 'traffic', previous, node_stats_reset(
            node_stats_counters(NEW.stats -> 'traffic'), node_stats_counters(previous),
            (NEW.stats -> 'traffic' ->> 'startedAt') IS DISTINCT FROM (previous ->> 'startedAt'))) s;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER node_stats_insert_sites AFTER INSERT ON node_stats
    FOR EACH ROW WHEN (NEW.previous_at IS NOT NULL AND jsonb_typeof(NEW.stats -> 'traffic' -> 'sites') = 'object')
    EXECUTE FUNCTION node_stats_insert_sites();
