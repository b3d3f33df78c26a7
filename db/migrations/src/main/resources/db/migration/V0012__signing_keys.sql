-- Signed URLs (issue 12): each site's HMAC-SHA256 keys (docs/signed-urls.md). A site has at most one current
-- key (not_after NULL): URLs are signed with it. Creating a key makes the current one a previous key, still
-- accepted until not_after (the rotation grace); revoking a key sets not_after (and revoked_*) to now. Rows are
-- never deleted: the table is its own audit (who created, who revoked, when). The key id a URL names is
-- 'k' || id (unique for ever, so a revoked id never comes back).
--
-- Nodes receive a site's whole keyring (its keys with not_after NULL or in the future) in a keys_put entry
-- of the invalidation log, appended by the same transaction as the change, and every keyring at registration:
--   keys_put  {"site": "img", "keys": [{"id": "k7", "secret": "<base64url>", "notAfter": null | "<instant>"}, ...]}
-- The secret is in that payload too (nodes need it); the read endpoints of the log never show payloads of
-- this kind, and retention deletes the entries as it does every other.
ALTER TABLE invalidations DROP CONSTRAINT invalidations_kind_check;
ALTER TABLE invalidations ADD CONSTRAINT invalidations_kind_check
    CHECK (kind IN ('purge', 'purge_tags', 'ban', 'purge_all', 'site_put', 'site_remove', 'keys_put'));

CREATE TABLE signing_keys (
    id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- the site's name (no foreign key: deleting a site does not revoke its keys, see docs/signed-urls.md)
    site                text        NOT NULL CHECK (site ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    secret              bytea       NOT NULL CHECK (length(secret) BETWEEN 16 AND 64),
    created_at          timestamptz NOT NULL,
    -- name of the API token that created it
    created_by          text        NOT NULL,
    created_by_token_id bigint      NOT NULL REFERENCES api_tokens (id),
    -- null: the current key; else the last instant it is accepted (end of the grace, or the revocation)
    not_after           timestamptz,
    revoked_at          timestamptz,
    revoked_by          text,
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL)),
    CHECK (revoked_at IS NULL OR not_after IS NOT NULL)
);

-- at most one current key per site
CREATE UNIQUE INDEX signing_keys_current ON signing_keys (site) WHERE not_after IS NULL;
CREATE INDEX signing_keys_site ON signing_keys (site, id);

COMMENT ON TABLE signing_keys IS 'Signed-URL keys per site: key id k<id>, current (not_after null) or accepted until not_after; never deleted';
