-- API tokens for the admin JSON API and node agents. Only a SHA-256 hash of each secret is stored: the
-- secret is shown once, when the token is created. Tokens are high-entropy random strings, so a plain
-- hash (not a password KDF) is enough to make a leaked table useless.
CREATE TABLE api_tokens (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    token_hash    bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    -- the first characters of the secret, enough to recognise a token in a list without revealing it
    token_prefix  text        NOT NULL,
    scopes        text[]      NOT NULL CHECK (cardinality(scopes) > 0
                                              AND scopes <@ ARRAY['read', 'purge', 'admin']::text[]),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);

COMMENT ON TABLE api_tokens IS 'Bearer tokens: hashed secret, scopes read/purge/admin, revocable';
