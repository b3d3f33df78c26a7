-- The invalidation log. Every purge, tag purge, ban and purge-all accepted by the API is one row; nodes
-- apply the rows in id order. The admin inserts under a transaction-level advisory lock taken before the
-- id is drawn, so ids are committed in increasing order: a reader that has seen id N has seen (or will
-- never see) every id below N, and "everything after N" never skips a row committed later.
--
-- payload, by kind (also what an analyst queries):
--   purge       {"urls": [{"url": "<as submitted>", "site": "<host>"|null, "path": "/a", "query": "b=1"|null}, ...]}
--   purge_tags  {"tags": ["item-3", ...]}
--   ban         {"ban": {"kind": "prefix"|"host"|"regex", "pattern": "...", "ttlSeconds": 86400}}
--   purge_all   {}
CREATE TABLE invalidations (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            text        NOT NULL CHECK (kind IN ('purge', 'purge_tags', 'ban', 'purge_all')),
    -- soft: mark stale instead of removing (purge, purge_tags, purge_all; always false for a ban)
    soft            boolean     NOT NULL DEFAULT false CHECK (NOT (soft AND kind = 'ban')),
    payload         jsonb       NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
    -- when the ban stops applying (created_at + ttlSeconds); only bans have one
    ban_expires_at  timestamptz CHECK ((kind = 'ban') = (ban_expires_at IS NOT NULL)),
    -- set after the log lock is taken, truncated to milliseconds (what the API shows)
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- the API token that submitted it (tokens are revoked, never deleted)
    created_by      bigint      NOT NULL REFERENCES api_tokens (id)
);

-- retention deletes by age; the history view reads newest first (the primary key serves both by id)
CREATE INDEX invalidations_created_at ON invalidations (created_at);
-- active bans: sent to registering nodes and kept past retention
CREATE INDEX invalidations_active_bans ON invalidations (ban_expires_at) WHERE kind = 'ban';

COMMENT ON TABLE invalidations IS 'Invalidation log: id order is apply order; payload by kind (see V0003)';

-- How far retention has deleted the log. Every entry with id > deleted_through is still held; at or below
-- it only bans that were still active when retention ran may remain. The API reports
-- oldestRetained = deleted_through + 1.
CREATE TABLE invalidation_retention (
    singleton        boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    deleted_through  bigint  NOT NULL DEFAULT 0 CHECK (deleted_through >= 0)
);
INSERT INTO invalidation_retention DEFAULT VALUES;

COMMENT ON TABLE invalidation_retention IS 'One row: ids at or below deleted_through may have been deleted by retention';
