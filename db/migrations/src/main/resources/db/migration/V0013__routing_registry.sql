-- Routing and health (issue 13): POP coordinates, each node's placement (coordinates, weight, public URL,
-- DNS addresses), its health as admin's active checks judge it, an operator's drain, every state change,
-- and the routing version that routers long-poll (GET /api/v1/routing, docs/control-plane.md "Routing view").
--
-- A node's effective state is 'draining' when draining, else its health. Every change routing depends on
-- (registration, health change, drain/undrain, POP change) is one transaction that also increments
-- routing_version.version and runs pg_notify('cdn_routing', <new version>), so routers see it at once.
CREATE TABLE pops (
    -- the POP's name as nodes give it in node.pop (same rule as nodes.pop)
    name        text             PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
    -- WGS 84 degrees; a node without its own coordinates is placed here
    latitude    double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude   double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    -- when it was last declared (PUT /api/v1/pops/{name})
    updated_at  timestamptz      NOT NULL DEFAULT now()
);

COMMENT ON TABLE pops IS 'Points of presence declared by operators: coordinates used for nodes that register none';

-- the node's own coordinates (WGS 84 degrees), both or neither; null: its POP's
ALTER TABLE nodes ADD COLUMN latitude double precision CHECK (latitude BETWEEN -90 AND 90);
ALTER TABLE nodes ADD COLUMN longitude double precision CHECK (longitude BETWEEN -180 AND 180);
ALTER TABLE nodes ADD CONSTRAINT nodes_coordinates_check CHECK ((latitude IS NULL) = (longitude IS NULL));
-- relative share of traffic among equally near nodes
ALTER TABLE nodes ADD COLUMN weight integer NOT NULL DEFAULT 100 CHECK (weight BETWEEN 1 AND 1000);
-- the URL clients are sent to; null: traffic_url
ALTER TABLE nodes ADD COLUMN public_url text CHECK (length(public_url) BETWEEN 1 AND 2048);
-- IP literals that DNS answers give for the node (at most 16; validated by the API, never host names)
ALTER TABLE nodes ADD COLUMN addresses text[] NOT NULL DEFAULT '{}' CHECK (cardinality(addresses) <= 16);
-- health as the active checks judge it (a registration sets healthy: a node registers once it serves)
ALTER TABLE nodes ADD COLUMN health text NOT NULL DEFAULT 'healthy' CHECK (health IN ('healthy', 'degraded', 'down'));
-- set by an operator (POST /api/v1/nodes/{name}/drain): out of routing whatever its health; kept across restarts
ALTER TABLE nodes ADD COLUMN draining boolean NOT NULL DEFAULT false;
-- since when the effective state (draining, else health) has held
ALTER TABLE nodes ADD COLUMN state_since timestamptz NOT NULL DEFAULT now();

CREATE TABLE node_state_changes (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- deleted with the node (an operator removes a retired node with SQL)
    node_id     bigint      NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
    -- health changes go between health states; drain/undrain between the effective states;
    -- null: the node's first registration
    from_state  text        CHECK (from_state IN ('healthy', 'degraded', 'down', 'draining')),
    to_state    text        NOT NULL CHECK (to_state IN ('healthy', 'degraded', 'down', 'draining')),
    -- why, e.g. '2 failed probes: connection refused', 'registered', 'drained by an operator'
    reason      text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    -- who: 'health-check admin-1', 'token ops-bob (id 7)', 'node edge-nyc'
    actor       text        NOT NULL CHECK (length(actor) BETWEEN 1 AND 300),
    changed_at  timestamptz NOT NULL DEFAULT now()
);

-- a node's latest changes, newest first (GET /api/v1/nodes/{name}/history)
CREATE INDEX node_state_changes_node ON node_state_changes (node_id, id DESC);

COMMENT ON TABLE node_state_changes IS 'Every node state change: from, to, why (reason), who (actor), when';

CREATE TABLE routing_version (
    -- one row only
    one      boolean PRIMARY KEY DEFAULT true CHECK (one),
    -- rises in the same transaction as every change routing depends on (GET /api/v1/routing?after=)
    version  bigint  NOT NULL CHECK (version >= 0)
);

INSERT INTO routing_version (one, version) VALUES (true, 0);

COMMENT ON TABLE routing_version IS 'The routing view''s version: incremented, with NOTIFY cdn_routing, by every routing change';
