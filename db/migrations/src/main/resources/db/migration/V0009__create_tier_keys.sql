-- Tier keys: secrets shared by every edge and shield, handed out to nodes (authenticated by their node
-- tokens) in the registration and heartbeat answers. An edge signs the Blue-Origin-Invalidation field of its
-- fetches with one (HMAC-SHA256), and a shield honours the field only when the signature verifies under a
-- key it holds, so no client can make a shield hold its requests or skip its cache. Versioned so they can
-- rotate: admin creates version 1 at its first start; POST /api/v1/tier-keys adds a version, and nodes sign
-- with a newer version only once every live node has had time to learn it (docs/control-plane.md).
CREATE TABLE tier_keys (
    version     integer     GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- 32 random bytes from the admin's SecureRandom
    secret      bytea       NOT NULL CHECK (length(secret) = 32),
    created_at  timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE tier_keys IS 'HMAC keys nodes sign and verify the Blue-Origin-Invalidation field with; versioned for rotation';
