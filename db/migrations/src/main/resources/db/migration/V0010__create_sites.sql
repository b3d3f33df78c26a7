-- Sites (issue 11): each claims host names and has its own origins and caching settings. `sites` holds the
-- current table, `site_audit` every change (who, when, before/after). A change is one transaction: it takes
-- the transaction-level advisory lock "sites" (so overlap checks against the other sites are serialised),
-- appends ONE entry to the invalidation log (the same ordered log nodes already follow, kinds site_put and
-- site_remove), writes the sites row and the audit row. A site's version is the log id of its last change;
-- the table's version is the newest log id in site_audit (0: none). Neither refers to invalidations by a
-- foreign key: retention deletes old log entries, while the table and its audit stay.
--
-- invalidations.payload of the new kinds:
--   site_put     {"site": <definition as Site.toMap()>}
--   site_remove  {"name": "img"}
-- and the invalidation kinds may name the one site they apply to: {"site": "img", ...} (absent: every site).
ALTER TABLE invalidations DROP CONSTRAINT invalidations_kind_check;
ALTER TABLE invalidations ADD CONSTRAINT invalidations_kind_check
    CHECK (kind IN ('purge', 'purge_tags', 'ban', 'purge_all', 'site_put', 'site_remove'));

CREATE TABLE sites (
    -- same rule as Site.name: the key prefix, the metrics label and the /api/v1/sites/{name} path
    name        text        PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    -- the definition as Site.toMap() writes it (normalised: what nodes receive)
    definition  jsonb       NOT NULL CHECK (jsonb_typeof(definition) = 'object' AND definition ->> 'name' = name),
    -- invalidations.id of the entry of its last change
    version     bigint      NOT NULL CHECK (version > 0),
    created_at  timestamptz NOT NULL,
    -- name of the API token that created / last changed it
    created_by  text        NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  text        NOT NULL
);

COMMENT ON TABLE sites IS 'Current site table: name, definition (jsonb, as nodes receive it), version = log id of its last change';

CREATE TABLE site_audit (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site            text        NOT NULL,
    action          text        NOT NULL CHECK (action IN ('put', 'delete')),
    -- name of the API token (names are what the API shows; tokens are revoked, never deleted)
    actor           text        NOT NULL,
    actor_token_id  bigint      NOT NULL REFERENCES api_tokens (id),
    -- created_at of the log entry
    at              timestamptz NOT NULL,
    -- the definition before (null: created) and after (null: deleted)
    before          jsonb,
    after           jsonb,
    -- invalidations.id of the change's log entry (the log entry may since have been deleted by retention)
    log_id          bigint      NOT NULL UNIQUE,
    -- X-Request-ID of the API call
    request_id      text        NOT NULL,
    CHECK ((action = 'put') = (after IS NOT NULL)),
    CHECK (action = 'put' OR before IS NOT NULL)
);

-- a site's history, newest first
CREATE INDEX site_audit_site ON site_audit (site, log_id);

COMMENT ON TABLE site_audit IS 'Every site change: who (token name), when, before/after definitions, its log id; never pruned';
