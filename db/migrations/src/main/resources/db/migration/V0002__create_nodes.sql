-- Edges and shields known to the control plane. A node registers (upsert by name) when its agent starts and
-- then sends a heartbeat every admin.heartbeat-interval; a node with no heartbeat for three intervals is
-- shown as down. Nodes are never deleted by the admin: an operator removes a retired one with SQL.
CREATE TABLE nodes (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- node.name of the node, e.g. edge-nyc (same token rule as node.name)
    name               text        NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
    role               text        NOT NULL CHECK (role IN ('edge', 'shield')),
    pop                text        NOT NULL CHECK (pop ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
    traffic_url        text        NOT NULL CHECK (length(traffic_url) BETWEEN 1 AND 2048),
    management_url     text        NOT NULL CHECK (length(management_url) BETWEEN 1 AND 2048),
    -- the latest registration, i.e. the node's last start
    registered_at      timestamptz NOT NULL DEFAULT now(),
    last_heartbeat_at  timestamptz NOT NULL DEFAULT now(),
    -- id of the last invalidation the node has applied (0: none), as the node reported it
    last_applied       bigint      NOT NULL CHECK (last_applied >= 0)
);

COMMENT ON TABLE nodes IS 'Registered edge and shield nodes: identity, URLs, liveness (last_heartbeat_at), log position (last_applied)';
