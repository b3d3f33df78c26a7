-- A node's acknowledgement that it applied an invalidation: when (node clock) and how many objects it
-- affected. At most one per (invalidation, node): a repeated ack keeps the first. Deleted with the entry.
CREATE TABLE invalidation_acks (
    invalidation_id   bigint      NOT NULL REFERENCES invalidations (id) ON DELETE CASCADE,
    node_id           bigint      NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    applied_at        timestamptz NOT NULL,
    objects_affected  bigint      NOT NULL CHECK (objects_affected >= 0),
    received_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (invalidation_id, node_id)
);

-- "what has this node acknowledged", and deleting a node's acks with it
CREATE INDEX invalidation_acks_node ON invalidation_acks (node_id, invalidation_id);

COMMENT ON TABLE invalidation_acks IS 'Per-node acknowledgements of invalidations (applied_at is the node clock)';
