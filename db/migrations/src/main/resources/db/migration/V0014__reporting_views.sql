-- Reporting views (issue 14): a stable, documented surface for SQL reports, in the schema `reporting`, so that
-- the queries in ops/sql/ (docs/reporting.md) and analysts' own never read the internal tables, whose columns
-- change with the code (payload shapes, step columns, token ids). A later migration that changes a table keeps
-- these views' columns and meanings; it may add columns at the end.
--
-- What the views never show: token hashes, signing-key secrets (keys_put payloads), tier keys. Times are
-- timestamptz as stored; the hourly traffic view buckets by UTC hour. Propagation times compare a node's clock
-- (applied_at) with the admin database's (created_at): a skewed node clock shows up as such, even below 0.
CREATE SCHEMA reporting;

COMMENT ON SCHEMA reporting IS 'Stable views for SQL reports (ops/sql/, docs/reporting.md); the tables they read are internal';

-- ---------------------------------------------------------------------------------------------------------
-- Every entry of the invalidation log still held (retention deletes old entries, but keeps active bans).
CREATE VIEW reporting.invalidations AS
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

COMMENT ON VIEW reporting.invalidations IS 'The invalidation log still held: who asked for what, when (one row per API call)';
COMMENT ON COLUMN reporting.invalidations.id IS 'Log id: nodes apply entries in id order; GET /api/v1/invalidations/{id}';
COMMENT ON COLUMN reporting.invalidations.kind IS 'purge, purge_tags, ban, purge_all, or a configuration change: site_put, site_remove, keys_put';
COMMENT ON COLUMN reporting.invalidations.soft IS 'Marks stale instead of removing (purge, purge_tags, purge_all)';
COMMENT ON COLUMN reporting.invalidations.site IS 'The one site it applies to (NULL: every site); for a site or key change, that site';
COMMENT ON COLUMN reporting.invalidations.created_at IS 'When the admin accepted it (database clock, millisecond precision)';
COMMENT ON COLUMN reporting.invalidations.created_by IS 'Name of the API token that submitted it';
COMMENT ON COLUMN reporting.invalidations.target IS 'What it applies to: URLs or tags separated by spaces, "<ban kind> <pattern>", "everything", "site <name>", "signing keys of site <name>"';
COMMENT ON COLUMN reporting.invalidations.targets IS 'Number of URLs (purge) or tags (purge_tags); 1 otherwise';
COMMENT ON COLUMN reporting.invalidations.expires_at IS 'For a ban: when it stops applying (created_at + ttlSeconds); NULL for other kinds';

-- ---------------------------------------------------------------------------------------------------------
CREATE VIEW reporting.invalidation_propagation AS
SELECT a.invalidation_id,
    i.kind,
    i.created_at,
    n.name AS node,
    n.role,
    n.pop,
    a.applied_at,
    a.received_at,
    (extract(epoch FROM a.applied_at - i.created_at) * 1000)::bigint AS propagation_ms,
    a.objects_affected
FROM invalidation_acks a
JOIN invalidations i ON i.id = a.invalidation_id
JOIN nodes n ON n.id = a.node_id;

COMMENT ON VIEW reporting.invalidation_propagation IS 'One row per node that applied an entry of the log: how long it took to reach it';
COMMENT ON COLUMN reporting.invalidation_propagation.invalidation_id IS 'reporting.invalidations.id';
COMMENT ON COLUMN reporting.invalidation_propagation.kind IS 'The entry''s kind (reporting.invalidations.kind)';
COMMENT ON COLUMN reporting.invalidation_propagation.created_at IS 'When the admin accepted the entry (database clock)';
COMMENT ON COLUMN reporting.invalidation_propagation.node IS 'Name of the node (node.name)';
COMMENT ON COLUMN reporting.invalidation_propagation.role IS 'edge or shield';
COMMENT ON COLUMN reporting.invalidation_propagation.pop IS 'The node''s POP (node.pop)';
COMMENT ON COLUMN reporting.invalidation_propagation.applied_at IS 'When the node applied it, by the node''s clock';
COMMENT ON COLUMN reporting.invalidation_propagation.received_at IS 'When the admin received the node''s acknowledgement (database clock)';
COMMENT ON COLUMN reporting.invalidation_propagation.propagation_ms IS 'applied_at - created_at in milliseconds (mixes two clocks: a skewed node clock shows, even below 0)';
COMMENT ON COLUMN reporting.invalidation_propagation.objects_affected IS 'Cached objects the node removed or marked stale';

