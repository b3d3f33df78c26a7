-- The stats object each heartbeat carries (any JSON object the node sends), one row per heartbeat, for
-- charts and reports. Pruned by the same retention as the invalidation log.
CREATE TABLE node_stats (
    id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    node_id  bigint      NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    at       timestamptz NOT NULL DEFAULT now(),
    stats    jsonb       NOT NULL CHECK (jsonb_typeof(stats) = 'object')
);

-- one node's series over time
CREATE INDEX node_stats_node_at ON node_stats (node_id, at);
-- retention
CREATE INDEX node_stats_at ON node_stats (at);

COMMENT ON TABLE node_stats IS 'Heartbeat stats per node over time (jsonb object as sent by the node)';
