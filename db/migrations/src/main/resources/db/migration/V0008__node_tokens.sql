-- Node tokens: scope 'node', bound to one node name (api_tokens.node_name). A node's agent authenticates with
-- one, and admin lets it register, heartbeat, acknowledge and long-poll as that node only, nothing else; the
-- node agent endpoints accept no other token. Before this migration nodes used purge tokens, which could act
-- as any node and purge everything; such tokens keep every right they had for people and scripts (purge,
-- read), but the node agent endpoints now refuse them with a 403 that says to create a node token
-- (docs/control-plane.md, "Upgrading to node tokens"). A purge token cannot be bound here instead: nothing
-- says which node (if any) holds it, and one token was commonly shared by every node.
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_scopes_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_scopes_check
    CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'purge', 'admin', 'node']::text[]);

-- node.name of the node the token belongs to (same rule as nodes.name); set exactly for node tokens, whose
-- only scope is 'node'
ALTER TABLE api_tokens ADD COLUMN node_name text CHECK (node_name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$');
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_node_check
    CHECK ((node_name IS NOT NULL) = ('node' = ANY(scopes)) AND (node_name IS NULL OR scopes = ARRAY['node']::text[]));

COMMENT ON COLUMN api_tokens.node_name IS 'For a node token (scope node): the only node name it may act as';
