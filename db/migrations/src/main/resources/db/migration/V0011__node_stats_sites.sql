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

-- Whether the node's step from counters p to c (node_stats_counters) is a reset: restarted, or a counter decreased.
CREATE FUNCTION node_stats_reset(c bigint[], p bigint[], restarted boolean) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT restarted OR p[1] > c[1] OR p[2] > c[2] OR p[3] > c[3] OR p[4] > c[4] OR p[5] > c[5] OR p[6] > c[6]
    OR p[7] > c[7] OR p[8] > c[8] OR p[9] > c[9]
$$;

-- The per-site steps from the previous row's traffic.sites to this row's, the node's step being a reset or
-- not. One pass over each object (a hash join on the label) and only inlinable expressions: about 1 ms for
-- 102 labels (calling a non-inlined function per label and counter cost 30 ms).
CREATE FUNCTION node_stats_site_steps(sites jsonb, previous_sites jsonb, reset boolean)
    RETURNS TABLE (site text, requests bigint, hits bigint)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT d.site, CASE WHEN d.r THEN d.cs ELSE d.cs - d.ps END, CASE WHEN d.r THEN d.ch ELSE d.ch - d.ph END
FROM (
    SELECT k.site, k.c1 + k.c2 + k.c3 + k.c4 + k.c5 + k.c6 AS cs, k.c1 + k.c2 AS ch,
        k.p1 + k.p2 + k.p3 + k.p4 + k.p5 + k.p6 AS ps, k.p1 + k.p2 AS ph,
        reset OR k.p1 > k.c1 OR k.p2 > k.c2 OR k.p3 > k.c3 OR k.p4 > k.c4 OR k.p5 > k.c5 OR k.p6 > k.c6 AS r
    FROM (
        SELECT e.key AS site,
            node_stats_counter(e.value -> 'hit') AS c1, node_stats_counter(e.value -> 'stale') AS c2,
            node_stats_counter(e.value -> 'revalidated') AS c3, node_stats_counter(e.value -> 'miss') AS c4,
            node_stats_counter(e.value -> 'pass') AS c5, node_stats_counter(e.value -> 'error') AS c6,
            node_stats_counter(pe.value -> 'hit') AS p1, node_stats_counter(pe.value -> 'stale') AS p2,
            node_stats_counter(pe.value -> 'revalidated') AS p3, node_stats_counter(pe.value -> 'miss') AS p4,
            node_stats_counter(pe.value -> 'pass') AS p5, node_stats_counter(pe.value -> 'error') AS p6
        FROM (
            SELECT j.key, j.value
            FROM jsonb_each(CASE WHEN jsonb_typeof(sites) = 'object' THEN sites ELSE '{}'::jsonb END) j
            WHERE j.key ~ '^[a-z0-9][a-z0-9._-]{0,62}$'
            ORDER BY j.key
            LIMIT 250
        ) e
        LEFT JOIN jsonb_each(CASE WHEN jsonb_typeof(previous_sites) = 'object' THEN previous_sites
            ELSE '{}'::jsonb END) pe ON pe.key = e.key
        OFFSET 0
    ) k
    OFFSET 0
) d
WHERE CASE WHEN d.r THEN d.cs ELSE d.cs - d.ps END > 0
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
CROSS JOIN LATERAL node_stats_site_steps(l.traffic -> 'sites', l.previous -> 'sites', node_stats_reset(node_stats_counters(l.traffic),
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
        FROM node_stats_site_steps(NEW.stats -> 'traffic' -> 'sites', previous -> 'sites', node_stats_reset(
            node_stats_counters(NEW.stats -> 'traffic'), node_stats_counters(previous),
            (NEW.stats -> 'traffic' ->> 'startedAt') IS DISTINCT FROM (previous ->> 'startedAt'))) s;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER node_stats_insert_sites AFTER INSERT ON node_stats
    FOR EACH ROW WHEN (NEW.previous_at IS NOT NULL AND jsonb_typeof(NEW.stats -> 'traffic' -> 'sites') = 'object')
    EXECUTE FUNCTION node_stats_insert_sites();
