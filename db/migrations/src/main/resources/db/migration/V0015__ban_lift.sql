-- Lifting a ban (issue 14: DELETE /api/v1/bans/{id}). A lift is an entry of the log like any other, so every node
-- applies it in id order after the ban itself (docs/control-plane.md, "Lifting a ban"):
--   ban_lift  {"ban": <id of the ban lifted>}
-- The same transaction marks the ban's row lifted, so admin stops handing the ban to registering nodes and the
-- reporting views stop listing it as active. A lift never brings back what the ban removed.
ALTER TABLE invalidations DROP CONSTRAINT invalidations_kind_check;
ALTER TABLE invalidations ADD CONSTRAINT invalidations_kind_check
    CHECK (kind IN ('purge', 'purge_tags', 'ban', 'purge_all', 'site_put', 'site_remove', 'keys_put', 'ban_lift'));

-- when the ban was lifted (the lift entry's created_at); NULL: not lifted. Only bans are lifted.
ALTER TABLE invalidations ADD COLUMN ban_lifted_at timestamptz;
-- the log id of the ban_lift entry that lifted it (no foreign key: retention deletes entries by id, and the lift,
-- having the larger id, outlives the ban's row anyway)
ALTER TABLE invalidations ADD COLUMN ban_lift_id bigint;
ALTER TABLE invalidations ADD CONSTRAINT invalidations_ban_lift_check
    CHECK ((ban_lifted_at IS NULL) = (ban_lift_id IS NULL) AND (ban_lifted_at IS NULL OR kind = 'ban'));

COMMENT ON COLUMN invalidations.ban_lifted_at IS 'For a ban: when DELETE /api/v1/bans/{id} lifted it (NULL: not lifted)';
COMMENT ON COLUMN invalidations.ban_lift_id IS 'For a lifted ban: the id of the ban_lift entry that lifted it';

-- Same columns as V0014; a lifted ban no longer applies.
CREATE OR REPLACE VIEW reporting.active_bans AS
SELECT id,
    payload -> 'ban' ->> 'kind' AS ban_kind,
    payload -> 'ban' ->> 'pattern' AS pattern,
    site,
    created_at,
    created_by,
    expires_at,
    (extract(epoch FROM expires_at - now()))::bigint AS remaining_seconds
FROM (
    SELECT i.id, i.payload, i.payload ->> 'site' AS site, i.created_at, t.name AS created_by, i.ban_expires_at AS expires_at
    FROM invalidations i
    JOIN api_tokens t ON t.id = i.created_by
    WHERE i.kind = 'ban' AND i.ban_expires_at > now() AND i.ban_lifted_at IS NULL
) b;

COMMENT ON VIEW reporting.active_bans IS 'Bans that still apply now (not yet expired, not lifted), the ones nodes hold and send registering nodes';

-- Same columns as V0014; a ban_lift's target reads "lift of ban <id>".
CREATE OR REPLACE VIEW reporting.invalidations AS
SELECT i.id,
    i.kind,
    i.soft,
    -- the one site the entry applies to; for a site change, the site changed
    CASE i.kind
        WHEN 'site_put' THEN i.payload -> 'site' ->> 'name'
        WHEN 'site_remove' THEN i.payload ->> 'name'
        ELSE i.payload ->> 'site'
    END AS site,
    i.created_at,
    t.name AS created_by,
    -- what it applies to, as one line of text (never a secret: a keys_put names its site only)
    CASE i.kind
        WHEN 'purge' THEN (SELECT string_agg(u ->> 'url', ' ' ORDER BY n) FROM jsonb_array_elements(i.payload -> 'urls')
            WITH ORDINALITY AS e (u, n))
        WHEN 'purge_tags' THEN (SELECT string_agg(g, ' ' ORDER BY n) FROM jsonb_array_elements_text(i.payload -> 'tags')
            WITH ORDINALITY AS e (g, n))
        WHEN 'ban' THEN (i.payload -> 'ban' ->> 'kind') || ' ' || (i.payload -> 'ban' ->> 'pattern')
        WHEN 'purge_all' THEN 'everything'
        WHEN 'site_put' THEN 'site ' || (i.payload -> 'site' ->> 'name')
        WHEN 'site_remove' THEN 'site ' || (i.payload ->> 'name')
        WHEN 'keys_put' THEN 'signing keys of site ' || (i.payload ->> 'site')
        WHEN 'ban_lift' THEN 'lift of ban ' || (i.payload ->> 'ban')
    END AS target,
    -- how many URLs or tags (1 for the other kinds)
    CASE i.kind
        WHEN 'purge' THEN jsonb_array_length(i.payload -> 'urls')
        WHEN 'purge_tags' THEN jsonb_array_length(i.payload -> 'tags')
        ELSE 1
    END AS targets,
    i.ban_expires_at AS expires_at
FROM invalidations i
JOIN api_tokens t ON t.id = i.created_by;

COMMENT ON COLUMN reporting.invalidations.kind IS 'purge, purge_tags, ban, purge_all, ban_lift (a ban lifted), or a configuration change: site_put, site_remove, keys_put';
COMMENT ON COLUMN reporting.invalidations.target IS 'What it applies to: URLs or tags separated by spaces, "<ban kind> <pattern>", "everything", "site <name>", "signing keys of site <name>", "lift of ban <id>"';