-- ---------------------------------------------------------------------------------------------------------
CREATE VIEW reporting.active_bans AS
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
    WHERE i.kind = 'ban' AND i.ban_expires_at > now()
) b;

COMMENT ON VIEW reporting.active_bans IS 'Bans that still apply now (not yet expired), the ones nodes hold and send registering nodes';
COMMENT ON COLUMN reporting.active_bans.id IS 'Log id of the ban (reporting.invalidations.id)';
COMMENT ON COLUMN reporting.active_bans.ban_kind IS 'prefix, host or regex';
COMMENT ON COLUMN reporting.active_bans.pattern IS 'The path prefix, host name or regular expression the ban matches';
COMMENT ON COLUMN reporting.active_bans.site IS 'The one site it applies to (NULL: every site)';
COMMENT ON COLUMN reporting.active_bans.created_at IS 'When the admin accepted it';
COMMENT ON COLUMN reporting.active_bans.created_by IS 'Name of the API token that submitted it';
COMMENT ON COLUMN reporting.active_bans.expires_at IS 'When it stops applying';
COMMENT ON COLUMN reporting.active_bans.remaining_seconds IS 'Seconds from now until expires_at';

-- ---------------------------------------------------------------------------------------------------------
CREATE VIEW reporting.tag_purges AS
SELECT k.tag,
    k.invalidation_id,
    k.created_at AS purged_at,
    t.name AS purged_by,
    i.soft,
    i.payload ->> 'site' AS site
FROM surrogate_key_audit k
JOIN invalidations i ON i.id = k.invalidation_id
JOIN api_tokens t ON t.id = i.created_by;

COMMENT ON VIEW reporting.tag_purges IS 'One row per tag of each tag purge still held (surrogate keys: "when was item-3 purged, by whom?")';
COMMENT ON COLUMN reporting.tag_purges.tag IS 'The surrogate key (tag) purged';
COMMENT ON COLUMN reporting.tag_purges.invalidation_id IS 'The tag purge''s log id (reporting.invalidations.id)';
COMMENT ON COLUMN reporting.tag_purges.purged_at IS 'When the admin accepted the tag purge';
COMMENT ON COLUMN reporting.tag_purges.purged_by IS 'Name of the API token that submitted it';
COMMENT ON COLUMN reporting.tag_purges.soft IS 'Marked stale instead of removed';
COMMENT ON COLUMN reporting.tag_purges.site IS 'The one site it applied to (NULL: every site)';

-- ---------------------------------------------------------------------------------------------------------
-- Traffic per node and UTC hour, the same figures as GET /api/v1/stats?window=1h over that hour: the sum of the
-- node's heartbeat steps (V0007) whose later row falls in the hour (hour, hour + 1h], a step counting only when its
-- earlier row is less than one window (1 h) before the hour starts (a node silent for longer does not dump its
-- backlog into one hour). Hit ratio = hits / requests (NULL without requests), bytes saved = served - upstream.
-- Sums saturate at 2^63 - 1, as the API's do.
CREATE VIEW reporting.node_traffic_hourly AS
SELECT h.hour,
    n.name AS node,
    n.role,
    n.pop,
    h.steps,
    h.requests,
    h.hits,
    round(h.hits::numeric / NULLIF(h.requests, 0), 4) AS hit_ratio,
    h.bytes_served,
    h.bytes_upstream,
    h.bytes_served::numeric - h.bytes_upstream AS bytes_saved
FROM (
    SELECT s.node_id,
        -- the hour (h, h + 1h] the row is in, in UTC: a row exactly on the hour belongs to the hour before
        date_trunc('hour', s.at - interval '1 microsecond', 'UTC') AS hour,
        count(*) AS steps,
        LEAST(sum(s.requests), 9223372036854775807)::bigint AS requests,
        LEAST(sum(s.hits), 9223372036854775807)::bigint AS hits,
        LEAST(sum(s.bytes_served), 9223372036854775807)::bigint AS bytes_served,
        LEAST(sum(s.bytes_upstream), 9223372036854775807)::bigint AS bytes_upstream
    FROM node_stats s
    WHERE s.previous_at IS NOT NULL
        AND s.previous_at > date_trunc('hour', s.at - interval '1 microsecond', 'UTC') - interval '1 hour'
    GROUP BY s.node_id, date_trunc('hour', s.at - interval '1 microsecond', 'UTC')
) h
JOIN nodes n ON n.id = h.node_id;

