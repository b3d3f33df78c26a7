-- Each heartbeat's traffic step, stored with its row when it arrives, so that the traffic of a window is a
-- plain sum over the window's rows (GET /api/v1/stats, db/NodeStats.traffic) instead of window functions
-- over the jsonb counters of every row.
--
-- stats.traffic counters are cumulative since the node process started (traffic.startedAt). A row's step is
-- the difference between its counters and those of the node's previous row with traffic: a reset, when
-- startedAt changed or any counter decreased (the node restarted), counts the row's own counters. A row
-- whose stats.traffic is not an object has no step and is never a previous row; a node's first row with
-- traffic has no step (a baseline only). A counter counts when it is a JSON number from 0 to 2^60 (a
-- fraction is rounded), as 0 otherwise (absent, a string, null, negative, larger).
ALTER TABLE node_stats
    ADD COLUMN previous_at    timestamptz,
    ADD COLUMN requests       bigint,
    ADD COLUMN hits           bigint,
    ADD COLUMN bytes_served   bigint,
    ADD COLUMN bytes_upstream bigint;

COMMENT ON COLUMN node_stats.previous_at IS 'Time of the previous row of the step (NULL: no step: no traffic, or a baseline)';
COMMENT ON COLUMN node_stats.requests IS 'Requests of every kind served since the previous row (traffic.requests.*)';
COMMENT ON COLUMN node_stats.hits IS 'Requests served from the cache since the previous row (traffic.requests hit + stale)';
COMMENT ON COLUMN node_stats.bytes_served IS 'Body bytes sent to clients since the previous row (traffic.bytesServed)';
COMMENT ON COLUMN node_stats.bytes_upstream IS 'Body bytes fetched from upstream since the previous row (traffic.bytesUpstream)';

-- A counter, clamped. jsonb orders null < strings < numbers < booleans < arrays < objects, so BETWEEN two
-- numbers holds exactly for a number in that range (SQL NULL, an absent member, yields NULL: the ELSE).
CREATE FUNCTION node_stats_counter(v jsonb) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE WHEN v BETWEEN '0'::jsonb AND '1152921504606846976'::jsonb THEN v::bigint ELSE 0 END
$$;

