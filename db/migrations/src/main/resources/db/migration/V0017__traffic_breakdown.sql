-- Traffic breakdown steps by content type and by URL pattern (issue 14): nodes' heartbeats carry, in
-- stats.traffic.contentTypes and stats.traffic.urlPatterns, cumulative counters per label since the node
-- process started:
--   {"<label>": {"requests": n, "hits": n, "bytesServed": n}, ...}
-- Content-type labels are a fixed list of the node (text/html, image/*, ..., other, none); URL-pattern labels
-- are the operator's stats.url-patterns (at most 32 globs such as /static/*) and other. Like the per-site steps
-- (V0011), each heartbeat row's per-label step is computed once, when the row is inserted, and stored, one row
-- per dimension and label with traffic in the step, so GET /api/v1/stats sums the window's steps
-- (db/NodeStats.breakdown).
--
-- Rules, as V0011's: a row gets breakdown steps only when it is a step (previous_at set: its node's previous
-- row with traffic exists) and carries at least one of the two objects. A label's step is the difference of
-- its counters and the same label's in the previous row (0 when the previous row lacks it); it is a reset,
-- counting the row's own counters, when the node's step is a reset (startedAt changed or any total counter
-- decreased) or any of the label's three counters decreased. Counters are clamped as in V0007
-- (node_stats_counter); a label's value that is not an object counts zeros; a step's hits are at most its
-- requests (the node reads its counters one at a time). Labels of 1-200 characters are read, at most 64 per
-- dimension and row (by jsonb key order); others are ignored, so what a node sends cannot grow the table
-- beyond that. Steps with neither requests nor bytes are not stored. Rows stored before this migration carry
-- no breakdown: nothing to backfill.
CREATE TABLE node_stats_breakdown (
    stats_id     bigint NOT NULL REFERENCES node_stats (id) ON DELETE CASCADE,
    dimension    text   NOT NULL CHECK (dimension IN ('content_type', 'url_pattern')),
    label        text   NOT NULL CHECK (char_length(label) BETWEEN 1 AND 200),
    requests     bigint NOT NULL CHECK (requests >= 0),
    hits         bigint NOT NULL CHECK (hits >= 0 AND hits <= requests),
    bytes_served bigint NOT NULL CHECK (bytes_served >= 0),
    -- the window query joins the window's node_stats rows to this index alone
    PRIMARY KEY (stats_id, dimension, label) INCLUDE (requests, hits, bytes_served)
);

COMMENT ON TABLE node_stats_breakdown IS 'Traffic step of a node_stats row by content type and by URL pattern (stats.traffic.contentTypes, stats.traffic.urlPatterns), one row per dimension and label with traffic in the step';
COMMENT ON COLUMN node_stats_breakdown.stats_id IS 'The node_stats row (heartbeat) whose step this is';
COMMENT ON COLUMN node_stats_breakdown.dimension IS 'content_type (traffic.contentTypes) or url_pattern (traffic.urlPatterns)';
COMMENT ON COLUMN node_stats_breakdown.label IS 'The label as the node sent it: a content-type label such as text/html or image/*, or a URL pattern such as /static/*; other, none';
COMMENT ON COLUMN node_stats_breakdown.requests IS 'Requests with this label since the previous row';
COMMENT ON COLUMN node_stats_breakdown.hits IS 'Requests with this label served from the cache since the previous row (hit + stale)';
COMMENT ON COLUMN node_stats_breakdown.bytes_served IS 'Body bytes sent to clients for requests with this label since the previous row';

-- The per-label steps of one dimension from the previous row's object to this row's, the node's step being a
-- reset or not. One pass over each object (a hash join on the label), inlinable expressions only (as V0011).
CREATE FUNCTION node_stats_breakdown_steps(labels jsonb, previous_labels jsonb, reset boolean)
    RETURNS TABLE (label text, requests bigint, hits bigint, bytes_served bigint)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT d.label, d.requests, LEAST(d.hits, d.requests), d.bytes_served
FROM (
    SELECT k.label,
        CASE WHEN k.r THEN k.c1 ELSE k.c1 - k.p1 END AS requests,
        CASE WHEN k.r THEN k.c2 ELSE k.c2 - k.p2 END AS hits,
        CASE WHEN k.r THEN k.c3 ELSE k.c3 - k.p3 END AS bytes_served
    FROM (
        SELECT e.key AS label, e.c1, e.c2, e.c3, e.p1, e.p2, e.p3,
            reset OR e.p1 > e.c1 OR e.p2 > e.c2 OR e.p3 > e.c3 AS r
        FROM (
            SELECT j.key,
                node_stats_counter(j.value -> 'requests') AS c1, node_stats_counter(j.value -> 'hits') AS c2,
                node_stats_counter(j.value -> 'bytesServed') AS c3,
                node_stats_counter(pe.value -> 'requests') AS p1, node_stats_counter(pe.value -> 'hits') AS p2,
                node_stats_counter(pe.value -> 'bytesServed') AS p3
            FROM (
                SELECT l.key, l.value
                FROM jsonb_each(CASE WHEN jsonb_typeof(labels) = 'object' THEN labels ELSE '{}'::jsonb END) l
                WHERE char_length(l.key) BETWEEN 1 AND 200
                ORDER BY l.key
                LIMIT 64
            ) j
            LEFT JOIN jsonb_each(CASE WHEN jsonb_typeof(previous_labels) = 'object' THEN previous_labels
                ELSE '{}'::jsonb END) pe ON pe.key = j.key
            OFFSET 0
        ) e
        OFFSET 0
    ) k
    OFFSET 0
) d
WHERE d.requests > 0 OR d.bytes_served > 0
$$;

-- Each new row's breakdown steps, after V0007's trigger set its step: from the same previous row (the node's
-- row with traffic inserted last before it; the node's row is locked since the BEFORE trigger, so no other row
-- of the node can come between).
CREATE FUNCTION node_stats_insert_breakdown() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    previous jsonb;
    reset boolean;
BEGIN
    SELECT s.stats -> 'traffic' INTO previous
    FROM node_stats s
    WHERE s.node_id = NEW.node_id AND s.id <> NEW.id AND jsonb_typeof(s.stats -> 'traffic') = 'object'
    ORDER BY s.id DESC
    LIMIT 1;
    IF FOUND THEN
        reset := node_stats_reset(node_stats_counters(NEW.stats -> 'traffic'), node_stats_counters(previous),
            (NEW.stats -> 'traffic' ->> 'startedAt') IS DISTINCT FROM (previous ->> 'startedAt'));
        INSERT INTO node_stats_breakdown (stats_id, dimension, label, requests, hits, bytes_served)
        SELECT NEW.id, 'content_type', s.label, s.requests, s.hits, s.bytes_served
        FROM node_stats_breakdown_steps(NEW.stats -> 'traffic' -> 'contentTypes', previous -> 'contentTypes', reset) s
        UNION ALL
        SELECT NEW.id, 'url_pattern', s.label, s.requests, s.hits, s.bytes_served
        FROM node_stats_breakdown_steps(NEW.stats -> 'traffic' -> 'urlPatterns', previous -> 'urlPatterns', reset) s;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER node_stats_insert_breakdown AFTER INSERT ON node_stats
    FOR EACH ROW WHEN (NEW.previous_at IS NOT NULL AND (jsonb_typeof(NEW.stats -> 'traffic' -> 'contentTypes') = 'object'
        OR jsonb_typeof(NEW.stats -> 'traffic' -> 'urlPatterns') = 'object'))
    EXECUTE FUNCTION node_stats_insert_breakdown();