COMMENT ON VIEW reporting.node_traffic_hourly IS 'Traffic per node and UTC hour from heartbeat steps, as GET /api/v1/stats?window=1h counts it';
COMMENT ON COLUMN reporting.node_traffic_hourly.hour IS 'Start of the UTC hour; the hour holds the steps whose later heartbeat is in (hour, hour + 1h]';
COMMENT ON COLUMN reporting.node_traffic_hourly.node IS 'Name of the node';
COMMENT ON COLUMN reporting.node_traffic_hourly.role IS 'Tier: edge or shield';
COMMENT ON COLUMN reporting.node_traffic_hourly.pop IS 'The node''s POP';
COMMENT ON COLUMN reporting.node_traffic_hourly.steps IS 'Heartbeat steps counted (0 never appears: an hour without steps has no row)';
COMMENT ON COLUMN reporting.node_traffic_hourly.requests IS 'Requests of every kind (hit, stale, revalidated, miss, pass, error)';
COMMENT ON COLUMN reporting.node_traffic_hourly.hits IS 'Requests served from the cache (hit and stale)';
COMMENT ON COLUMN reporting.node_traffic_hourly.hit_ratio IS 'hits / requests, 4 decimals; NULL without requests';
COMMENT ON COLUMN reporting.node_traffic_hourly.bytes_served IS 'Body bytes sent to clients';
COMMENT ON COLUMN reporting.node_traffic_hourly.bytes_upstream IS 'Body bytes fetched from upstream (the shields for an edge, the origin for a shield)';
COMMENT ON COLUMN reporting.node_traffic_hourly.bytes_saved IS 'bytes_served - bytes_upstream (negative when more came from upstream than was served)';

-- ---------------------------------------------------------------------------------------------------------
CREATE VIEW reporting.nodes AS
SELECT name AS node,
    role,
    pop,
    CASE WHEN draining THEN 'draining' ELSE health END AS state,
    state_since,
    registered_at,
    last_heartbeat_at,
    last_applied
FROM nodes;

COMMENT ON VIEW reporting.nodes IS 'Registered edges and shields with their current state';
COMMENT ON COLUMN reporting.nodes.node IS 'Name of the node (node.name)';
COMMENT ON COLUMN reporting.nodes.role IS 'edge or shield';
COMMENT ON COLUMN reporting.nodes.pop IS 'The node''s POP';
COMMENT ON COLUMN reporting.nodes.state IS 'Effective state: draining when an operator drained it, else its health: healthy, degraded or down';
COMMENT ON COLUMN reporting.nodes.state_since IS 'Since when the state has held';
COMMENT ON COLUMN reporting.nodes.registered_at IS 'The node''s latest registration (its last start)';
COMMENT ON COLUMN reporting.nodes.last_heartbeat_at IS 'The node''s latest heartbeat';
COMMENT ON COLUMN reporting.nodes.last_applied IS 'Id of the last log entry the node reported applied';

-- ---------------------------------------------------------------------------------------------------------
CREATE VIEW reporting.node_states AS
SELECT c.id,
    n.name AS node,
    n.role,
    n.pop,
    c.from_state,
    c.to_state,
    c.reason,
    c.actor,
    c.changed_at
FROM node_state_changes c
JOIN nodes n ON n.id = c.node_id;

COMMENT ON VIEW reporting.node_states IS 'Every node state change: health checks, drains, registrations';
COMMENT ON COLUMN reporting.node_states.id IS 'Increasing with time of recording';
COMMENT ON COLUMN reporting.node_states.node IS 'Name of the node';
COMMENT ON COLUMN reporting.node_states.role IS 'edge or shield';
COMMENT ON COLUMN reporting.node_states.pop IS 'The node''s POP';
COMMENT ON COLUMN reporting.node_states.from_state IS 'healthy, degraded, down or draining; NULL for the node''s first registration';
COMMENT ON COLUMN reporting.node_states.to_state IS 'healthy, degraded, down or draining';
COMMENT ON COLUMN reporting.node_states.reason IS 'Why, e.g. "2 failed probes: connection refused", "registered", "drained by an operator"';
COMMENT ON COLUMN reporting.node_states.actor IS 'Who: "health-check <admin>", "token <name> (id <n>)", "node <name>"';
COMMENT ON COLUMN reporting.node_states.changed_at IS 'When (database clock)';