-- The counters of a stats.traffic object, clamped: requests hit, stale, revalidated, miss, pass, error, then
-- bytesServed, bytesUpstream, upstreamRequests (a reset is detected on any of them).
CREATE FUNCTION node_stats_counters(traffic jsonb) RETURNS bigint[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT ARRAY[node_stats_counter(traffic -> 'requests' -> 'hit'), node_stats_counter(traffic -> 'requests' -> 'stale'),
    node_stats_counter(traffic -> 'requests' -> 'revalidated'), node_stats_counter(traffic -> 'requests' -> 'miss'),
    node_stats_counter(traffic -> 'requests' -> 'pass'), node_stats_counter(traffic -> 'requests' -> 'error'),
    node_stats_counter(traffic -> 'bytesServed'), node_stats_counter(traffic -> 'bytesUpstream'),
    node_stats_counter(traffic -> 'upstreamRequests')]
$$;

-- The step to counters c from the previous row's counters p (node_stats_counters), restarted when startedAt
-- changed: requests, hits, bytes served, bytes upstream (each at least 0; a sum of six counters of at most
-- 2^60 is a bigint). A reset (restarted, or any counter decreased) counts c itself.
CREATE FUNCTION node_stats_step(c bigint[], p bigint[], restarted boolean) RETURNS bigint[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE WHEN restarted OR p[1] > c[1] OR p[2] > c[2] OR p[3] > c[3] OR p[4] > c[4] OR p[5] > c[5]
        OR p[6] > c[6] OR p[7] > c[7] OR p[8] > c[8] OR p[9] > c[9]
    THEN ARRAY[c[1] + c[2] + c[3] + c[4] + c[5] + c[6], c[1] + c[2], c[7], c[8]]
    ELSE ARRAY[(c[1] + c[2] + c[3] + c[4] + c[5] + c[6]) - (p[1] + p[2] + p[3] + p[4] + p[5] + p[6]),
        (c[1] + c[2]) - (p[1] + p[2]), c[7] - p[7], c[8] - p[8]]
    END
$$;

-- Rows written before this migration: their steps, by the same rules, from each node's rows in time order
-- (the order the traffic query used to read them in). The counters are extracted once per row.
UPDATE node_stats s
SET previous_at = t.previous_at, requests = t.step[1], hits = t.step[2], bytes_served = t.step[3],
    bytes_upstream = t.step[4]
FROM (
    SELECT id, previous_at, node_stats_step(c, p, started_at IS DISTINCT FROM previous_started_at) AS step
    FROM (
        SELECT id, c, started_at, lag(at) OVER w AS previous_at, lag(c) OVER w AS p,
            lag(started_at) OVER w AS previous_started_at
        FROM (
            SELECT id, node_id, at, node_stats_counters(stats -> 'traffic') AS c,
                stats -> 'traffic' ->> 'startedAt' AS started_at
            FROM node_stats
            WHERE jsonb_typeof(stats -> 'traffic') = 'object'
            OFFSET 0
        ) counters
        WINDOW w AS (PARTITION BY node_id ORDER BY at, id)
    ) l
    WHERE previous_at IS NOT NULL
) t
WHERE s.id = t.id;

-- the previous row with traffic of a node: one backward step on this index per heartbeat
CREATE INDEX node_stats_traffic ON node_stats (node_id, id) WHERE jsonb_typeof(stats -> 'traffic') = 'object';
-- the traffic query: the steps of a window, read from the index alone (no heap, no jsonb)
CREATE INDEX node_stats_steps ON node_stats (at)
    INCLUDE (node_id, previous_at, requests, hits, bytes_served, bytes_upstream) WHERE previous_at IS NOT NULL;

-- Each new row's step, from the node's previous row with traffic: the one inserted last before it (a node's
-- rows are inserted in time order; the row's own `at`, now(), is not consulted). Whatever the row says, the
-- columns are set here, so rows inserted by any client are consistent. The node's row is locked first so that
-- two inserts for one node (a node misbehaving; heartbeats already lock it by updating it) make a chain,
-- not two steps from the same previous row. Updating a row's stats or at later does not recompute steps.
CREATE FUNCTION node_stats_insert_step() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    previous record;
    step bigint[];
BEGIN
    NEW.previous_at := NULL;
    NEW.requests := NULL;
    NEW.hits := NULL;
    NEW.bytes_served := NULL;
    NEW.bytes_upstream := NULL;
    IF jsonb_typeof(NEW.stats -> 'traffic') IS DISTINCT FROM 'object' THEN
        RETURN NEW;
    END IF;
    PERFORM FROM nodes WHERE id = NEW.node_id FOR NO KEY UPDATE;
    SELECT s.at, s.stats -> 'traffic' AS traffic INTO previous
    FROM node_stats s
    WHERE s.node_id = NEW.node_id AND jsonb_typeof(s.stats -> 'traffic') = 'object'
    ORDER BY s.id DESC
    LIMIT 1;
    IF FOUND THEN
        step := node_stats_step(node_stats_counters(NEW.stats -> 'traffic'), node_stats_counters(previous.traffic),
            (NEW.stats -> 'traffic' ->> 'startedAt') IS DISTINCT FROM (previous.traffic ->> 'startedAt'));
        NEW.previous_at := previous.at;
        NEW.requests := step[1];
        NEW.hits := step[2];
        NEW.bytes_served := step[3];
        NEW.bytes_upstream := step[4];
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER node_stats_insert_step BEFORE INSERT ON node_stats
    FOR EACH ROW EXECUTE FUNCTION node_stats_insert_step();
